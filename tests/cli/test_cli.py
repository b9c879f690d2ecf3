"""The CLI as a user runs it: one-line errors with exit code 2, help for everything."""

import json
import subprocess
import sys

import pytest

from samestory import __version__
from samestory.cli import build_parser, main


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "samestory", *map(str, args)], capture_output=True, text=True, input=stdin
    )


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"samestory {__version__}"


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) >= {"read", "ingest", "summary"}
    for name, cmd in sub.choices.items():
        assert cmd.description, f"samestory {name} has no help text"
        assert run_cli(name, "--help").returncode == 0


def test_read_prints_json_lines(fixtures):
    out = run_cli("read", fixtures / "topic1.jsonl", fixtures / "news.rss")
    assert out.returncode == 0
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 15
    assert "read 15 articles from 2 sources; nothing skipped" in out.stderr


def test_read_stdin(fixtures):
    out = run_cli("read", "-", stdin=(fixtures / "topic1.jsonl").read_text())
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 12


def test_errors_are_one_line_exit_2(tmp_path):
    out = run_cli("read", tmp_path / "missing.jsonl")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1].startswith("samestory: error: SS106")
    assert "Traceback" not in out.stderr


def test_store_that_is_not_ours(tmp_path, fixtures):
    db = tmp_path / "x.db"
    db.write_text("hello")
    out = run_cli("ingest", fixtures / "topic1.jsonl", "--db", db)
    assert out.returncode == 2
    assert out.stderr.strip() == f"samestory: error: SS302: '{db}' is not a samestory database (not SQLite); left untouched. Pass another --db"


def test_bad_config_is_one_line(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[store]\nnope = 1\n")
    out = run_cli("--config", cfg, "summary", "--db", tmp_path / "s.db")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def test_ingest_twice_then_summary(tmp_path, fixtures):
    import shutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("topic1.jsonl", "news.atom", "prisoner_gazette.html"):
        shutil.copy(fixtures / name, corpus)
    db = tmp_path / "s.db"
    first = run_cli("ingest", corpus, "--db", db)
    assert first.returncode == 0, first.stderr
    assert "read 15 articles from 3 sources; nothing skipped; stored 15 new" in first.stderr
    again = run_cli("ingest", corpus, "--db", db)
    assert "stored 0 new, 0 updated, 15 unchanged" in again.stderr
    summary = run_cli("summary", "--db", db, "--json")
    assert json.loads(summary.stdout)["articles"] == 15


def test_internal_error_is_one_line(monkeypatch, capsys):
    from samestory.cli import read_cmd

    def boom(args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(read_cmd, "run", boom)
    code = main(["read", "x"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == "samestory: internal error: RuntimeError: kaboom (run with -v for the traceback)"


@pytest.mark.parametrize("flag", ["-q"])
def test_quiet_prints_no_summary(fixtures, flag):
    out = run_cli(flag, "read", fixtures / "topic1.jsonl")
    assert out.returncode == 0 and out.stderr == ""


def test_reading_a_missing_store_is_an_error_not_a_new_store(tmp_path, capsys):
    missing = tmp_path / "typo.db"
    for command in (["stories"], ["summary"], ["story", "x"]):
        assert main([*command, "--db", str(missing)]) == 2
        assert "SS304" in capsys.readouterr().err
    assert not missing.exists()
