"""MkDocs hooks (``mkdocs.yml``: ``hooks``): the reference pages are made from the code at build time, so they cannot
drift from it. A page asks for a generated part with a marker line:

- ``<!-- generated: cli -->``: every command and flag, from the argparse parsers (``samestory.cli.build_parser``);
- ``<!-- generated: http -->``: every route, its parameters and statuses, from the app's OpenAPI schema;
- ``<!-- generated: errors -->``: every error code the library raises, its class and message, read from the source;
- ``<!-- generated: settings -->``: the packaged ``defaults.toml``, as shipped;
- ``<!-- generated: benchmarks -->``: the tables of ``benchmarks/results/*.json`` where this checkout has them, with
  charts (matplotlib, inline SVG) for the look-alike, segmentation and server benchmarks.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "samestory"
_MARKER = re.compile(r"^<!-- generated: (\w+) -->$", re.M)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return _MARKER.sub(lambda m: GENERATORS[m.group(1)](), markdown)


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _options(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            name = ", ".join(f"`{o}`" for o in action.option_strings)
            if action.nargs != 0 and action.metavar != argparse.SUPPRESS:
                name += f" `{action.metavar or action.dest.upper()}`"
        else:
            name = f"`{action.metavar or action.dest}`"
        default = action.default if action.default not in (None, False, argparse.SUPPRESS) and action.nargs != 0 else ""
        rows.append(f"| {name} | {_cell(action.help)} | {_cell(str(default)) if default != '' else ''} |")
    if not rows:
        return []
    return ["| argument | what | default |", "|---|---|---|", *rows, ""]


def cli() -> str:
    from samestory.cli import build_parser

    parser = build_parser()
    out = ["## samestory", "", parser.description or "", "", "```text", parser.format_usage().strip(), "```", "",
           *_options(parser)]
    return "\n".join(out + _commands(parser, "samestory"))


def _commands(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    """A section per sub-command (an alias once, beside its name), and their own sub-commands after them."""
    out: list[str] = []
    for sub in (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)):
        names: dict[int, list[str]] = {}
        for name, p in sub.choices.items():
            names.setdefault(id(p), []).append(name)
        seen = set()
        for name, p in sub.choices.items():
            if id(p) in seen:
                continue
            seen.add(id(p))
            also = names[id(p)][1:]
            out += [f"## {prefix} {name}", "", _cell(p.description) + (f" (also: {', '.join(also)})" if also else ""), "",
                    "```text", p.format_usage().strip(), "```", "", *_options(p)]
            out += _commands(p, f"{prefix} {name}")
    return out


def http() -> str:
    from samestory.web.app import create_app

    schema = create_app(":memory:", warm=False).openapi()
    out = [f"The schema itself: `GET /openapi.json` on a running server (version {schema['info']['version']}); "
           "`/docs` (Swagger UI) and `/redoc` render it, with no network needed.", ""]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            out += [f"## {method.upper()} {path}", "", _cell(op.get("description") or op.get("summary")), ""]
            params = op.get("parameters", [])
            if params:
                out += ["| parameter | in | type | what |", "|---|---|---|---|"]
                for prm in params:
                    typ = prm.get("schema", {}).get("type") or " or ".join(
                        s.get("type", "?") for s in prm.get("schema", {}).get("anyOf", []))
                    out.append(f"| `{prm['name']}` | {prm['in']} | {typ} | {_cell(prm.get('description'))} |")
                out.append("")
            if "requestBody" in op:
                out += ["Body: JSON (see the schema's components).", ""]
            out += ["| status | when |", "|---|---|"]
            out += [f"| {code} | {_cell(r.get('description'))} |" for code, r in op.get("responses", {}).items()]
            out.append("")
    return "\n".join(out)


def _message(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in node.values)
    return ast.unparse(node) if node is not None else ""


def errors() -> str:
    from samestory import errors as tree

    found: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            code = next((k.value.value for k in node.keywords if k.arg == "code" and isinstance(k.value, ast.Constant)), None)
            if not isinstance(code, str) or not re.fullmatch(r"SS\d{3}", code):
                continue
            kind = ast.unparse(node.func).split(".")[-1]
            found.setdefault(code, []).append((kind, _message(node.args[0] if node.args else None),
                                               str(path.relative_to(REPO / "src"))))
    out = [tree.__doc__.split("\n\n")[0], "", "```text", tree.__doc__.split("::")[1].split("\n\n")[1].rstrip(), "```", "",
           "| code | class | message (as raised; `{...}` is filled in) | where |", "|---|---|---|---|"]
    for code in sorted(found):
        for kind, message, where in found[code]:
            text = _cell(message).replace("_", "\\_").replace("*", "\\*").replace("<", "&lt;").replace("[", "\\[")
            out.append(f"| {code} | {kind} | {text} | `{where}` |")
    return "\n".join(out)


def settings() -> str:
    return "```toml\n" + (SRC / "defaults.toml").read_text().rstrip() + "\n```"


def _flat(value, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [kv for k, v in value.items() for kv in _flat(v, f"{prefix}{k} / " if prefix or k else k)]
    if isinstance(value, list) and value and not isinstance(value[0], (dict, list)):
        return [(prefix.rstrip(" /"), ", ".join(map(str, value)))]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return [(prefix.rstrip(" /"), value)]
    return []


def _bars(title: str, labels: list[str], series: dict[str, list[float]], unit: str) -> str:
    """A horizontal bar chart as inline SVG (matplotlib, no file to link: the page carries it)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(labels) * max(1, len(series))))
    height = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series.items()):
        ax.barh([i + k * height for i in range(len(labels))], values, height=height, label=name)
    ax.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(labels))], labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title, fontsize=10)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return '<div class="bench-chart">' + svg[svg.index("<svg"):] + "</div>"


