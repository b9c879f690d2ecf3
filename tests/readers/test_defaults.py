"""--source, --published and --language: what a document that carries none is given (a text file carries none)."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from samestory import load_settings, read
from samestory.cli import main
from samestory.errors import InputError


def _settings(**read_settings):
    return load_settings(overrides={"read": read_settings})


def test_a_text_file_gets_the_given_source_time_and_language(tmp_path):
    (tmp_path / "storm.txt").write_text("Storm hits coast\n\nA storm hit the coast of Brittany on Monday.\n")
    [doc] = read(tmp_path / "storm.txt", settings=_settings(source="ouest-france.fr", published="2024-03-04T03:40:00+01:00",
                                                             language="FR"))
    a = doc.article
    assert (a.source, a.language) == ("ouest-france.fr", "fr")
    # the clock time and its zone are kept: 03:40 at UTC+1 is not cut to midnight
    assert a.published == datetime(2024, 3, 4, 3, 40, tzinfo=timezone(timedelta(hours=1)))


def test_what_a_document_carries_wins_over_the_defaults(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": "One.", "source": "apnews.com", "language": "en"}) + "\n"
                                      + json.dumps({"id": "b", "text": "Two."}) + "\n")
    got = {d.article.id: d.article for d in read(tmp_path / "a.jsonl", settings=_settings(source="dpa.de", language="de"))}
    assert (got["a"].source, got["a"].language) == ("apnews.com", "en")
    assert (got["b"].source, got["b"].language) == ("dpa.de", "de")


def test_a_time_not_in_iso_form_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "s.txt").write_text("A storm hit the coast.\n")
    with pytest.raises(InputError, match="read.published"):
        list(read(tmp_path / "s.txt", settings=_settings(published="March 4")))
    assert main(["read", str(tmp_path / "s.txt"), "--published", "March 4"]) == 2
    assert "--published" in capsys.readouterr().err
    assert main(["read", str(tmp_path / "s.txt"), "--source", "lemonde.fr", "--published", "2024-03-04"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["source"] == "lemonde.fr" and row["published"].startswith("2024-03-04")
