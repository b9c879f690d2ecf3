"""The distributed pipeline, built from the library functions the local path uses.

1. read: JSONL lines (or Parquet rows as JSON) with their file; bad lines and unreadable files
   are counted per file (a side output), never fatal;
2. clean + analyse in ``mapInPandas`` (Arrow batches; models load once per Python worker,
   which Spark reuses), one analysis per id (``clustering.batch.version_key``);
3. candidates: time blocks of ``window_days``; each block's articles are queries, the articles of
   the block and its two neighbours (plus undated ones) are candidates; ``block_neighbours``
   picks each query's nearest, exactly as ``candidate_pairs`` does locally;
4. scoring: ``link_probabilities`` on the candidate pairs (the shipped linker);
5. graph: connected components of confident links by iterative min-label joins;
6. stories: per component, ``split_weak``, ``by_protagonist`` and ``make_story``, as ``cluster`` does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import ConfigError, InputError, SamestoryError
from ..settings import Settings, load_settings

__all__ = ["spark_session", "cluster_files", "cluster_dataframe", "cluster_lines", "stories_from_analyses", "read_inputs"]

_MASTER = re.compile(r"local(\[(\d+|\*)(,\d+)?\])?|(spark|k8s|mesos)://\S+|yarn")
ANALYSED = "kind string, id string, published double, hash string, vector binary, analysis binary, file string, message string"
STORY = ("story string, title string, articles array<string>, copies array<array<string>>, first_seen string, "
         "last_seen string, sources array<string>, json string")


def spark_session(master: str = "local[2]", *, app: str = "samestory", conf: dict[str, str] | None = None):
    """A SparkSession for the job; a wrong master URL or a missing Java gives one clear line."""
    from pyspark.sql import SparkSession

    if not _MASTER.fullmatch(master):
        raise ConfigError(f"cannot start Spark with master '{master}': use local[N], spark://HOST:PORT, yarn or k8s://URL", code="SS222")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))):
        raise ConfigError("Spark needs a Java runtime (17 or newer): install one, e.g. apt-get install default-jre-headless", code="SS221")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.python.worker.reuse", "true")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8")
               # rows carry serialised analyses (tens of kB each): small Arrow and Parquet batches
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
               .config("spark.sql.parquet.columnarReaderBatchSize", "512"))
    if master.startswith("local"):
        builder = builder.config("spark.driver.memory", "3g")  # local mode: the driver is the executor
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark raises plain exceptions here
        first = (str(exc).strip().splitlines() or ["unknown error"])[0][:200]
        raise ConfigError(f"cannot start Spark with master '{master}': {first} (the Java output above says more)", code="SS222") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_inputs(spark, inputs: Sequence[str]):
    """(file, value) rows: one JSON article per row, from JSONL(.gz) files or Parquet, files or folders."""
    from pyspark.sql import functions as F

    frames = []
    for path in inputs:
        if path.rstrip("/").endswith(".parquet") or _is_parquet_dir(spark, path):
            df = spark.read.parquet(path)
            frames.append(df.select(F.input_file_name().alias("file"), F.to_json(F.struct(*df.columns)).alias("value")))
        else:
            # a corrupt file (e.g. truncated gzip) is skipped here and reported by cluster_files, never fatal
            df = spark.read.option("recursiveFileLookup", "true").option("ignoreCorruptFiles", "true").text(path)
            frames.append(df.select(F.input_file_name().alias("file"), F.col("value")))
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def _local(uri: str) -> str:
    import re

    return re.sub(r"^file:/+", "/", uri)


def _list_files(spark, path: str) -> list[str]:
    """Every data file under ``path`` (Hadoop filesystem: local, HDFS, S3...)."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    out, it = [], fs.listFiles(p, True)
    while it.hasNext():
        name = it.next().getPath()
        if not name.getName().startswith(("_", ".")):
            out.append(name.toString())
    return out


def _is_parquet_dir(spark, path: str) -> bool:
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    fs = p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(p):
        raise InputError(f"input not found: {path}", code="SS104")
    if not fs.getFileStatus(p).isDirectory():
        return False
    names = [s.getPath().getName() for s in fs.listStatus(p)]
    return any(n.endswith(".parquet") for n in names) and not any(n.endswith((".jsonl", ".json", ".gz", ".ndjson")) for n in names)


