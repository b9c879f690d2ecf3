"""The README and the documentation site: their examples run as written (sqlite-utils' test_docs idea), the README
stays a page, and the site builds with no warning, its reference naming every command and flag."""

import argparse
import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent
README = REPO / "README.md"
PAGES = [README, REPO / "docs" / "getting-started.md", *sorted((REPO / "docs" / "guides").glob("*.md"))]


def _blocks(path: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text(), flags=re.S)


def _shell_examples(path: Path):
    for block in _blocks(path, "sh"):  # ```sh blocks run; ```shell ones show commands with placeholders or servers
        for line in block.splitlines():
            cmd = line.split("  #")[0].strip()
            if "samestory" in cmd and not cmd.startswith("make"):
                yield cmd


def _scratch(tmp_path: Path) -> tuple[Path, dict]:
    for name in ("demo", "tests"):
        (tmp_path / name).symlink_to(REPO / name)
    bindir = str(Path(sys.executable).parent)
    return tmp_path, {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}


def _run(cmd: str, cwd: Path, env: dict) -> tuple[int, str, str]:
    """A plain `samestory ...` line runs in this process (the command's own entry point, ``main``: the models load
    once for all the pages); a line with a pipe or a redirection runs in a shell, as written."""
    if any(c in cmd for c in "|<>$`;&") or not cmd.startswith("samestory "):
        out = subprocess.run(cmd, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
        return out.returncode, out.stdout, out.stderr
    from samestory.cli import main

    stdout, stderr, here = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(shlex.split(cmd)[1:])
            except SystemExit as exc:  # --version, --help and argparse's own errors exit
                code = exc.code if isinstance(exc.code, int) else 0
    finally:
        os.chdir(here)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_shell_examples_run(page, tmp_path):
    examples = list(_shell_examples(page))
    if page == README:
        assert len(examples) >= 5
    cwd, env = _scratch(tmp_path)
    for cmd in examples:
        code, out, err = _run(cmd, cwd, env)
        assert code == 0, f"{cmd}: {err}"
        assert (out + err).strip(), f"{cmd} printed nothing"


@pytest.mark.parametrize("page", [README, REPO / "docs" / "getting-started.md"], ids=lambda p: p.name)
def test_python_examples_run(page, tmp_path):
    blocks = _blocks(page, "python")
    assert blocks
    cwd, env = _scratch(tmp_path)
    for code in blocks:
        out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.strip()


def test_the_readme_is_a_page():
    lines = README.read_text().splitlines()
    assert len(lines) <= 150
    first_screen = "\n".join(lines[:40])
    for must in ("make demo", "samestory ingest", "samestory serve"):
        assert must in "\n".join(lines[:50]) or must in first_screen, must


def _flags(parser: argparse.ArgumentParser, prefix: str):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:  # an alias ("analyze"): named beside its command
                    yield f"also: {name}", None
                    continue
                seen.add(id(sub))
                yield f"{prefix} {name}", None
                yield from _flags(sub, f"{prefix} {name}")
        else:
            for option in action.option_strings:
                yield prefix, option


def test_the_site_builds_strict_with_every_command_and_flag(tmp_path):
    from samestory.cli import build_parser

    site = tmp_path / "site"
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=REPO,
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    cli = (site / "reference" / "cli" / "index.html").read_text()
    for command, flag in _flags(build_parser(), "samestory"):
        assert command in cli, command
        if flag is not None:
            assert flag in cli, (command, flag)
    http = (site / "reference" / "http" / "index.html").read_text()
    for route in ("GET /stories", "POST /articles", "POST /compare", "GET /health"):
        assert route in http, route
    errors = (site / "reference" / "errors" / "index.html").read_text()
    assert "SS120" in errors and "SS305" in errors
    assert "samestory.compare" in (site / "reference" / "python" / "index.html").read_text()
