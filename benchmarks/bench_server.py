"""Load on the HTTP API, loopback only: 50 clients reading stories and 5 posting articles for
60 s against a store holding the demo corpus. Prints requests/s, p50/p99 latency per kind (a post's is
its acknowledgement: 202 with a job; "refused" counts the 429s of a placer too far behind, after which a
writer waits the Retry-After and posts again), the seconds from each post to its placing (its job done,
polled every 0.5 s), the error count, and whether every article ends in exactly one story. Goals: story list and
story page p99 <= 300 ms, post acknowledged p99 <= 200 ms, every post placed within 30 s, 0 errors.

    .venv/bin/python benchmarks/bench_server.py [--db demo/demo.db] [--seconds 60] [--readers 50] [--writers 5]

Without --db (or with a missing file) the demo corpus is ingested into a temporary store first.
The server runs as `samestory serve` in its own process, as a user would run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, save, table  # noqa: E402

TOKEN = "bench-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run_load(base: str, seconds: float, readers: int, writers: int, docs: list[dict]) -> dict:
    import httpx

    lat: dict[str, list[float]] = {"list": [], "story": [], "post": [], "refused": []}
    jobs: list[tuple[str, float]] = []  # (job id, when posted)
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=readers + writers + 5)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        ids = [s["story"] for s in (await client.get("/stories", params={"size": 200})).json()["stories"]]

        async def reader(k: int) -> None:
            rng = random.Random(k)
            while time.perf_counter() < stop:
                kind = "list" if rng.random() < 0.5 else "story"
                t0 = time.perf_counter()
                try:
                    r = await (client.get("/stories", params={"page": rng.randint(1, 3)}) if kind == "list"
                               else client.get(f"/stories/{rng.choice(ids)}"))
                except httpx.TransportError as exc:  # counted, not fatal: the run goes on
                    errors.append(f"{kind} {type(exc).__name__}")
                    continue
                lat[kind].append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors.append(f"{kind} {r.status_code}")

        async def writer(k: int) -> None:
            rng = random.Random(100 + k)
            n = 0
            while time.perf_counter() < stop:
                d = rng.choice(docs)
                body = {"id": f"load-{k}-{n}", "text": d["text"] + f"\n\nUpdate {k}.{n}.", "title": d.get("title"),
                        "source": f"load{k}.example", "published": d.get("published")}
                n += 1
                t0 = time.perf_counter()
                try:
                    r = await client.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
                except httpx.TransportError as exc:
                    errors.append(f"post {type(exc).__name__}")
                    continue
                if r.status_code == 429:  # the placer is behind: as a well-behaved client, wait as told and post again
                    lat["refused"].append(time.perf_counter() - t0)
                    n -= 1
                    await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), max(0.0, stop - time.perf_counter())))
                    continue
                lat["post"].append(time.perf_counter() - t0)
                if r.status_code != 202:
                    errors.append(f"post {r.status_code}")
                else:
                    jobs.append((r.json()["job"], t0))

        placed: dict[str, float] = {}  # job -> seconds from its post to its placing (seen done)

        async def watcher() -> None:
            while time.perf_counter() < stop + 120 and (time.perf_counter() < stop or len(placed) < len(jobs)):
                for job, posted in list(jobs):
                    if job not in placed:
                        try:
                            r = await client.get(f"/jobs/{job}")
                        except httpx.TransportError as exc:
                            errors.append(f"job {type(exc).__name__}")
                            continue
                        if r.status_code == 200 and r.json()["status"] in ("done", "failed"):
                            placed[job] = time.perf_counter() - posted
                            if r.json()["status"] == "failed":
                                errors.append("job failed")
                await asyncio.sleep(0.5)

        async def monitor() -> None:  # the server's own view of its backlog, every 5 s
            while time.perf_counter() < stop:
                await asyncio.sleep(5)
                h = (await client.get("/health")).json()
                print(f"  t={seconds - (stop - time.perf_counter()):4.0f}s waiting {h.get('waiting')} placing_rate {h.get('placing_rate')}")

        t0 = time.perf_counter()
        await asyncio.gather(*(reader(k) for k in range(readers)), *(writer(k) for k in range(writers)), watcher(), monitor())
        wall = stop - t0
        health = (await client.get("/health")).json()
        listed = []
        for page in range(1, 1000):
            got = (await client.get("/stories", params={"size": 200, "page": page})).json()["stories"]
            if not got:
                break
            listed += [a for s in got for a in s["articles"]]
    return {"wall": wall, "lat": lat, "errors": errors, "health": health, "consistent": len(listed) == len(set(listed)) == health["articles"],
            "placing": sorted(placed.values()), "unplaced": len(jobs) - len(placed)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(REPO / "demo" / "demo.db"))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--writers", type=int, default=5)
    ap.add_argument("--docs", type=int, help="ingest only the first N demo articles when building the store (smoke runs)")
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "samestory")
    docs = [json.loads(l) for l in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        if Path(args.db).exists() and not args.docs:
            shutil.copy(args.db, db)
        else:
            src = Path(tmp) / "demo.jsonl"
            src.write_text("".join(json.dumps(d) + "\n" for d in docs[: args.docs]))
            subprocess.run([exe, "-q", "ingest", str(src), "--db", str(db)], check=True)
        port = _free_port()
        server = subprocess.Popen([exe, "-q", "serve", "--db", str(db), "--port", str(port), "--token", TOKEN],
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            base = f"http://127.0.0.1:{port}"
            import httpx

            for _ in range(1200):  # the load starts once the server answers and its placer has loaded its models
                try:
                    if httpx.get(base + "/health", timeout=2).json().get("placer") == "ready":
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            res = asyncio.run(run_load(base, args.seconds, args.readers, args.writers, docs))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = []
    for kind, xs in res["lat"].items():
        if xs:
            ms = np.array(xs) * 1000
            rows.append([kind, len(xs), f"{len(xs) / res['wall']:.1f}", f"{np.percentile(ms, 50):.0f}", f"{np.percentile(ms, 99):.0f}"])
    total = sum(len(x) for x in res["lat"].values())
    rows.append(["all", total, f"{total / res['wall']:.1f}", "", ""])
    table(f"{args.readers} readers + {args.writers} writers for {res['wall']:.0f} s, loopback, 2 cores shared by clients and server",
          ["requests", "count", "per s", "p50 ms", "p99 ms"], rows)
    placing = np.array(res["placing"]) if res["placing"] else np.zeros(1)
    print(f"posts placed: {len(res['placing'])} (not placed within two minutes of the end: {res['unplaced']}); seconds from "
          f"post to placing p50 {np.percentile(placing, 50):.1f}, p99 {np.percentile(placing, 99):.1f}, max {placing.max():.1f}")
    print(f"errors: {len(res['errors'])}{' ' + str(sorted(set(res['errors']))[:5]) if res['errors'] else ''}; "
          f"store after: {res['health']['articles']} articles in {res['health']['stories']} stories, "
          f"each in exactly one story: {res['consistent']}")
    save("server" if args.seconds >= 60 else "server-smoke", {"rows": rows, "errors": len(res["errors"]), "consistent": res["consistent"],
                                                              "health": res["health"], "unplaced": res["unplaced"],
                                                              "placing_s": {"p50": float(np.percentile(placing, 50)),
                                                                            "p99": float(np.percentile(placing, 99)),
                                                                            "max": float(placing.max())}})


if __name__ == "__main__":
    main()
