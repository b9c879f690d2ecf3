"""Bad input, many times over: generated broken files through the readers and cleaning, each beside good records.

Each input is one generated file (JSONL, JSON, HTML, RSS/Atom, text, gzip) holding a bad record or a bad document
(wrong field types, 5,000-digit numbers, nesting 990 deep, lone surrogates, invalid UTF-8, dates of year 1 and
9999, unusable urls, lines of megabytes, tag soup, 60,000 attributes on one element, truncated gzip, binary
garbage...) and, where the format holds several records, good records before and after it; a folder with a good
file sits beside it. Everything goes through ``read_articles`` (read, then clean and split: what ``read``, ``clean``
and ``ingest`` run), and a sample of the articles that come out through ``analyse`` and ``compare``. Counted:
internal errors (an exception that is not a SamestoryError), inputs slower than 60 s, good records lost, and the
process's peak memory; goals 0, 0, 0 and at most 1 GB. Beside it, in the same run, the raw parsers the readers
wrap (``json.loads`` per line, ``trafilatura.extract``, ``feedparser.parse``) on the same inputs: how many raise.
A sample of the inputs also goes through the ``samestory read`` command: its exit codes (1 would be an internal
error).

    .venv/bin/python benchmarks/bench_fuzz.py [--inputs 10000] [--seed 0] [--cli 100]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb, save, table  # noqa: E402

GOOD = "Firefighters put out a blaze at the harbour warehouse on Monday night, the city's fire chief said on Tuesday."


def _good(k: int) -> dict:
    return {"id": f"good-{k}", "title": f"Harbour fire {k}", "text": f"{GOOD} Report number {k} of the day.",
            "published": "2024-03-04T10:00:00+00:00", "source": "example.com"}


def _value(rng: random.Random, depth: int = 0):
    """Any JSON value, odd ones first."""
    pick = rng.randrange(14)
    if pick == 0:
        return int("9" * rng.choice([20, 400, 4000]))  # json.dumps writes up to sys.get_int_max_str_digits()
    if pick == 1:
        return rng.choice([True, False, None])
    if pick == 2:
        return rng.uniform(-1e308, 1e308)
    if pick == 3 and depth < 3:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 4 and depth < 3:
        return {rng.choice(["text", "id", "url", "x", ""]): _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    if pick == 5:
        return "\ud800" + "x" * rng.randrange(5)
    if pick == 6:
        return "x" * rng.choice([1_000, 100_000, 1_500_000])
    if pick == 7:
        return "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(1, 60)))
    if pick == 8:
        return rng.choice(["0001-01-01", "9999-12-31", "yesterday", "tomorrow", "30 Feb 2024", "-5", "1e400", ""])
    if pick == 9:
        return rng.choice(["http://[::1", "javascript:alert(1)", "//x", "http://" + "a" * 5000, "ftp://x", "\x00"])
    if pick == 10:
        return "\u202e\u200b\ufeff" * rng.randrange(1, 50)
    return rng.choice(["", " ", "\n\n", "TT", "(AP Photo/Nick Ut)", "<script>alert(1)</script>"])


def _bad_line(rng: random.Random) -> bytes:
    kind = rng.randrange(10)
    if kind == 0:
        return ("[" * 990 + "]" * 990).encode() if rng.random() < 0.5 else b'{"id": ' + b"9" * 5000 + b', "text": "x"}'
    if kind == 1:
        return b"{not json" + bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if kind == 3:
        return json.dumps(_value(rng)).encode()
    obj = _good(999)
    obj.pop("id")
    for _ in range(rng.randrange(1, 4)):
        obj[rng.choice(["text", "title", "published", "url", "id", "source", "language", "meta", "html"])] = _value(rng)
    return json.dumps(obj).encode("utf-8", "surrogatepass")


def _html(rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    body = f"<p>{GOOD}</p>" * rng.randrange(0, 4)
    if kind == 0:
        return ("<div>" * rng.choice([100, 5000, 20000]) + body).encode()
    if kind == 1:
        return ("<html><body><p " + " ".join(f"a{i}=x" for i in range(rng.choice([100, 60_000]))) + f">{GOOD}</p>").encode()
    if kind == 2:
        return f"<html><head><title>{'T' * rng.choice([1000, 300_000])}</title></head><body>{body}</body></html>".encode()
    if kind == 3:
        return f"<html><body><script>{'x' * 10000}</script>{body}</body></html>".encode()
    if kind == 4:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
    if kind == 5:
        return f'<meta charset="{rng.choice(["utf-7", "nonsense", "utf-16"])}"><p>{GOOD}</p>'.encode("latin-1", "replace")
    if kind == 6:
        return ("<p>&#xD800;&#0;&#99999999;&bogus;" + GOOD + "</p>").encode()
    return b""


def _feed(rng: random.Random) -> bytes:
    items = "".join(f"<item><title>{_xml(_value(rng))}</title><link>{_xml(_value(rng))}</link>"
                    f"<description>{GOOD if rng.random() < 0.5 else _xml(_value(rng))}</description>"
                    f"<pubDate>{_xml(_value(rng))}</pubDate></item>" for _ in range(rng.randrange(0, 4)))
    doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    if rng.random() < 0.3:
        doc = doc[: rng.randrange(len(doc))]
    return doc.encode("utf-8", "surrogatepass")


def _xml(value) -> str:
    return str(value)[:2000].replace("&", "&amp;").replace("<", "&lt;")


def make_input(rng: random.Random, folder: Path, n: int) -> tuple[Path, list[str]]:
    """One bad input in ``folder`` (and a good file beside it); returns the input and the good ids it must give."""
    folder.mkdir(parents=True)
    (folder / "good.json").write_text(json.dumps(_good(n)))
    goods = [f"good-{n}"]
    kind = rng.randrange(6)
    if kind <= 1:  # JSONL with good lines around bad ones
        lines, k = [], 0
        for _ in range(rng.randrange(1, 5)):
            if rng.random() < 0.5:
                k += 1
                lines.append(json.dumps(_good(n * 10 + k)).encode())
                goods.append(f"good-{n * 10 + k}")
            else:
                lines.append(_bad_line(rng))
        path = folder / "in.jsonl"
        data = b"\n".join(lines) + b"\n"
        if rng.random() < 0.2:
            path = folder / "in.jsonl.gz"
            data = gzip.compress(data)
            if rng.random() < 0.5:  # truncated: the lines before the cut may be lost with it
                data, goods = data[: rng.randrange(1, len(data))], goods[:1]
        path.write_bytes(data)
    elif kind == 2:
        path = folder / "in.json"
        path.write_bytes(json.dumps(_value(rng)).encode("utf-8", "surrogatepass") if rng.random() < 0.5 else _bad_line(rng))
    elif kind == 3:
        path = folder / "in.html"
        path.write_bytes(_html(rng))
    elif kind == 4:
        path = folder / "in.rss"
        path.write_bytes(_feed(rng))
    else:
        path = folder / "in.txt"
        path.write_bytes(str(_value(rng)).encode("utf-8", "surrogatepass") if rng.random() < 0.7 else bytes(rng.randrange(256) for _ in range(500)))
    return path, goods


def raw_parsers_raise(path: Path) -> bool | None:
    """Whether the parser the reader wraps raises on the input (the peer: what samestory turns into reports); None
    for a page over samestory's attribute limits, on which trafilatura alone takes about 50 s (measured here on the
    60,000-attribute pages): the peer is not run on those."""
    data = path.read_bytes()
    if path.suffix == ".html":
        from samestory.errors import ReadError
        from samestory.readers.html import _check_size

        try:
            _check_size(data.decode("utf-8", "replace"))
        except ReadError:
            return None
    try:
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        if ".jsonl" in path.name:
            for line in data.splitlines():
                if line.strip():
                    json.loads(line)
        elif path.suffix == ".json":
            json.loads(data)
        elif path.suffix == ".html":
            import trafilatura

            trafilatura.extract(data.decode("utf-8"))
        elif path.suffix == ".rss":
            import feedparser

            if feedparser.parse(data).bozo:
                return True
        else:
            data.decode("utf-8")
    except Exception:
        return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cli", type=int, default=100, help="inputs also run through `samestory read` (a process each)")
    ap.add_argument("--analyse", type=int, default=300, help="articles read from the inputs also analysed and compared")
    args = ap.parse_args()
    from samestory import SamestoryError, analyse, compare, read_articles
    from samestory.readers import ReadReport

    # the models, loaded first on good records and good text in every supported script: the process's peak before
    # any bad input, so that what the bad inputs add shows
    from samestory import make_article

    warm = [make_article(GOOD), make_article("Der Hafen brannte am Montag, sagte die Feuerwehr der Stadt."),
            make_article("Пожар в порту потушили в понедельник, сообщили пожарные."), make_article("港口仓库周一发生火灾，消防部门说。"),
            make_article("x1 y2 z3 ???")]
    for art in warm:
        compare(art, warm[0])
    baseline = peak_rss_mb()
    rng = random.Random(args.seed)
    internal: list[str] = []
    lost: list[str] = []
    slow = raw_raise = raw_skipped = articles = 0
    sample = []
    worst = 0.0
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        cli_inputs = []
        for n in range(args.inputs):
            folder = Path(tmp) / f"i{n}"
            path, goods = make_input(rng, folder, n)
            t0 = time.perf_counter()
            try:
                got = list(read_articles([folder], report=ReadReport()))
            except SamestoryError:
                got = []
            except Exception as exc:  # an internal error: what the goal says never happens
                internal.append(f"{path.name}: {type(exc).__name__}: {str(exc)[:80]}")
                got = []
            secs = time.perf_counter() - t0
            worst = max(worst, secs)
            slow += secs > 60
            ids = {a.id for a in got}
            lost += [f"{path.name}: {g}" for g in goods if g not in ids]
            articles += len(got)
            if len(sample) < args.analyse:
                sample += [a for a in got if not a.id.startswith("good-")][:1]
            if len(cli_inputs) < args.cli and n % max(1, args.inputs // max(1, args.cli)) == 0:
                cli_inputs.append(folder)  # kept for the command's turn
            else:
                shutil.rmtree(folder)
        t_read = time.perf_counter() - t_all
        peak_read = peak_rss_mb()
        t0 = time.perf_counter()
        for k, art in enumerate(sample):
            try:
                analyse(art)
                compare(art, sample[k - 1] if k else art)
            except SamestoryError:
                pass
            except Exception as exc:
                internal.append(f"analyse/compare {art.id}: {type(exc).__name__}: {str(exc)[:80]}")
        t_analyse = time.perf_counter() - t0
        peak_read_analyse = peak_rss_mb()  # before the peers run in this process: theirs is not ours
        peer_rng = random.Random(args.seed)  # the same inputs again, through the raw parsers
        for n in range(args.inputs):
            folder = Path(tmp) / f"peer{n}"
            path, _ = make_input(peer_rng, folder, n)
            raised = raw_parsers_raise(path)
            raw_raise += bool(raised)
            raw_skipped += raised is None
            shutil.rmtree(folder)
        exe = str(Path(sys.executable).parent / "samestory")
        codes: dict[int, int] = {}
        for folder in cli_inputs:
            code = subprocess.run([exe, "-q", "read", str(folder)], capture_output=True, timeout=300).returncode
            codes[code] = codes.get(code, 0) + 1
    rows = [
        ["internal errors (read, clean, analyse, compare)", len(internal), 0],
        ["inputs over 60 s", slow, 0],
        ["good records lost", len(lost), 0],
        ["peak memory, MB (with the models; before the peers ran)", round(peak_read_analyse), "<= 1024"],
        ["... of it before any bad input (the models, on good text)", round(baseline), ""],
        ["... by the end of read + clean (before analyse and compare)", round(peak_read), ""],
        ["slowest input, s", round(worst, 2), ""],
        ["articles read from the bad inputs and their good neighbours", articles, ""],
        ["... of them analysed and compared", len(sample), ""],
        ["peer: the raw parsers (json.loads, trafilatura, feedparser) raise on", raw_raise, ""],
        ["... not run on (pages over the attribute limits: trafilatura alone takes ~50 s on one)", raw_skipped, ""],
        [f"`samestory read` on {len(cli_inputs)} of the inputs: exit codes", json.dumps(codes), "0 or 2, never 1"],
    ]
    table(f"{args.inputs} generated bad inputs (seed {args.seed}): read + clean {t_read:.0f} s, analyse + compare {t_analyse:.0f} s",
          ["measure", "value", "goal"], rows)
    for line in (internal + lost)[:10]:
        print("  ", line)
    save("fuzz" if args.inputs >= 10_000 else "fuzz-smoke", {
        "inputs": args.inputs, "seed": args.seed, "internal_errors": len(internal), "slow_inputs": slow,
        "good_records_lost": len(lost), "peak_rss_mb": peak_read_analyse, "baseline_rss_mb": baseline, "read_clean_peak_rss_mb": peak_read, "slowest_s": worst, "raw_parsers_raise": raw_raise, "raw_parsers_not_run": raw_skipped,
        "cli_exit_codes": codes, "examples": (internal + lost)[:20]})


if __name__ == "__main__":
    main()
