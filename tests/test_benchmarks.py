"""Each benchmark runs on a tiny input and prints its table (figures are not asserted: they are measured)."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "benchmarks"


@pytest.mark.parametrize(
    "script, args",
    [
        ("bench_extraction.py", ["--limit", "3"]),
        ("bench_segmentation.py", ["--pages", "12"]),
        ("bench_story_change.py", ["--docs", "30"]),
        ("bench_clean_speed.py", ["--limit", "5"]),
        ("bench_analysis.py", ["--limit", "6"]),
        ("bench_truncation.py", ["--limit", "10"]),
        ("bench_embedders.py", ["--limit", "12"]),
        ("bench_scoring.py", ["--speed-only", "--pairs", "20"]),
        ("bench_scoring_trials.py", ["--pairs", "30", "--no-sparse"]),
        ("bench_entity_matching.py", ["--pairs", "4"]),
        ("bench_clustering.py", ["--topics", "1", "--semeval-pairs", "6"]),
        ("bench_index.py", ["--n", "2000"]),
        ("bench_scale.py", ["--sizes", "60", "--fast"]),
        ("bench_scale.py", ["--sizes", "40", "--ner", "models", "--sentences", "4", "--ner-chars", "500", "--stages"]),
        ("bench_memory.py", ["--size", "60"]),
        ("bench_spark.py", ["--sizes", "300", "--neighbours", "2", "--no-demo", "--base", "40", "--cores", "2"]),
        ("bench_server.py", ["--docs", "40", "--seconds", "5", "--readers", "4", "--writers", "1"]),
        ("bench_fuzz.py", ["--inputs", "40", "--cli", "2", "--analyse", "3"]),
        ("bench_kill.py", ["--kills", "1", "--docs", "30"]),
        ("bench_warc.py", ["--pages", "20"]),
        ("bench_watch.py", ["--feeds", "3", "--minutes", "0.05", "--interval", "1", "--every", "1"]),
    ],
)
def test_benchmark_smoke(script, args, tmp_path):
    out = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "skipped:" in out.stdout or "wrote benchmarks/results/" in out.stdout


def test_memory_runs_on_one_analysed_stream_compare(tmp_path):
    # the first run analyses and keeps the store; the next ones place copies of it, and their stories compare
    def run(*args):
        out = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    kept = tmp_path / "analysed"
    assert "analysed store saved" in run(BENCH / "bench_memory.py", "--size", "60", "--analysed", kept)
    run(BENCH / "bench_memory.py", "--size", "60", "--analysed", kept, "--assignments", tmp_path / "a.json")
    run(BENCH / "bench_memory.py", "--size", "60", "--analysed", kept, "--whole-index", "--assignments", tmp_path / "b.json")
    same = run(BENCH / "compare_assignments.py", tmp_path / "a.json", tmp_path / "b.json")
    assert "60 articles" in same and "1.000" in same.splitlines()[-1]  # at 60 articles the settings change nothing
