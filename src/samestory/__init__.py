"""samestory: which news articles tell the same story, and how do they differ.

The flow: ``read`` sources -> raw documents -> ``clean`` -> articles (one per story) -> ``analyse`` ->
analyses; ``ingest`` puts articles into a store, which also caches analyses.
Everything public is re-exported here; ``__all__`` is the whole API.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

from .analysis import (  # noqa: E402
    EntityMatch,
    StageTimes,
    analyse,
    analyse_all,
    analyse_cached,
    match_entities,
    model_names,
    with_openings,
)
from .articles import (  # noqa: E402
    article_from_dict,
    article_to_dict,
    make_article,
    parse_datetime,
    source_from_url,
)
from .cleaning import SUPPORTED_LANGUAGES, clean, clean_all, clean_one, detect_language  # noqa: E402
from .clustering import (  # noqa: E402
    Placement,
    RepairReport,
    StoryClusterer,
    candidate_pairs,
    cluster,
    copy_groups,
    coverage,
    link_probabilities,
    make_story,
    story_from_dict,
    story_to_dict,
)
from .embed import (  # noqa: E402
    Embedder,
    E5Embedder,
    USEEmbedder,
    embedder_names,
    get_embedder,
    register_embedder,
)
from .errors import (  # noqa: E402
    BacklogError,
    ConfigError,
    InputError,
    MissingExtraError,
    ModelError,
    ReadError,
    SamestoryError,
    StoreError,
)
from .pipeline import (  # noqa: E402
    StoryUpdate,
    correct,
    delete,
    ingest,
    read_articles,
    repair_all,
    repair_due_stories,
    stored_analyses,
    story_clusterer,
    update_stories,
)
from .readers import ReadReport, read  # noqa: E402
from .records import (  # noqa: E402
    Analysis,
    Article,
    Entity,
    Explanation,
    IngestResult,
    Number,
    PairScore,
    RawDocument,
    ReadProblem,
    Source,
    StoreStats,
    Story,
    StoryArticle,
    Coverage,
    content_hash,
)
from .scoring import compare, compare_many, explain  # noqa: E402
from .settings import (  # noqa: E402
    AnalyseSettings,
    CleanSettings,
    ClusterSettings,
    IngestSettings,
    ReadSettings,
    ScoreSettings,
    Settings,
    StoreSettings,
    load_settings,
)
from .store import SQLiteStore, open_store  # noqa: E402

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    # records
    "Article",
    "RawDocument",
    "ReadProblem",
    "IngestResult",
    "StoreStats",
    "Source",
    "Entity",
    "Number",
    "Analysis",
    "PairScore",
    "Explanation",
    "Story",
    "StoryArticle",
    "Coverage",
    "Placement",
    "RepairReport",
    "StoryUpdate",
    "content_hash",
    # the JSON form
    "article_from_dict",
    "article_to_dict",
    "make_article",
    "parse_datetime",
    "source_from_url",
    # stages and jobs
    "read",
    "ReadReport",
    "read_articles",
    "clean",
    "clean_all",
    "clean_one",
    "detect_language",
    "SUPPORTED_LANGUAGES",
    "ingest",
    "analyse",
    "analyse_all",
    "analyse_cached",
    "match_entities",
    "EntityMatch",
    "StageTimes",
    "model_names",
    "with_openings",
    "compare",
    "compare_many",
    "explain",
    "cluster",
    "candidate_pairs",
    "link_probabilities",
    "StoryClusterer",
    "make_story",
    "copy_groups",
    "coverage",
    "story_to_dict",
    "story_from_dict",
    "update_stories",
    "repair_due_stories",
    "repair_all",
    "delete",
    "correct",
    "story_clusterer",
    "stored_analyses",
    # embedders
    "Embedder",
    "USEEmbedder",
    "E5Embedder",
    "get_embedder",
    "register_embedder",
    "embedder_names",
    # store
    "SQLiteStore",
    "open_store",
    # settings
    "Settings",
    "StoreSettings",
    "ReadSettings",
    "IngestSettings",
    "CleanSettings",
    "AnalyseSettings",
    "ScoreSettings",
    "ClusterSettings",
    "load_settings",
    # errors
    "SamestoryError",
    "BacklogError",
    "InputError",
    "ReadError",
    "ConfigError",
    "MissingExtraError",
    "StoreError",
    "ModelError",
]
