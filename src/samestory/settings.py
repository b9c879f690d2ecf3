"""Settings: packaged defaults, overlaid by a user TOML file, then by overrides.

One :class:`Settings` object, built by :func:`load_settings`, is what library
functions take as ``settings=``. Sections are frozen dataclasses; an unknown key
or a value of the wrong type is a :class:`~samestory.errors.ConfigError` that
names the valid keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

__all__ = [
    "Settings",
    "StoreSettings",
    "ReadSettings",
    "IngestSettings",
    "CleanSettings",
    "AnalyseSettings",
    "ScoreSettings",
    "ClusterSettings",
    "load_settings",
]


@dataclass(frozen=True, slots=True)
class StoreSettings:
    path: str = "samestory.db"
    keep_html: bool = False


_FIELDS = ("id", "title", "text", "html", "url", "published", "source", "language")


def column_map(spec: str) -> dict[str, str]:
    """``read.columns`` ("published=date_col,text=body") as {column name: article field}."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        field, sep, column = (x.strip() for x in part.partition("="))
        if not sep or not column or field not in _FIELDS:
            raise ConfigError(f"read.columns (--map): '{part}' is not FIELD=COLUMN with FIELD one of {', '.join(_FIELDS)}",
                              code="SS203")
        out[column] = field
    return out


@dataclass(frozen=True, slots=True)
class ReadSettings:
    max_file_bytes: int = 50_000_000
    encoding: str = ""
    # given to every document that carries none (a text file has no source, date or language to read)
    source: str = ""
    published: str = ""
    language: str = ""
    # tables (CSV, TSV, Parquet): columns named otherwise than the usual names, "published=date_col,text=body";
    # and the strftime form of their dates ("%d/%m/%Y %H:%M"; "" = ISO, RFC 2822, else dateparser month first)
    columns: str = ""
    date_format: str = ""
    # processes that extract pages and clean (0: one per CPU core; 1: only the calling process)
    workers: int = 0

    def __post_init__(self) -> None:
        if self.max_file_bytes <= 0:
            raise ConfigError(f"read.max_file_bytes must be > 0, got {self.max_file_bytes}", code="SS203")
        if not 0 <= self.workers <= 256:
            raise ConfigError(f"read.workers must be in [0, 256] (0: one per CPU core), got {self.workers}", code="SS203")
        column_map(self.columns)  # a malformed map is an error at once, not at the first table


@dataclass(frozen=True, slots=True)
class FetchSettings:
    timeout: float = 20.0
    retries: int = 2
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    delay: float = 1.0
    robots: bool = True
    user_agent: str = ""

    def __post_init__(self) -> None:
        for name in ("timeout", "delay"):
            if not 0.0 <= getattr(self, name) <= 600.0:
                raise ConfigError(f"fetch.{name} must be in [0, 600] seconds, got {getattr(self, name)}", code="SS203")
        for name, top in (("retries", 10), ("max_redirects", 30)):
            if not 0 <= getattr(self, name) <= top:
                raise ConfigError(f"fetch.{name} must be in [0, {top}], got {getattr(self, name)}", code="SS203")
        if self.max_bytes <= 0:
            raise ConfigError(f"fetch.max_bytes must be > 0, got {self.max_bytes}", code="SS203")


@dataclass(frozen=True, slots=True)
class ServeSettings:
    placing_within: float = 30.0
    watch_every: float = 900.0

    def __post_init__(self) -> None:
        if self.placing_within < 0:
            raise ConfigError(f"serve.placing_within must be >= 0 seconds, got {self.placing_within}", code="SS203")
        if self.watch_every < 0:
            raise ConfigError(f"serve.watch_every must be >= 0 seconds, got {self.watch_every}", code="SS203")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    batch_size: int = 500

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 100_000:
            raise ConfigError(f"ingest.batch_size must be in [1, 100000], got {self.batch_size}", code="SS203")


@dataclass(frozen=True, slots=True)
class CleanSettings:
    segment: bool = True
    boundary_probability: float = 0.82
    max_chars: int = 1_000_000

    def __post_init__(self) -> None:
        if not 0.0 <= self.boundary_probability <= 1.0:
            raise ConfigError(f"clean.boundary_probability must be in [0, 1], got {self.boundary_probability}", code="SS203")
        if self.max_chars < 1000:
            raise ConfigError(f"clean.max_chars must be >= 1000, got {self.max_chars}", code="SS203")