def _analyse_batches(settings: Settings):
    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from ..analysis import analyse_all
        from ..analysis.serial import analysis_to_bytes
        from ..cleaning import clean_all
        from ..clustering.search import search_vector
        from ..readers import ReadReport
        from ..readers.jsonl import stream_jsonl

        one_process = replace(settings, analyse=replace(settings.analyse, workers=1))  # Spark runs one per core already
        for pdf in frames:
            report = ReadReport()
            docs = []
            for file, group in pdf.groupby("file", sort=False):
                docs.extend(stream_jsonl((v.encode("utf-8") for v in group["value"]), file, report))
            arts = list(clean_all(docs, settings=settings, report=report))
            rows = []
            for an in analyse_all(arts, settings=one_process):
                pub = an.article.published
                rows.append(("article", an.id, pub.timestamp() if pub else None, an.article.content_hash,
                             search_vector(an).tobytes(), analysis_to_bytes(an), None, None))
            for p in report.problems:
                head, _, tail = p.origin.rpartition(":")
                rows.append(("problem", None, None, None, None, None, head if tail.isdigit() else p.origin, f"{p.code}: {p.reason}"))
            yield pd.DataFrame(rows, columns=["kind", "id", "published", "hash", "vector", "analysis", "file", "message"])

    return run


def _neighbours(settings: Settings):
    cfg = settings.cluster

    def run(pdf):
        import pandas as pd

        from ..clustering.candidates import block_neighbours

        q = pdf[pdf["role"] == "q"].drop_duplicates("id").sort_values("id")
        c = pdf[pdf["role"] == "c"].drop_duplicates("id").sort_values("id")
        if q.empty or c.empty:
            return pd.DataFrame({"i": [], "j": []})
        vec = lambda s: np.vstack([np.frombuffer(b, dtype=np.float32) for b in s]).astype(np.float64)  # noqa: E731
        ts = lambda s: s.astype("float64").to_numpy(na_value=np.nan)  # noqa: E731
        cids = c["id"].tolist()
        col = {x: k for k, x in enumerate(cids)}
        qids = q["id"].tolist()
        found = block_neighbours(vec(q["vector"]), ts(q["published"]), vec(c["vector"]), ts(c["published"]),
                                 np.array([col.get(x, -1) for x in qids]), neighbours=cfg.neighbours,
                                 min_cosine=cfg.min_cosine, window_days=cfg.window_days)
        pairs = sorted({(min(qids[r], cids[j]), max(qids[r], cids[j])) for r, j, _ in found})
        return pd.DataFrame(pairs, columns=["i", "j"])

    return run


def _score_batches():
    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from ..analysis.serial import analysis_from_bytes
        from ..clustering.linker import link_probabilities

        for pdf in frames:
            cache: dict[str, Any] = {}

            def an(i: str, blob: bytes):
                if i not in cache:
                    cache[i] = analysis_from_bytes(blob)
                return cache[i]

            pairs = [(an(i, a), an(j, b)) for i, j, a, b in zip(pdf["i"], pdf["j"], pdf["a"], pdf["b"])]
            probs = link_probabilities(pairs) if pairs else []
            yield pd.DataFrame({"i": pdf["i"], "j": pdf["j"], "prob": np.asarray(probs, dtype=np.float64)})

    return run


