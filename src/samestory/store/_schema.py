"""The store's schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the number of migrations applied. A migration is
appended, never edited: a store made by an older samestory is brought up to
date on open, in one transaction.
"""

from __future__ import annotations

APP_ID = "samestory"

MIGRATIONS: list[str] = [
    # 1: articles
    """
    CREATE TABLE samestory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles (
        id            TEXT PRIMARY KEY,
        content_hash  TEXT NOT NULL,
        url           TEXT,
        source        TEXT,
        title         TEXT,
        text          TEXT NOT NULL,
        html          TEXT,
        language      TEXT,
        published     TEXT,
        meta          TEXT NOT NULL DEFAULT '{}',
        version       INTEGER NOT NULL DEFAULT 1,
        ingested_at   TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX articles_hash ON articles (content_hash);
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_source ON articles (source);
    """,
    # 2: analyses, cached by article content and model names
    """
    CREATE TABLE analyses (
        article_id    TEXT PRIMARY KEY,
        content_hash  TEXT NOT NULL,
        models        TEXT NOT NULL,
        data          BLOB NOT NULL,
        created_at    TEXT NOT NULL
    );
    """,
    # 3: stories, and where each article was placed
    """
    CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        size        INTEGER NOT NULL,
        first_seen  TEXT,
        last_seen   TEXT,
        sources     TEXT NOT NULL,
        entities    TEXT NOT NULL,
        data        TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX stories_last_seen ON stories (last_seen);
    CREATE TABLE placements (
        article_id    TEXT PRIMARY KEY,
        story_id      TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        published     TEXT,
        vector        BLOB NOT NULL,
        new_story     INTEGER NOT NULL,
        note          TEXT,
        placed_at     TEXT NOT NULL
    );
    CREATE INDEX placements_story ON placements (story_id);
    """,
    # 4: where a story merged away went, so that its id keeps answering
    """
    CREATE TABLE story_aliases (
        old_id    TEXT PRIMARY KEY,
        story_id  TEXT NOT NULL
    );
    """,
    # 5: a person's corrections: the pins placing and repair respect, and the log of each correction
    """
    CREATE TABLE pins (
        article_id  TEXT PRIMARY KEY,
        pin         TEXT NOT NULL
    );
    CREATE TABLE corrections (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      TEXT NOT NULL,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    """,
    # 6: the server's jobs: articles a post stored, waiting for (or done with) their placing by the placer process
    """
    CREATE TABLE jobs (
        id         TEXT PRIMARY KEY,
        status     TEXT NOT NULL,
        submitted  TEXT NOT NULL,
        placed_at  TEXT,
        error      TEXT,
        articles   TEXT NOT NULL,
        size       INTEGER NOT NULL,
        skipped    TEXT NOT NULL
    );
    CREATE INDEX jobs_status ON jobs (status);
    """,
    # 7: stories filtered by the language of their articles
    """
    CREATE INDEX articles_language ON articles (language);
    """,
    # 8: the sources `samestory watch` follows, with what their last fetches gave (validators, failures, next fetch)
    """
    CREATE TABLE sources (
        url            TEXT PRIMARY KEY,
        added          TEXT NOT NULL,
        etag           TEXT,
        last_modified  TEXT,
        last_fetch     TEXT,
        last_ok        TEXT,
        status         TEXT NOT NULL,
        message        TEXT,
        failures       INTEGER NOT NULL DEFAULT 0,
        next_fetch     TEXT,
        items          INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 9: a post's articles as given, until the placer has cleaned and stored them (the post answers before)
    """
    ALTER TABLE jobs ADD COLUMN posted TEXT;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
