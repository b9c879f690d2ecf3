import dataclasses

import numpy as np
import pytest

from samestory import (
    Article,
    SQLiteStore,
    analyse,
    analyse_cached,
    article_from_dict,
    load_settings,
)
from samestory.analysis.facts import mentioned_days, numbers
from samestory.analysis.serial import (
    analysis_from_bytes,
    analysis_to_bytes,
    analysis_to_dict,
)
from tests._data import demo_docs

DOCS = demo_docs()


def _art(doc_id):
    return article_from_dict(DOCS[doc_id])


def test_analysis_of_an_ecb_article():
    an = analyse(_art("ecb/1_10ecbplus"))
    keys = {e.key for e in an.entities}
    assert any("lohan" in k for k in keys)
    assert "US" in an.countries
    assert an.days[0].isoformat() == "2013-05-03" or "2013-05-03" in [d.isoformat() for d in an.days]
    assert an.doc.shape == (512,) and abs(float(np.linalg.norm(an.doc)) - 1) < 1e-3
    assert an.sentence_vectors.shape[0] == len(an.sentences) > 3
    assert an.minhash.shape == (128,)
    assert an.models["embedder"] == "use-multilingual-v3"


def test_weekdays_resolve_against_publication():
    from datetime import datetime, timezone

    days = mentioned_days("He said on Thursday that talks began on Monday.", datetime(2020, 6, 12, tzinfo=timezone.utc), "en")
    assert [d.isoformat() for d in days] == ["2020-06-08", "2020-06-11", "2020-06-12"]


def test_numbers_that_matter():
    got = {(n.value, n.unit) for n in numbers("52,622 refugees returned after a 14-month assault; 3.8 million at its peak in 2022, at 3:45 pm.")}
    assert (52622.0, "refugees") in got and (14.0, "month") in got and (3.8e6, "at") not in got
    assert all(n.value != 2022 for n in numbers("in 2022")) and all(n.value != 45 for n in numbers("at 3:45 pm"))


def test_serialisation_round_trip():
    an = analyse(_art("ecb/3_10ecbplus"))
    back = analysis_from_bytes(analysis_to_bytes(an))
    assert back.entities == an.entities and back.days == an.days and back.numbers == an.numbers
    assert np.array_equal(back.sentence_vectors, an.sentence_vectors) and np.array_equal(back.minhash, an.minhash)
    assert analysis_to_dict(back) == analysis_to_dict(an)
    for k in ("doc", "title", "lead", "chunks", "sentence_vectors", "minhash"):
        assert getattr(back, k).dtype == getattr(an, k).dtype and getattr(back, k).shape == getattr(an, k).shape
    back.doc[0] = 0.5  # arrays of their own, writable as before


def test_opening_vectors_added_kept_and_serialised():
    from samestory.analysis.opening import OPENING_CHARS, has_opening, opening_tag, opening_text, with_openings

    lohan_a, lohan_b, bank = (analyse(_art(i)) for i in ("ecb/1_10ecbplus", "ecb/1_11ecbplus", "ecb/8_1ecbplus"))
    empty = analyse(Article(id="empty", text=""))
    assert lohan_a.opening is None  # analysis alone does not compute it (the clusterer never needs it)
    a, b, c, e = with_openings([lohan_a, lohan_b, bank, empty], "multilingual-e5-small")
    assert a.models["opening"] == opening_tag("multilingual-e5-small") and a.models["embedder"] == lohan_a.models["embedder"]
    assert a.opening.shape == (384,) and abs(float(np.linalg.norm(a.opening)) - 1) < 1e-3
    assert float(a.opening @ b.opening) > float(a.opening @ c.opening)  # same event closer than another topic
    assert not e.opening.any()  # nothing to embed: a zero vector, cosine 0 with anything
    assert opening_text(a.article) == f"{a.article.title}\n{a.article.text}"[:OPENING_CHARS]
    long = Article(id="long", title="T", text="word " * 1000)
    assert len(opening_text(long)) == OPENING_CHARS
    assert with_openings([a], "multilingual-e5-small")[0] is a  # already there: kept as it is
    older = dataclasses.replace(a, models={**a.models, "opening": "multilingual-e5-small"})  # a vector of another length
    assert not has_opening(older, "multilingual-e5-small") and has_opening(with_openings([older], "multilingual-e5-small")[0], "multilingual-e5-small")
    back = analysis_from_bytes(analysis_to_bytes(a))
    assert np.array_equal(back.opening, a.opening) and back.models == a.models
    assert analysis_from_bytes(analysis_to_bytes(lohan_a)).opening is None


