"""Search across languages: a query finds stories whose articles mean it in any language."""

import json

from samestory.cli import main
from tests.conftest import FIXTURES


def test_a_query_finds_a_story_told_in_another_language(tmp_path):
    from fastapi.testclient import TestClient

    from samestory.web import create_app

    docs = [json.loads(line) for line in (FIXTURES / "quakes.jsonl").read_text().splitlines()]
    (tmp_path / "q.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs if d["id"] in ("quake1-agency-de", "quake3-wire-en")))
    db = str(tmp_path / "s.db")
    assert main(["-q", "ingest", str(tmp_path / "q.jsonl"), str(FIXTURES / "topic1.jsonl"), "--db", db]) == 0
    with TestClient(create_app(db, warm=False)) as client:
        def titles(**params):
            return [s["title"] for s in client.get("/stories", params=params).json()["stories"]]

        found = titles(q="earthquake Turkey")
        assert any("Erdbeben" in t for t in found)  # the German story, by meaning: no English word of it matches
        assert not any("Lohan" in t or "Rehab" in t for t in found)
        assert titles(q="Erdbeben")[0].startswith("Schweres Erdbeben")  # the literal match comes first
        assert any("Peru" in t for t in titles(q="Erdbeben"))  # and the Peruvian quake by meaning
        assert titles(q="election") == []
        assert not any("Erdbeben" in t for t in titles(q="earthquake", since="2100-01-01"))  # the filters still hold
        page = client.get("/", params={"q": "earthquake Turkey"}).text
        assert "Erdbeben" in page
        german = titles(language="de")  # stories with an article in German
        assert german and all("Erdbeben" in t for t in german)
        assert titles(q="earthquake", language="de") == german  # the meaning matches obey the language filter too
        assert not any("Lohan" in t for t in titles(q="Lohan", language="de"))