def _charts(name: str, data: dict) -> list[str]:
    """The figures worth seeing at a glance, for the benchmarks that have them."""
    if name == "lookalike" and "bcubed" in data:
        rows = data["bcubed"]
        return [_bars("gun-violence dev stream, BCubed", list(rows),
                      {m: [rows[r][m] for r in rows] for m in ("precision", "recall", "f1")}, "score")]
    if name == "segmentation" and "dev" in data:
        rows = data["dev"]
        return [_bars("segmentation, ECB+ dev pages", list(rows),
                      {"false-split rate": [rows[r]["false_split_rate"] for r in rows],
                       "missed-split rate": [rows[r]["missed_split_rate"] for r in rows]}, "rate")]
    if name == "server" and "rows" in data:
        rows = [r for r in data["rows"] if r[3] != ""]
        return [_bars("the server under load, latency", [r[0] for r in rows],
                      {"p50": [float(r[3]) for r in rows], "p99": [float(r[4]) for r in rows]}, "ms")]
    return []


def benchmarks() -> str:
    results = sorted((REPO / "benchmarks" / "results").glob("*.json"))
    full = [p for p in results if "-smoke" not in p.stem]
    if not full:
        return ("*This checkout holds no benchmark results* (`benchmarks/results/` is made by the runs and not kept in "
                "the repository): run `make bench`, or one script, then `make docs` again.")
    out = []
    for p in full:
        data = json.loads(p.read_text())
        when = data.pop("when", None) or datetime.fromtimestamp(p.stat().st_mtime).isoformat(timespec="seconds")
        name = data.pop("benchmark", p.stem)
        out += [f"## {name}", "", f"`{p.relative_to(REPO)}`, {when}; made by `.venv/bin/python benchmarks/"
                f"bench_{p.stem.split('-')[0]}.py`", "", *_charts(p.stem, data), "", "| measure | value |", "|---|---|"]
        for key, value in _flat(data)[:60]:
            shown = f"{value:.4g}" if isinstance(value, float) else value
            out.append(f"| {_cell(key)} | {_cell(str(shown))} |")
        out.append("")
    return "\n".join(out)


GENERATORS = {"cli": cli, "http": http, "errors": errors, "settings": settings, "benchmarks": benchmarks}