def _stories(settings: Settings):
    threshold = settings.cluster.split_probability

    def run(pdf):
        import pandas as pd

        from ..analysis.serial import analysis_from_bytes
        from ..clustering.batch import by_protagonist
        from ..clustering.graph import split_weak
        from ..clustering.stories import make_story, story_to_dict

        members = pdf[pdf["kind"] == "m"].sort_values("id")
        ids = members["id"].tolist()
        ans = [analysis_from_bytes(b) for b in members["analysis"]]
        index = {x: k for k, x in enumerate(ids)}
        prob = {(index[i], index[j]): float(p) for i, j, p in zip(*(pdf[pdf["kind"] == "p"][c] for c in ("id", "j", "prob")))}
        rows = []
        groups = by_protagonist(split_weak(list(range(len(ids))), prob, threshold), lambda g: [ans[k] for k in g], settings)
        for group in groups:
            d = story_to_dict(make_story([ans[k] for k in group]))
            rows.append((d["story"], d["title"], d["articles"], d["copies"], d["first_seen"], d["last_seen"], d["sources"],
                         json.dumps(d, ensure_ascii=False)))
        return pd.DataFrame(rows, columns=["story", "title", "articles", "copies", "first_seen", "last_seen", "sources", "json"])

    return run


def _components(spark, vertices, edges, max_rounds: int = 200):
    """Connected components by iterative min-label propagation: (id, label = smallest id in its component)."""
    from pyspark.sql import functions as F

    labels = vertices.select("id", F.col("id").alias("label")).localCheckpoint()
    edges = edges.select("i", "j").localCheckpoint()
    for _ in range(max_rounds):
        forward = edges.join(labels, edges.i == labels.id).select(F.col("j").alias("id"), "label")
        backward = edges.join(labels, edges.j == labels.id).select(F.col("i").alias("id"), "label")
        new = labels.unionByName(forward).unionByName(backward).groupBy("id").agg(F.min("label").alias("label")).localCheckpoint()
        changed = new.alias("n").join(labels.alias("o"), "id").filter(F.col("n.label") != F.col("o.label")).count()
        labels = new
        if changed == 0:
            return labels
    raise SamestoryError(f"connected components did not converge in {max_rounds} rounds", code="SS223")


def cluster_lines(spark, lines, settings: Settings | None = None):
    """(stories, assignments, problems) DataFrames from (file, value) rows of JSON articles."""
    from pyspark.sql import functions as F

    settings = settings or load_settings()
    parts = max(2, spark.sparkContext.defaultParallelism * 4)
    analysed = lines.repartition(parts).mapInPandas(_analyse_batches(settings), ANALYSED).persist()
    problems = (analysed.filter("kind = 'problem'").withColumn("file", F.regexp_replace("file", "^file:/+", "/")).groupBy("file")
                .agg(F.count("*").alias("skipped"), F.first("message").alias("example")))
    stories, assignments = stories_from_analyses(spark, analysed.filter("kind = 'article'"), settings)
    return stories, assignments, problems


