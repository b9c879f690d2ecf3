"""The event signature: when, where, who and how many, read from wire copy and local news."""

import json
from dataclasses import replace
from datetime import date

import pytest

from samestory import analyse, article_from_dict, load_settings
from samestory.analysis.serial import analysis_from_bytes, analysis_to_bytes
from samestory.records import EventSignature
from samestory.scoring.evidence import EVIDENCE_FEATURES, evidence_features, evidence_words
from tests._data import REPO

ONE = load_settings(overrides={"analyse": {"workers": 1}})


@pytest.fixture(scope="module")
def quakes():
    docs = [json.loads(line) for line in (REPO / "tests" / "fixtures" / "quakes.jsonl").read_text().splitlines()]
    return {d["id"]: analyse(article_from_dict(d), settings=ONE) for d in docs}


def test_the_wire_report_states_day_place_and_counts(quakes):
    sig = quakes["quake1-wire-en"].signature
    assert sig.days == (date(2024, 3, 4),)  # "on Monday", published that Monday
    assert "city:TR:malatya" in sig.places
    assert sig.magnitudes == (6.1,) and 12 in sig.killed and 86 in sig.injured
    assert any(term == "yerlikaya" for term, _ in sig.terms)


def test_other_languages_give_the_same_facts(quakes):
    de, es = quakes["quake1-agency-de"].signature, quakes["quake1-agency-es"].signature
    for sig in (de, es):
        assert sig.magnitudes == (6.1,) and 12 in sig.killed and 86 in sig.injured
        assert "city:TR:malatya" in sig.places


def test_local_news_streets_ages_and_counties():
    text = ("A 23-year-old man was shot Monday night in the 1200 block of North Avenue, police said. "
            "John Smith, 31, of Dayton was wounded. Prince George's County police are investigating.")
    an = analyse(article_from_dict({"text": text, "published": "2016-05-10T12:00:00+00:00", "language": "en"}), settings=ONE)
    sig = an.signature
    assert {"street:north avenue", "county:prince george's"} <= set(sig.places)
    assert sig.ages == (23, 31)
    assert sig.days == (date(2016, 5, 9),)  # "Monday night", published on Tuesday


def test_a_count_is_a_word_of_its_own():
    """"a"/"an" and number words count only as words: the end of "Florida" or "Santa" is no count."""
    from samestory.analysis.signature import _INJURED, _KILLED, _counts

    assert _counts(_KILLED, "Officers in Florida found him dead.") == ()
    assert _counts(_KILLED, "Police in Santa Ana said three people were killed.") == (3.0,)
    assert _counts(_KILLED, "A man was killed in Tampa.") == (1.0,)
    assert _counts(_INJURED, "Two deputies in Sarasota were injured.") == ()  # too far from its verb; no "a" made up
    assert _counts(_INJURED, "An officer was hurt.") == (1.0,)


def test_a_later_higher_toll_is_an_update_and_other_counts_conflict(quakes):
    first, toll, other = quakes["quake1-wire-en"], quakes["quake1-toll-en"], quakes["quake2-wire-en"]
    f = dict(zip(EVIDENCE_FEATURES, evidence_features(first, toll)))
    assert f["ev_killed"] == 2.0 and f["ev_magnitude"] == 1.0 and f["ev_place"] == 1.0
    assert "death toll updated 12 \u2192 15" in evidence_words(first, toll)
    g = dict(zip(EVIDENCE_FEATURES, evidence_features(first, other)))
    assert g["ev_magnitude"] == 3.0 and g["ev_place"] == 0.0
    words = evidence_words(first, other)
    assert words[0].startswith("different places") and "incident days 17 days apart" in words
    assert "magnitudes 6.1 / 5.6" in words
    assert evidence_features(first, other) == evidence_features(other, first)  # symmetric


def test_without_dates_or_places_the_evidence_says_so():
    a = analyse(article_from_dict({"text": "It rained a lot and people stayed at home.", "language": "en"}), settings=ONE)
    b = analyse(article_from_dict({"text": "The rain kept everyone inside all day.", "language": "en"}), settings=ONE)
    words = evidence_words(a, b)
    assert "no incident day stated on both sides" in words and "no town or street named on both sides" in words
    assert not a.signature.days and not a.signature.places and not a.signature.killed


def test_the_signature_is_cached_with_the_analysis_and_made_for_old_caches(quakes):
    an = quakes["quake1-wire-en"]
    assert analysis_from_bytes(analysis_to_bytes(an)).signature == an.signature
    old = replace(an, signature=EventSignature())
    data = analysis_to_bytes(old).replace(b'"signature"', b'"signaturx"')  # as stored before signatures
    assert analysis_from_bytes(data).signature == an.signature
    from samestory.analysis.signature import VERSION

    mark = f'"signature": [{VERSION},'.encode()
    stale = analysis_to_bytes(old).replace(mark, b'"signature": [0,')  # made by another version
    assert stale != analysis_to_bytes(old) and analysis_from_bytes(stale).signature == an.signature