def test_serialised_empty_arrays_and_the_older_npz_form():
    import io
    import json
    from dataclasses import replace

    an = replace(analyse(_art("ecb/3_10ecbplus")), sentence_vectors=np.zeros((0, 512), np.float32), sentences=())
    back = analysis_from_bytes(analysis_to_bytes(an))
    assert back.sentence_vectors.shape == (0, 512) and back.sentences == ()
    # a store written before the current form holds NumPy .npz bytes: still read
    meta = {"article": {"id": an.id, "text": an.article.text}, "language": an.language,
            "entities": [[e.text, e.label, e.key, e.country, e.city, e.mentions] for e in an.entities],
            "countries": list(an.countries), "days": [], "numbers": [], "sentences": [], "models": an.models, "notes": []}
    buf = io.BytesIO()
    np.savez(buf, meta=np.array(json.dumps(meta)), **{k: getattr(an, k) for k in ("doc", "title", "lead", "chunks", "sentence_vectors", "minhash")})
    old = analysis_from_bytes(buf.getvalue())
    assert old.entities == an.entities and np.array_equal(old.doc, an.doc) and old.article.text == an.article.text


def test_cache_computes_nothing_twice(tmp_path, monkeypatch):
    import samestory.analysis as A

    arts = [_art("ecb/1_10ecbplus"), _art("ecb/1_11ecbplus")]
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(arts)
        first = analyse_cached(arts, store)
        calls = []
        real = A.analyse_all
        monkeypatch.setattr(A, "analyse_all", lambda todo, **kw: calls.append(list(todo)) or real(todo, **kw))
        again = analyse_cached(arts, store)
        assert calls == [[]]
        assert [a.entities for a in again] == [a.entities for a in first]
        changed = article_from_dict({**DOCS["ecb/1_10ecbplus"], "text": DOCS["ecb/1_10ecbplus"]["text"] + " An update."})
        analyse_cached([changed], store)
        assert [a.id for a in calls[-1]] == [changed.id]


def test_a_signature_of_another_version_is_made_again_once_and_cached(tmp_path, monkeypatch):
    # a store analysed before a new version of the event signature: each signature is made again at its first
    # reading and cached, not at every reading (the server's placer reads the same analyses again and again)
    import samestory.analysis.serial as serial
    import samestory.analysis.signature as signature

    arts = [_art("ecb/1_10ecbplus"), _art("ecb/1_11ecbplus")]
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(arts)
        analyse_cached(arts, store)
        monkeypatch.setattr(signature, "VERSION", signature.VERSION + 1)  # the next version of the code
        made = []
        real = serial.event_signature
        monkeypatch.setattr(serial, "event_signature", lambda *a, **kw: made.append(a[0]) or real(*a, **kw))
        first = analyse_cached(arts, store)
        assert len(made) == 2
        again = analyse_cached(arts, store)
        assert len(made) == 2  # read from the cache, made by this version
        assert [a.signature for a in again] == [a.signature for a in first]


# --- bad input ------------------------------------------------------------------------------------------------


def test_article_without_entities():
    an = analyse(article_from_dict({"text": "it was a quiet day and nothing much happened at all, the sky was grey."}))
    assert an.entities == () and an.doc.shape == (512,)


def test_100k_character_article_is_bounded():
    text = " ".join(f"Officials in Ankara said report {i} was filed." for i in range(2500))
    assert len(text) > 100_000
    an = analyse(article_from_dict({"text": text}))
    assert len(an.sentences) == load_settings().analyse.max_sentences
    assert any(e.key.startswith("loc:TR") for e in an.entities)


def test_unsupported_language_falls_back_and_says_so():
    an = analyse(article_from_dict({"text": "De minister van Buitenlandse Zaken zei donderdag in Ankara dat de Verenigde Staten een actievere rol in Libië moeten spelen."}))
    assert an.language == "nl"
    assert an.models["ner"] == "rules"
    assert any("not supported" in n for n in an.notes)


def test_empty_text():
    an = analyse(Article(id="e", text=""))
    assert an.entities == () and an.sentences == ()
    assert "empty text" in an.notes


@pytest.mark.parametrize(
    "text, lang, expect",
    [
        ("Bundeskanzlerin Angela Merkel traf in Berlin den türkischen Präsidenten Recep Tayyip Erdoğan.", "de", "loc:DE"),
        ("Il presidente Sergio Mattarella ha incontrato a Roma il segretario generale della NATO.", "it", "org:NATO"),
        ("Prezydent Andrzej Duda spotkał się w Warszawie z sekretarzem generalnym ONZ.", "pl", "org:UN"),
        ("Cumhurbaşkanı Recep Tayyip Erdoğan Ankara'da Libya heyetini kabul etti.", "tr", "loc:LY"),
        ("التقى الرئيس المصري عبد الفتاح السيسي في القاهرة بوفد من الأمم المتحدة حول ليبيا.", "ar", "loc:LY"),
        ("Министр иностранных дел России Сергей Лавров провёл переговоры в Москве по Ливии.", "ru", "loc:LY"),
        ("土耳其外长在安卡拉表示，美国需要在利比亚发挥更积极的作用。", "zh", "loc:LY"),
        ("El presidente de Turquía, Recep Tayyip Erdogan, habló con Donald Trump sobre Libia.", "es", "loc:LY"),
        ("Le président turc Recep Tayyip Erdogan a parlé avec Donald Trump de la Libye.", "fr", "loc:LY"),
    ],
)
def test_entities_in_each_language(text, lang, expect):
    an = analyse(article_from_dict({"text": text}))
    assert an.language == lang
    assert any(e.key.startswith(expect) for e in an.entities), [e.key for e in an.entities]


