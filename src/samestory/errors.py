"""The one exception tree of samestory.

Every error the library raises on purpose derives from :class:`SamestoryError`
and carries a short, greppable code (``SS012``) plus a message that says what
to do about it::

    SamestoryError
    ├── InputError          bad input: a file, a JSON line, an article, an argument
    │   └── ReadError       a whole source could not be read (missing, binary, undecodable)
    ├── ConfigError         settings: unknown key, value out of range, unreadable file
    │   └── MissingExtraError  an optional dependency is not installed (names the pip line)
    ├── StoreError          the SQLite store: not a samestory database, newer schema, locked
    │   └── BacklogError    the server's placer is behind: a post is refused, to retry after some seconds
    └── ModelError          a model could not be loaded or run

Adapters map the tree at the edge: the CLI prints ``samestory: error: SS012: ...``
and exits with code 2; the HTTP API answers with a 4xx JSON body.
"""

from __future__ import annotations

__all__ = [
    "SamestoryError",
    "InputError",
    "ReadError",
    "ConfigError",
    "MissingExtraError",
    "StoreError",
    "BacklogError",
    "ModelError",
]


class SamestoryError(Exception):
    """Root of every error samestory raises on purpose."""

    code: str = "SS000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(f"{self.code}: {message}")


class InputError(SamestoryError):
    """Input that cannot be used: a malformed JSON line, an empty article, a bad argument."""

    code = "SS100"


class ReadError(InputError):
    """A whole source could not be read: it does not exist, is binary, or cannot be decoded."""

    code = "SS110"


class ConfigError(SamestoryError):
    """Settings that cannot be used: unreadable file, unknown key, value out of range."""

    code = "SS200"


class MissingExtraError(ConfigError):
    """An optional part was asked for but its dependencies are not installed."""

    code = "SS210"

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(
            f"{feature} needs the optional dependencies of samestory[{extra}]; "
            f"install them with: pip install 'samestory[{extra}]'"
        )


class StoreError(SamestoryError):
    """The store cannot be opened or written."""

    code = "SS300"


class BacklogError(StoreError):
    """The server has more articles waiting to be placed than its placer can place in ``serve.placing_within``
    seconds: a post is refused (HTTP 429) and may be sent again after ``retry_after`` seconds."""

    code = "SS306"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ModelError(SamestoryError):
    """A model could not be loaded or run."""

    code = "SS400"
