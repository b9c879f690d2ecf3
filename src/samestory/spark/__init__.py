"""samestory on Apache Spark: the same stories as ``samestory cluster``, from a corpus too big for
one machine. PySpark is an optional extra: ``pip install 'samestory[spark]'``.

``cluster_files(spark, inputs, out)`` runs the whole job over JSONL / Parquet inputs;
``cluster_dataframe(df)`` takes a DataFrame of articles and returns (stories, assignments).
"""

from __future__ import annotations

from ..errors import MissingExtraError

__all__ = ["cluster_dataframe", "cluster_files", "stories_from_analyses", "spark_session", "require_spark"]

def require_spark() -> None:
    """Raise a one-line MissingExtraError naming the pip line when PySpark (or pandas/pyarrow) is missing."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(f"Spark support ({exc.name} is missing)", "spark") from None


def __getattr__(name: str):
    if name in ("cluster_dataframe", "cluster_files", "stories_from_analyses", "spark_session"):
        require_spark()
        from . import job

        return getattr(job, name)
    raise AttributeError(name)