@pytest.mark.parametrize(
    "text, names",
    [
        # German capitalises every noun: adjectives, common nouns and units after a number are no people
        ("Schweres Erdbeben erschüttert Osttürkei", []),
        ("Das Beben ereignete sich um 4.21 Uhr Ortszeit in der Provinz Malatya.", []),
        ("Die Katastrophenschutzbehörde Afad meldete zahlreiche Nachbeben.", []),
        # a function before the name is off the name
        ("Wie Innenminister Ali Yerlikaya mitteilte, stürzten zwei Häuser ein.", ["name:ali yerlikaya"]),
        ("Der Berliner Polizeisprecher Thomas Neuendorf sagte, die Lage sei ruhig.", ["name:thomas neuendorf"]),
    ],
)
def test_german_runs_of_capitalised_nouns_are_no_people(text, names):
    an = analyse(article_from_dict({"text": text, "language": "de"}))
    assert sorted(e.key for e in an.entities if e.label == "PER") == names


def test_cache_is_not_reused_across_ner_modes(tmp_path):
    art = _art("ecb/1_10ecbplus")
    with SQLiteStore(tmp_path / "s.db") as store:
        (models,) = analyse_cached([art], store)
        (rules,) = analyse_cached([art], store, settings=load_settings(overrides={"analyse": {"ner": "rules"}}))
    assert models.models["ner"].startswith("spacy:") and rules.models["ner"] == "rules"


def test_spacy_runs_only_its_entity_recogniser_with_the_same_entities_as_the_full_pipeline():
    """The shared tok2vec feeds only the excluded tagger and parser: leaving it out changes no entity."""
    import spacy

    from samestory.analysis.ner import _SPACY_MODELS, _spacy

    model = _SPACY_MODELS["en"]
    lean = _spacy(model)
    assert lean.pipe_names == ["ner"]
    full = spacy.load(model)
    texts = [DOCS[i]["text"][:2000] for i in ("ecb/1_10ecbplus", "ecb/3_10ecbplus", "ecb/8_1ecbplus")]
    ents = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in lean.pipe(texts)]
    assert ents == [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in full.pipe(texts)]
    assert all(ents)


def test_cache_is_not_reused_across_truncation_limits(tmp_path):
    """An analysis made over 64 sentences and 4,000 characters is not what a store set to 4 sentences asked for."""
    art = _art("ecb/13_5ecbplus")  # 9,000 characters
    short = load_settings(overrides={"analyse": {"max_sentences": 4, "ner_chars": 300}})
    with SQLiteStore(tmp_path / "s.db") as store:
        (full,) = analyse_cached([art], store)
        (cut,) = analyse_cached([art], store, settings=short)
        (again,) = analyse_cached([art], store, settings=short)
    assert len(full.sentence_vectors) > 4 and len(cut.sentence_vectors) == 4
    assert len(cut.entities) < len(full.entities)
    assert again.models == cut.models and again.models["limits"] == "ner_chars=300,max_sentences=4"


def test_an_analysis_cached_with_another_place_table_is_made_again(tmp_path):
    """Entities' countries and towns come from the place table: an analysis cached with an older one is not reused."""
    import json

    from samestory.analysis.gazetteer import VERSION

    art = _art("ecb/1_10ecbplus")
    with SQLiteStore(tmp_path / "s.db") as store:
        (first,) = analyse_cached([art], store)
        assert first.models["places"] == VERSION
        older = {k: v for k, v in first.models.items() if k != "places"}  # as a version before the key cached it
        with store.transaction():
            store._db.execute("UPDATE analyses SET models = ? WHERE article_id = ?", (json.dumps(older), art.id))
        assert store.get_analyses([art], {"places": VERSION}) == {}
        (again,) = analyse_cached([art], store)
        assert again.models["places"] == VERSION and set(store.get_analyses([art], {"places": VERSION})) == {art.id}


def test_a_long_run_of_characters_no_dictionary_knows_is_bounded():
    """Random Chinese characters (a garbled page): jieba's HMM is not run on what its dictionary cannot split, which
    cost 50 s for 4,000 characters; prose keeps it and its names."""
    from samestory.analysis.ner import _zh_prose

    garbled = "".join(chr(0x4E00 + (i * 7919) % 5000) for i in range(20_000))
    assert not _zh_prose(garbled[:4000])
    assert _zh_prose("国家主席习近平在北京会见了联合国秘书长古特雷斯，双方就利比亚局势交换了意见。" * 3)
    an = analyse(article_from_dict({"text": garbled, "language": "zh"}))  # finishes (in about a second here)
    assert an.language == "zh"
