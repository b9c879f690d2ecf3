"""Load on the HTTP API, loopback only: 50 clients reading stories and 5 posting articles for
60 s against a store holding the demo corpus. Prints requests/s, p50/p99 latency per kind (a post's is
its acknowledgement: 202 with a job; "refused" counts the 429s of a placer too far behind, after which a
writer waits the Retry-After and posts again), the seconds from each post to its placing (the job's own
`submitted` and `placed_at`, read once a poll every 0.5 s finds it done; the slowest by when it was posted), the
error count, and whether every article ends in exactly one story. Goals: story list and
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
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, save, table  # noqa: E402

TOKEN = "bench-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Client:
    """The load's HTTP client: aiohttp (its HTTP parser is C) on uvloop. httpx's async client, measured here
    first, took more of a core than the server it measured, so its own queue was much of each latency."""

    def __init__(self, base: str, connections: int) -> None:
        import aiohttp

        self._session = aiohttp.ClientSession(base_url=base, timeout=aiohttp.ClientTimeout(total=120),
                                              connector=aiohttp.TCPConnector(limit=connections))
        self.transport_errors = (aiohttp.ClientError, asyncio.TimeoutError)

    async def call(self, method: str, path: str, **kwargs) -> tuple[int, dict, bytes]:
        async with self._session.request(method, path, **kwargs) as r:
            return r.status, dict(r.headers), await r.read()

    async def json(self, path: str, **kwargs) -> dict:
        return json.loads((await self.call("GET", path, **kwargs))[2])

    async def close(self) -> None:
        await self._session.close()


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far, from /proc (None where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


async def run_load(base: str, seconds: float, readers: int, writers: int, docs: list[dict]) -> dict:
    lat: dict[str, list[float]] = {"list": [], "story": [], "post": [], "refused": []}
    jobs: list[tuple[str, float]] = []  # (job id, when posted)
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    client = _Client(base, readers + writers + 5)
    try:
        ids = [s["story"] for s in (await client.json("/stories", params={"size": 200}))["stories"]]

        async def reader(k: int) -> None:
            rng = random.Random(k)
            while time.perf_counter() < stop:
                kind = "list" if rng.random() < 0.5 else "story"
                t0 = time.perf_counter()
                try:
                    status, _, _ = await (client.call("GET", "/stories", params={"page": rng.randint(1, 3)}) if kind == "list"
                                          else client.call("GET", f"/stories/{rng.choice(ids)}"))
                except client.transport_errors as exc:  # counted, not fatal: the run goes on
                    errors.append(f"{kind} {type(exc).__name__}")
                    continue
                lat[kind].append(time.perf_counter() - t0)
                if status != 200:
                    errors.append(f"{kind} {status}")

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
                    status, headers, answer = await client.call("POST", "/articles", json=body,
                                                                headers={"Authorization": f"Bearer {TOKEN}"})
                except client.transport_errors as exc:
                    errors.append(f"post {type(exc).__name__}")
                    continue
                if status == 429:  # the placer is behind: as a well-behaved client, wait as told and post again
                    lat["refused"].append(time.perf_counter() - t0)
                    n -= 1
                    await asyncio.sleep(min(float(headers.get("Retry-After", "1")), max(0.0, stop - time.perf_counter())))
                    continue
                lat["post"].append(time.perf_counter() - t0)
                if status != 202:
                    errors.append(f"post {status}")
                else:
                    jobs.append((json.loads(answer)["job"], t0))

        placed: dict[str, float] = {}  # job -> seconds from its post to its placing (seen done)
        posted_at: dict[str, float] = {}  # job -> seconds into the load when it was posted

        async def watcher() -> None:
            while time.perf_counter() < stop + 120 and (time.perf_counter() < stop or len(placed) < len(jobs)):
                for job, posted in list(jobs):
                    if job not in placed:
                        try:
                            status, _, answer = await client.call("GET", f"/jobs/{job}")
                        except client.transport_errors as exc:
                            errors.append(f"job {type(exc).__name__}")
                            continue
                        got = json.loads(answer) if status == 200 else {}
                        if got.get("status") in ("done", "failed"):
                            # the server's own times: this poll's lag (a sweep over every job waiting) is not placing
                            placed[job] = (datetime.fromisoformat(got["placed_at"] or got["submitted"])
                                           - datetime.fromisoformat(got["submitted"])).total_seconds()
                            posted_at[job] = posted - t0
                            if got["status"] == "failed":
                                errors.append("job failed")
                await asyncio.sleep(0.5)

        async def monitor() -> None:  # the server's own view of its backlog, every 5 s
            while time.perf_counter() < stop:
                await asyncio.sleep(5)
                h = await client.json("/health")
                print(f"  t={seconds - (stop - time.perf_counter()):4.0f}s waiting {h.get('waiting')} placing_rate {h.get('placing_rate')}")

        t0 = time.perf_counter()
        cpu0 = time.process_time()
        await asyncio.gather(*(reader(k) for k in range(readers)), *(writer(k) for k in range(writers)), watcher(), monitor())
        wall, client_cpu = stop - t0, time.process_time() - cpu0  # the watcher's last polls, after the load, are in it
        health = await client.json("/health")
        listed = []
        for page in range(1, 1000):
            got = (await client.json("/stories", params={"size": 200, "page": page}))["stories"]
            if not got:
                break
            listed += [a for s in got for a in s["articles"]]
    finally:
        await client.close()
    return {"wall": wall, "lat": lat, "errors": errors, "health": health, "consistent": len(listed) == len(set(listed)) == health["articles"],
            "placing": sorted(placed.values()), "placing_by_post": sorted((posted_at[j], s) for j, s in placed.items()), "unplaced": len(jobs) - len(placed), "client_cpu": client_cpu}


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
            procs = {"server": server.pid, **{"placer": int(c) for c in _children(server.pid)[:1]}}
            cpu0 = {name: _cpu_seconds(pid) for name, pid in procs.items()}
            load = run_load(base, args.seconds, args.readers, args.writers, docs)
            try:
                import uvloop

                res = uvloop.run(load)
            except ImportError:  # no uvloop on this platform
                res = asyncio.run(load)
            cpu = {name: (_cpu_seconds(pid) or 0.0) - (cpu0[name] or 0.0) for name, pid in procs.items() if cpu0[name] is not None}
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
    windows: dict[int, list[float]] = {}
    for at, secs in res["placing_by_post"]:
        windows.setdefault(int(at // 10) * 10, []).append(secs)
    print("slowest placing by when posted: " + ", ".join(f"{w}-{w + 10} s: {max(v):.1f} s ({len(v)})" for w, v in sorted(windows.items())))
    cpu = {"client": res["client_cpu"], **cpu}
    print(f"CPU during the load, in cores (of {os.cpu_count()}): " + ", ".join(f"{k} {v / res['wall']:.2f}" for k, v in cpu.items()))
    print(f"errors: {len(res['errors'])}{' ' + str(sorted(set(res['errors']))[:5]) if res['errors'] else ''}; "
          f"store after: {res['health']['articles']} articles in {res['health']['stories']} stories, "
          f"each in exactly one story: {res['consistent']}")
    save("server" if args.seconds >= 60 else "server-smoke", {"rows": rows, "errors": len(res["errors"]), "consistent": res["consistent"],
                                                              "health": res["health"], "unplaced": res["unplaced"],
                                                              "cpu_cores": {k: v / res["wall"] for k, v in cpu.items()},
                                                              "placing_s": {"p50": float(np.percentile(placing, 50)),
                                                                            "p99": float(np.percentile(placing, 99)),
                                                                            "max": float(placing.max())}})


if __name__ == "__main__":
    main()
