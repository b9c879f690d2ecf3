"""Spark gives the same stories as the local command: a third of the demo corpus end to end, and a synthetic
corpus of 4,000 articles at the analysis level (bench_spark.py runs 20,000 and more). Skips only when Java is missing."""

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from samestory import analyse_all, cluster, load_settings, read_articles, story_to_dict
from tests._data import DEMO
from tests._synthetic import synthetic_analyses, write_parquet

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime: Spark cannot start (make test installs one where it can)")


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the spark extra is not installed: pip install 'samestory[spark]'")
    from samestory.spark import spark_session

    s = spark_session("local[2]")
    yield s
    s.stop()


def _stories_of(folder: Path) -> dict[str, dict]:
    out = {}
    for part in sorted((folder / "stories.jsonl").glob("part-*")):
        for line in part.read_text().splitlines():
            d = json.loads(line)
            out[d["story"]] = d
    return out


# Both sides run with the same settings; the fast analysis (rule-based names, 16 sentences) keeps `make test`
# short. benchmarks/bench_spark.py checks the default settings on the demo corpus too.
FAST = load_settings(overrides={"analyse": {"ner": "rules", "max_sentences": 16}})


# a third of the demo corpus (its first 260 articles, whole topics): end to end on all of it took two minutes of
# `make test`; benchmarks/bench_spark.py runs the whole corpus
DEMO_PART = 260


@pytest.fixture(scope="module")
def demo_part(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo-part.jsonl"
    path.write_text("".join(line + "\n" for line in DEMO.read_text().splitlines()[:DEMO_PART]))
    return path


@pytest.fixture(scope="module")
def demo_local(demo_part):
    analyses = list(analyse_all(list(read_articles(demo_part, settings=FAST)), settings=FAST))
    return analyses, {s.id: story_to_dict(s) for s in cluster(analyses, settings=FAST)}


def test_demo_corpus_same_stories_as_local(spark, demo_part, demo_local, tmp_path):
    from samestory.spark import cluster_files

    counts = cluster_files(spark, [str(demo_part)], str(tmp_path / "out"), settings=FAST)
    remote = _stories_of(tmp_path / "out")
    _, local = demo_local
    assert counts["articles"] == sum(len(s["articles"]) for s in local.values())
    assert remote == local  # every story identical: ids, members, titles, copies, timelines


def test_synthetic_4k_same_stories_as_local(spark, demo_local, tmp_path):
    from samestory.spark import stories_from_analyses

    base, _ = demo_local
    syn = synthetic_analyses(base, 4_000, sentences=4)
    settings = load_settings()
    settings = replace(settings, cluster=replace(settings.cluster, neighbours=1))  # fewer pairs: the test stays short
    local = {s.id: story_to_dict(s) for s in cluster(syn, settings=settings)}
    write_parquet(syn, tmp_path / "syn.parquet")
    stories, assignments = stories_from_analyses(spark, spark.read.parquet(str(tmp_path / "syn.parquet")), settings)
    remote = {r["story"]: json.loads(r["json"]) for r in stories.select("story", "json").collect()}
    assert len(local) > 200
    assert remote == local
    assert assignments.count() == 4_000


def test_bad_lines_and_files_are_reported_not_fatal(spark, tmp_path):
    from samestory.spark import cluster_files

    src = tmp_path / "in"
    src.mkdir()
    good = DEMO.read_text().splitlines()[:6]
    (src / "a.jsonl").write_text("\n".join(good[:3] + ["{not json", '{"id": "x"}']) + "\n")
    (src / "b.jsonl").write_text("\n".join(good[3:]) + "\n")
    (src / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    counts = cluster_files(spark, [str(src)], str(tmp_path / "out"))
    assert counts["articles"] == 6
    problems = [json.loads(l) for p in (tmp_path / "out" / "problems.jsonl").glob("part-*") for l in p.read_text().splitlines()]
    by_file = {Path(p["file"]).name: p["skipped"] for p in problems}
    assert by_file.get("a.jsonl") == 2 and "broken.jsonl.gz" in by_file


def test_empty_input_gives_empty_output(spark, tmp_path):
    from samestory.spark import cluster_files

    (tmp_path / "empty.jsonl").write_text("")
    counts = cluster_files(spark, [str(tmp_path / "empty.jsonl")], str(tmp_path / "out"))
    assert counts["stories"] == 0 and _stories_of(tmp_path / "out") == {}


def test_cli_wrong_master_is_one_line(tmp_path):
    exe = Path(sys.executable).parent / "samestory"
    out = subprocess.run([str(exe), "spark", "cluster", str(DEMO), "--out", str(tmp_path / "o"), "--master", "nonsense://x"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("samestory: error:") and "cannot start Spark" in last


def test_missing_extra_names_the_pip_line(monkeypatch):
    import builtins

    from samestory.errors import MissingExtraError
    from samestory.spark import require_spark

    real = builtins.__import__

    def no_pyspark(name, *a, **k):
        if name == "pyspark":
            raise ImportError("No module named 'pyspark'", name="pyspark")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(MissingExtraError, match=r"pip install 'samestory\[spark\]'"):
        require_spark()
