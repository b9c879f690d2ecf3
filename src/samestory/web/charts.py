"""Charts of a story, drawn on the server as SVG (nothing to load, nothing to build): its coverage over time by source,
and who reported first. Each scales to its box (a viewBox, width 100%), so it reads at phone width."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from html import escape
from typing import Any

__all__ = ["coverage_chart", "first_reports", "sparkline"]

_PALETTE = ("#2b6cb0", "#c05621", "#2f855a", "#b83280", "#6b46c1", "#b7791f", "#718096")
_TOP_SOURCES = 6  # named in the chart; the rest are "other sources"
_W, _H, _PAD = 640, 200, 28


def _times(timeline: list[dict]) -> list[tuple[datetime, str]]:
    out = []
    for t in timeline:
        if t.get("published"):
            try:
                out.append((datetime.fromisoformat(t["published"]), t.get("source") or "(no source)"))
            except ValueError:
                continue
    return sorted(out)


def _bin(span: timedelta) -> tuple[timedelta, str]:
    """Hours for a story of up to three days, days for a longer one."""
    return (timedelta(hours=1), "hour") if span <= timedelta(days=3) else (timedelta(days=1), "day")


def coverage_chart(timeline: list[dict]) -> str | None:
    """Articles per hour or day, stacked by source (the six that published most named, the others together), as an
    SVG; None when fewer than two articles are dated."""
    times = _times(timeline)
    if len(times) < 2:
        return None
    start, end = times[0][0], times[-1][0]
    step, unit = _bin(end - start)
    if unit == "day":
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        start = start.replace(minute=0, second=0, microsecond=0)
    bins = int((end - start) / step) + 1
    top = [s for s, _ in Counter(s for _, s in times).most_common(_TOP_SOURCES)]
    counts: list[Counter] = [Counter() for _ in range(bins)]
    for when, source in times:
        counts[min(bins - 1, int((when - start) / step))][source if source in top else "other sources"] += 1
    tallest = max(sum(c.values()) for c in counts)
    names = top + (["other sources"] if any(c["other sources"] for c in counts) else [])
    colour = {name: _PALETTE[min(k, len(_PALETTE) - 1)] for k, name in enumerate(names)}
    width = (_W - 2 * _PAD) / bins
    parts = [f'<svg class="chart" viewBox="0 0 {_W} {_H + 20 * ((len(names) + 2) // 3)}" width="100%" role="img" '
             f'aria-label="articles per {unit}, by source">',
             f'<title>Articles per {unit}, by source</title>']
    for k, c in enumerate(counts):
        y = _H - _PAD
        for name in names:
            n = c[name]
            if not n:
                continue
            h = (_H - 2 * _PAD) * n / tallest
            y -= h
            label = f"{(start + k * step).isoformat()[:16 if unit == 'hour' else 10]}: {n} from {name}"
            parts.append(f'<rect x="{_PAD + k * width:.1f}" y="{y:.1f}" width="{max(1.0, width - 1):.1f}" height="{h:.1f}" '
                         f'fill="{colour[name]}"><title>{escape(label)}</title></rect>')
    parts.append(f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>')
    parts.append(f'<text x="{_PAD}" y="{_H - 8}" font-size="12">{escape(start.isoformat()[:16].replace("T", " "))}</text>')
    parts.append(f'<text x="{_W - _PAD}" y="{_H - 8}" font-size="12" text-anchor="end">'
                 f'{escape(end.isoformat()[:16].replace("T", " "))}</text>')
    parts.append(f'<text x="{_PAD}" y="{_PAD - 10}" font-size="12">{tallest} per {unit} at most</text>')
    for k, name in enumerate(names):
        x, y = _PAD + (k % 3) * 200, _H + 14 + 20 * (k // 3)
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour[name]}"/>'
                     f'<text x="{x + 18}" y="{y}" font-size="12">{escape(name[:28])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def first_reports(timeline: list[dict]) -> list[dict[str, Any]]:
    """Each source's first article in the story and its lag behind the story's first, earliest first."""
    times = _times(timeline)
    if not times:
        return []
    first: dict[str, datetime] = {}
    for when, source in times:
        first.setdefault(source, when)
    t0 = times[0][0]
    return [{"source": s, "first": w.isoformat(), "lag": _lag(w - t0)} for s, w in sorted(first.items(), key=lambda kv: kv[1])]


def _lag(d: timedelta) -> str:
    minutes = int(d.total_seconds() // 60)
    if minutes == 0:
        return "first"
    if minutes < 120:
        return f"+{minutes} min"
    if minutes < 48 * 60:
        return f"+{minutes // 60} h"
    return f"+{minutes // 1440} days"


def sparkline(timeline: list[dict], bars: int = 24) -> str | None:
    """A small bar chart of a story's articles over its span, for the story list; None for fewer than two dated."""
    times = [w for w, _ in _times(timeline)]
    if len(times) < 2:
        return None
    span = (times[-1] - times[0]) or timedelta(seconds=1)
    counts = [0] * bars
    for w in times:
        counts[min(bars - 1, int((w - times[0]) / span * bars))] += 1
    top = max(counts)
    rects = "".join(f'<rect x="{k * 4}" y="{16 - 16 * n / top:.1f}" width="3" height="{16 * n / top:.1f}"/>'
                    for k, n in enumerate(counts) if n)
    return (f'<svg class="spark" viewBox="0 0 {bars * 4} 16" width="{bars * 4}" height="16" role="img" '
            f'aria-label="{len(times)} articles over {escape(_lag(span).lstrip("+"))}">{rects}</svg>')