@dataclass(frozen=True, slots=True)
class AnalyseSettings:
    embedder: str = "use-multilingual-v3"
    ner: str = "models"
    ner_chars: int = 4000
    max_sentences: int = 64
    workers: int = 0

    def __post_init__(self) -> None:
        if self.ner not in ("models", "rules"):
            raise ConfigError(f"analyse.ner must be 'models' or 'rules', got {self.ner!r}", code="SS203")
        if self.ner_chars < 200:
            raise ConfigError(f"analyse.ner_chars must be >= 200, got {self.ner_chars}", code="SS203")
        if not 1 <= self.max_sentences <= 1000:
            raise ConfigError(f"analyse.max_sentences must be in [1, 1000], got {self.max_sentences}", code="SS203")
        if not 0 <= self.workers <= 256:
            raise ConfigError(f"analyse.workers must be in [0, 256] (0: one per CPU core), got {self.workers}", code="SS203")


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    opening_embedder: str = "multilingual-e5-small"


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    neighbours: int = 20
    min_cosine: float = 0.25
    window_days: int = 30
    link_probability: float = 0.4
    split_probability: float = 0.5
    protagonist_articles: int = 3
    protagonist_co_mention: float = 0.1
    index_articles: int = 50_000
    repair_every: int = 50_000

    def __post_init__(self) -> None:
        for name in ("index_articles", "repair_every"):
            if getattr(self, name) < 0:
                raise ConfigError(f"cluster.{name} must be >= 0, got {getattr(self, name)}", code="SS203")
        if self.protagonist_articles < 0:
            raise ConfigError(f"cluster.protagonist_articles must be >= 0, got {self.protagonist_articles}", code="SS203")
        if not 1 <= self.neighbours <= 1000:
            raise ConfigError(f"cluster.neighbours must be in [1, 1000], got {self.neighbours}", code="SS203")
        for name in ("link_probability", "split_probability", "protagonist_co_mention"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"cluster.{name} must be in [0, 1], got {getattr(self, name)}", code="SS203")
        if self.window_days < 0:
            raise ConfigError(f"cluster.window_days must be >= 0, got {self.window_days}", code="SS203")


@dataclass(frozen=True, slots=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    read: ReadSettings = field(default_factory=ReadSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    analyse: AnalyseSettings = field(default_factory=AnalyseSettings)
    score: ScoreSettings = field(default_factory=ScoreSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)


def _section(cls: type, name: str, values: Any, base: Any) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"[{name}] must be a table of settings", code="SS202")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting {name}.{unknown[0]}; valid keys in [{name}]: {', '.join(sorted(known))}", code="SS202"
        )
    checked: dict[str, Any] = {}
    for key, value in values.items():
        want = hints[key]
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ConfigError(
                f"setting {name}.{key} must be {want.__name__}, got {type(value).__name__} {value!r}", code="SS203"
            )
        checked[key] = value
    return replace(base, **checked)


def _overlay(settings: Settings, data: dict[str, Any]) -> Settings:
    sections = {f.name: f for f in fields(Settings)}
    hints = get_type_hints(Settings)
    changes = {}
    for name, values in data.items():
        if name not in sections:
            raise ConfigError(f"unknown settings section [{name}]; valid: {', '.join(sections)}", code="SS202")
        changes[name] = _section(hints[name], name, values, getattr(settings, name))
    return replace(settings, **changes)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"settings file '{path}' does not exist", code="SS201") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file '{path}': {exc}", code="SS201") from None


@lru_cache(maxsize=1)
def _packaged() -> Settings:
    """The packaged defaults, read once per process (Settings are frozen, so sharing them is safe)."""
    with resources.files(__package__).joinpath("defaults.toml").open("rb") as fh:
        return _overlay(Settings(), tomllib.load(fh))


def load_settings(path: str | Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
    """Packaged defaults, then the TOML file at ``path``, then ``overrides`` ({section: {key: value}})."""
    settings = _packaged()
    if path is not None:
        settings = _overlay(settings, _read_toml(Path(path)))
    if overrides:
        settings = _overlay(settings, {k: v for k, v in overrides.items() if v})
    return settings
