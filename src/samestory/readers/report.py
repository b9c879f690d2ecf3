"""ReadReport: what a read produced and what it skipped, and why."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from ..records import ReadProblem

__all__ = ["ReadReport"]

log = logging.getLogger("samestory.readers")


@dataclass
class ReadReport:
    """A running tally of a read; each problem is also logged as a warning.

    ``files`` counts sources opened, ``articles`` the articles produced,
    ``problems`` what was skipped (a whole file, or one line/entry of it).
    """

    files: int = 0
    articles: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    #: log each problem as it is met (a worker process's report does not: the report it is merged into logs them)
    echo: bool = field(default=True, repr=False, compare=False)

    def skip(self, origin: str, reason: str, code: str) -> None:
        self.problems.append(ReadProblem(origin, reason, code))
        if self.echo:
            log.warning("%s: %s", origin, reason)

    def merge(self, other: ReadReport) -> None:
        """Add another report's counts and problems (logged here) to this one."""
        self.files += other.files
        self.articles += other.articles
        for problem in other.problems:
            self.skip(problem.origin, problem.reason, problem.code)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        """One line: 'read 9 articles from 3 sources; skipped 2 (1 binary file, 1 malformed JSON line)'."""
        text = f"read {self.articles} article{'s' * (self.articles != 1)} from {self.files} source{'s' * (self.files != 1)}"
        if not self.problems:
            return text + "; nothing skipped"
        kinds = Counter(p.code for p in self.problems)
        detail = ", ".join(f"{n} {_LABELS.get(code, code)}" for code, n in kinds.most_common())
        return f"{text}; skipped {self.skipped} ({detail})"


_LABELS = {
    "SS101": "not an article object",
    "SS102": "empty article",
    "SS103": "bad field",
    "SS105": "malformed JSON",
    "SS110": "missing path",
    "SS111": "unsupported file type",
    "SS112": "binary file",
    "SS113": "undecodable file",
    "SS114": "truncated or corrupt gzip or WARC record",
    "SS115": "HTML without article text",
    "SS116": "feed without entries",
    "SS117": "empty file",
    "SS118": "file too large",
    "SS119": "unreadable file",
    "SS120": "unreadable record",
    "SS121": "HTML too complex",
    "SS130": "not an http(s) URL",
    "SS131": "disallowed by robots.txt",
    "SS132": "redirect loop or too many redirects",
    "SS133": "HTTP error",
    "SS134": "unreachable host",
    "SS135": "response too large",
    "SS136": "not a page, feed or text",
}