def stories_from_analyses(spark, analysed, settings: Settings | None = None):
    """(stories, assignments) from analysed articles: rows (id, published, hash, vector, analysis) as the
    analysis stage writes them (``vector``: float32 search vector bytes, ``clustering.search``; ``analysis``: ``analysis_to_bytes``)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    settings = settings or load_settings()
    cfg = settings.cluster
    latest = Window.partitionBy("id").orderBy(F.col("published").isNotNull().desc(), F.col("published").desc_nulls_last(), F.col("hash").desc())
    arts = (analysed.withColumn("_rank", F.row_number().over(latest))
            .filter("_rank = 1").select("id", "published", "vector", "analysis").persist())
    # 3. candidates by time blocks
    width = float(max(cfg.window_days, 1) * 86400)
    dated = arts.filter(F.col("published").isNotNull()).withColumn("block", F.floor(F.col("published") / width).cast("long"))
    blocks = [r["block"] for r in dated.select("block").distinct().collect()]
    undated_block = (min(blocks) - 10) if blocks else 0
    all_blocks = F.array(*[F.lit(b) for b in [*blocks, undated_block]]) if blocks else F.array(F.lit(undated_block))
    base = ["id", "published", "vector"]
    queries = (dated.select(*base, "block")
               .unionByName(arts.filter(F.col("published").isNull()).select(*base, F.lit(undated_block).cast("long").alias("block")))
               .withColumn("role", F.lit("q")))
    known = spark.createDataFrame([(b,) for b in [*blocks, undated_block]], "block long")
    cands_dated = dated.select(*base, F.explode(F.array(F.col("block") - 1, F.col("block"), F.col("block") + 1, F.lit(undated_block))).alias("block"))
    cands_undated = arts.filter(F.col("published").isNull()).select(*base, F.explode(all_blocks).alias("block"))
    cands = cands_dated.unionByName(cands_undated).join(F.broadcast(known), "block").withColumn("role", F.lit("c"))
    pairs = (queries.unionByName(cands.select(*base, "block", "role"))
             .groupBy("block").applyInPandas(_neighbours(settings), "i string, j string").distinct())
    # 4. scoring
    blobs = arts.select("id", "analysis")
    scored = (pairs.join(blobs.select(F.col("id").alias("i"), F.col("analysis").alias("a")), "i")
              .join(blobs.select(F.col("id").alias("j"), F.col("analysis").alias("b")), "j")
              .repartition(max(2, spark.sparkContext.defaultParallelism * 2))
              .mapInPandas(_score_batches(), "i string, j string, prob double").persist())
    # 5. components of confident links
    labels = _components(spark, arts.select("id"), scored.filter(F.col("prob") >= cfg.link_probability))
    # 6. stories per component
    li, lj = labels.select(F.col("id").alias("i"), F.col("label").alias("li")), labels.select(F.col("id").alias("j"), F.col("label").alias("lj"))
    inside = (scored.join(li, "i").join(lj, "j").filter("li = lj")
              .select(F.col("li").alias("label"), F.lit("p").alias("kind"), F.col("i").alias("id"), "j", "prob", F.lit(None).cast("binary").alias("analysis")))
    members = (arts.join(labels, "id")
               .select("label", F.lit("m").alias("kind"), "id", F.lit(None).cast("string").alias("j"), F.lit(None).cast("double").alias("prob"), "analysis"))
    stories = inside.unionByName(members).groupBy("label").applyInPandas(_stories(settings), STORY)
    stories = stories.persist()
    assignments = stories.select(F.explode("articles").alias("article"), "story")
    return stories, assignments


def cluster_dataframe(df, *, settings: Settings | None = None):
    """Stories and article-to-story assignments of a DataFrame of articles (columns in the Article JSON form)."""
    from pyspark.sql import functions as F

    lines = df.select(F.lit("dataframe").alias("file"), F.to_json(F.struct(*df.columns)).alias("value"))
    stories, assignments, _ = cluster_lines(df.sparkSession, lines, settings)
    return stories, assignments


def cluster_files(spark, inputs: Sequence[str], out: str, *, settings: Settings | None = None, window_days: int | None = None) -> dict:
    """The whole job: read ``inputs``, write ``out``/stories.parquet, stories.jsonl, assignments.parquet and
    problems.jsonl (bad lines and files, counted per file). Returns counts."""
    from pyspark.sql import functions as F

    settings = settings or load_settings()
    if window_days is not None:
        settings = replace(settings, cluster=replace(settings.cluster, window_days=window_days))
    lines = read_inputs(spark, inputs)
    stories, assignments, problems = cluster_lines(spark, lines, settings)
    # files that gave no line at all: unreadable (Spark skips corrupt files) or empty
    listed = {_local(f) for path in inputs for f in _list_files(spark, path)}
    seen = {_local(r["file"]) for r in lines.select("file").distinct().collect()}
    silent = sorted(listed - seen)
    if silent:
        extra = spark.createDataFrame([(f, 1, "SS110: unreadable or empty file, skipped") for f in silent], "file string, skipped long, example string")
        problems = problems.unionByName(extra)
    order = [F.col("last_seen").isNull(), F.col("last_seen").desc(), F.size("articles").desc(), F.col("story")]
    stories.orderBy(*order).drop("json").write.mode("overwrite").parquet(f"{out}/stories.parquet")
    stories.orderBy(*order).select("json").coalesce(1).write.mode("overwrite").text(f"{out}/stories.jsonl")
    assignments.write.mode("overwrite").parquet(f"{out}/assignments.parquet")
    problems.coalesce(1).write.mode("overwrite").json(f"{out}/problems.jsonl")
    return {"stories": stories.count(), "articles": assignments.count(),
            "skipped": int(problems.agg(F.sum("skipped")).collect()[0][0] or 0)}
