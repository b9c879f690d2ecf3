"""Page splitting on pages built from ECB+ documents (demo corpus, CC BY 3.0)."""

import pytest

from samestory import article_from_dict, clean
from tests._data import DEMO, demo_docs

DOCS = demo_docs()


def _story(doc_id, caption_credit="(AP Photo/Nick Ut)", repeat=False):
    d = DOCS[doc_id]
    first = d["text"].split("\n")[0].rstrip(".")
    head = [d["title"], f"{' '.join(first.split()[:12])}. {caption_credit}", "TT"]
    if repeat:
        head += [d["title"]]
    return head + d["text"].split("\n")


def _page(*stories):
    return article_from_dict({"id": "page", "text": "\n".join(line for s in stories for line in s)})


@pytest.mark.parametrize("repeat", [True, False])
def test_two_stories_from_different_topics_split(repeat):
    a, b = "ecb/1_10ecbplus", "ecb/8_1ecbplus"  # Lohan enters rehab / rioters bomb a Greek bank
    out = clean(_page(_story(a), _story(b, repeat=repeat)))
    assert [x.title for x in out] == [DOCS[a]["title"], DOCS[b]["title"]]
    assert [x.id for x in out] == ["page", "page#2"]
    assert out[1].meta["segment"]["of"] == 2 and out[1].meta["segment"]["evidence"]


def test_three_stories_split_in_order():
    ids = ["ecb/1_10ecbplus", "ecb/8_1ecbplus", "ecb/3_10ecbplus"]
    out = clean(_page(*(_story(i, repeat=True) for i in ids)))
    assert [x.title for x in out] == [DOCS[i]["title"] for i in ids]


def test_one_story_with_a_photo_in_the_middle_stays_whole():
    d = DOCS["ecb/1_11ecbplus"]
    lines = d["text"].split("\n")
    mid = len(lines) // 2
    caption = "Lindsay Lohan leaves court in Los Angeles on Thursday. (AP Photo/Nick Ut)"
    page = article_from_dict({"id": "p", "title": d["title"], "text": "\n".join(lines[:mid] + [caption, "AP"] + lines[mid:])})
    out = clean(page)
    assert len(out) == 1 and caption in out[0].meta["captions"]


def test_no_split_when_disabled():
    from samestory import load_settings

    settings = load_settings(overrides={"clean": {"segment": False}})
    out = clean(_page(_story("ecb/1_10ecbplus"), _story("ecb/8_1ecbplus", repeat=True)), settings=settings)
    assert len(out) == 1


def test_demo_corpus_has_no_false_splits():
    """772 single-story documents: none may be split."""
    from samestory import read_articles

    assert sum(1 for _ in read_articles(DEMO)) == len(DOCS)


def _fake_embed(texts):
    import zlib

    import numpy as np

    return np.vstack([np.random.default_rng(zlib.crc32(t.encode())).normal(size=16) for t in texts])


def _words_embed(texts):
    """A bag of hashed words: texts that share words are alike."""
    import re
    import zlib

    import numpy as np

    def word(w):
        return np.random.default_rng(zlib.crc32(w.encode())).normal(size=64)

    return np.vstack([sum(word(w) for w in re.findall(r"\w+", t.lower())) for t in texts])


def _candidates(lines, embed=_fake_embed):
    """Where the segmenter asks the boundary model, on a page of lines (nothing is split)."""
    from samestory.cleaning import _kinds, _lines
    from samestory.cleaning.segmenter import LeadModel, segment

    lines = _lines("\n".join(lines))
    asked = []
    segment(lines, _kinds(lines), embed=embed, decide=lambda i, c: (asked.append((i, c)) or (False, 0.0)),
            lead=LeadModel((0.0,) * (64 if embed is _words_embed else 16), 0.0))
    return lines, asked


PARA = [
    "The regional council approved the new budget on Tuesday after a long debate about the costs of the bridge repair.",
    "Members of the opposition said the plan would raise local taxes for families in the coming two years.",
]
NEXT = [
    "Firefighters fought a blaze at a warehouse near the harbour for most of the night, the fire service said on Wednesday.",
    "No one was hurt, but the building and the goods stored inside it were destroyed by the flames before dawn.",
]
CAPTION = "Firefighters at the warehouse near the harbour. (AP Photo/Nick Ut)"
MORE = [
    "The council will meet again next month to discuss the timetable for the work on the old bridge.",
    "Engineers have warned that the structure could need further repairs if the winter is harsh this year.",
    "A spokesman for the mayor said the city would publish the full budget on its website on Friday.",
    "Local businesses near the bridge have asked for help while the road stays closed to traffic.",
    "The repairs are expected to take about eighteen months, according to the council's own estimate.",
    "Residents will be able to comment on the plans at a public meeting in the town hall next week.",
]


def test_a_headline_is_the_line_right_above_the_captions():
    lines, asked = _candidates([*PARA, "TE Jeremy Shockey (groin)", "Warehouse Fire Destroys Harbour Goods", CAPTION, *NEXT])
    asked_at = [lines[i] for i, _ in asked]
    assert asked_at[0] == "Warehouse Fire Destroys Harbour Goods" and "TE Jeremy Shockey (groin)" not in asked_at
    assert asked[0][1].headline and asked[0][1].captions == 1


def test_a_time_stamp_beside_the_captions_still_makes_a_candidate():
    lines, asked = _candidates([*PARA, "Updated Saturday, December 05, 2009 8:28 PM", CAPTION, "Advertisement", *NEXT])
    assert [i for i, _ in asked] == [2] and not asked[0][1].headline


def test_a_long_title_set_as_body_is_no_story_before_its_captions():
    title = ("Jury shown horrific moment innocent mother is shot dead shielding her child when she is caught up in a gang "
             "attack as she picks up her daughter from school")
    _, asked = _candidates([title, CAPTION, *NEXT, *PARA])
    assert asked == [] or all(i > 1 for i, _ in asked)


@pytest.mark.parametrize("last", ["- CUMBRIA POLICE", "– Staff and agencies", "April 24, 2013 - 4: 45pm", "Thursday 18 December 2008"])
def test_a_story_s_sign_off_or_date_line_is_no_headline(last):
    """A story's last line that has a headline's shape (a sign-off, a time stamp) above the next story's captions: the
    candidate is the captions block after it, so a split leaves that line with its story."""
    # MORE keeps the line below the page's top, where a bare date line is taken as the page's own time stamp
    lines, asked = _candidates([*PARA, *MORE, last, CAPTION, *NEXT])
    assert [lines[i] for i, _ in asked] == [CAPTION] and not asked[0][1].headline


def test_a_title_set_as_body_then_captions_then_a_headline_like_line_is_no_boundary():
    """A page opening with its title as a long body line that is no sentence, then its photo, then bullet points that
    have a headline's shape: one story, not a one-line story before it."""
    title = ("Jury shown horrific moment innocent mother is shot dead shielding her child when she is caught up in a gang "
             "attack as she picks up her daughter from school")  # too long for a headline: body text
    bullet = "A second mother who testified was shot in her arm as well as an 11-year-old girl"
    _, asked = _candidates([title, CAPTION, bullet, *NEXT, *PARA])
    assert all(i > 2 for i, _ in asked)
    # a brief that ends as a sentence does, then captions and a headline: still a candidate
    lines, asked = _candidates([PARA[0], CAPTION, "Warehouse Fire Destroys Harbour Goods", *NEXT])
    assert asked and lines[asked[0][0]] == CAPTION and asked[0][1].headline


def test_shipped_boundary_model_loads_and_ranks():
    from samestory.cleaning.segmenter import Candidate, load_boundary_model

    m = load_boundary_model()
    clear = Candidate(True, False, True, 2, 0.1, 0.4, 0.5, 0.9, 0.0, 0.1, 0.0, 2.0, True, 0.2, 0.0, 1.0, 12)
    mid_photo = Candidate(False, False, False, 1, 0.7, -0.1, -0.1, 0.5, 0.3, 0.7, 0.0, -2.0, False, 0.9, 0.8, -1.0, 3)
    assert m.probability(clear) > 0.9 > 0.1 > m.probability(mid_photo)


def test_a_one_paragraph_story_is_judged_knowing_its_length():
    """A brief (one paragraph) then a headline and captions: a candidate. One paragraph then a photo (common inside
    a story, after its first paragraph): a candidate too, whose evidence says the story so far has one paragraph; a
    one-line 'paragraph' that is no sentence (a title set as body text) ends only at a headline."""
    lines, asked = _candidates([PARA[0], "Warehouse Fire Destroys Harbour Goods", CAPTION, *NEXT])
    assert lines[asked[0][0]] == "Warehouse Fire Destroys Harbour Goods" and asked[0][1].headline
    _, asked = _candidates([PARA[0], CAPTION, "AP", *NEXT])
    assert len(asked) == 1 and asked[0][1].story_lines == 1 and not asked[0][1].headline
    _, asked = _candidates([PARA[0].rstrip("."), CAPTION, "AP", *NEXT])
    assert asked == []
    _, asked = _candidates([*PARA, CAPTION, "AP", *NEXT])
    assert len(asked) == 1 and asked[0][1].story_lines == 2


def test_evidence_from_the_story_so_far():
    """A caption that repeats a line the current story already told is a photo of this story; names and years
    after the candidate are compared with everything the story has given."""
    story = [*PARA, "Mayor Anna Lindqvist said the bridge would reopen in 2027 after the repairs are done."]
    _, asked = _candidates([*story, "The regional council approved the new budget. (AP Photo/Nick Ut)", *NEXT], _words_embed)
    photo = asked[0][1]
    _, asked = _candidates([*story, CAPTION, *NEXT], _words_embed)
    assert photo.caption_story > asked[0][1].caption_story
    _, asked = _candidates([*story, CAPTION, "The visit of Anna Lindqvist to the harbour in 2027 and in 2031 was short.", *NEXT])
    known = asked[0][1]
    _, asked = _candidates([*story, CAPTION, "The visit of Oskar Berg to the harbour in 2031 was short.", *NEXT])
    new = asked[0][1]
    assert known.names_story > new.names_story and known.years_new == 0.5 and new.years_new == 1.0


def test_the_lead_model_tells_a_first_paragraph_from_a_later_one():
    import numpy as np

    from samestory.cleaning.segmenter import load_boundary_model
    from samestory.embed import get_embedder

    model = load_boundary_model()
    leads = [NEXT[0], PARA[0], "Rescuers pulled two climbers from a crevasse on Mount Cook on Saturday, police in New Zealand said."]
    later = ['"We did everything we could, but the fire was too strong," he said.', "She added that the talks would go on.",
             "It was the third such incident this year."]
    v = np.asarray(get_embedder(model.embedder).embed(leads + later), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    score = [model.lead.log_odds(x) for x in v]
    assert min(score[:3]) > max(score[3:])


def test_a_date_line_at_the_candidate_is_evidence():
    """A story's date is printed at its start (a time stamp in the block, or a short dated line above its text)."""
    _, asked = _candidates([*PARA, CAPTION, "Posted on November 15, 2011 6:07 PM", *NEXT])
    assert len(asked) == 1 and asked[0][1].dated
    _, asked = _candidates([*PARA, CAPTION, "Sun, 15 Sep 2013", *NEXT])
    assert len(asked) == 1 and asked[0][1].dated
    _, asked = _candidates([*PARA, CAPTION, "AP", *NEXT])
    assert len(asked) == 1 and not asked[0][1].dated


def test_each_line_of_a_page_is_embedded_once():
    """Candidates next to each other share most of their lines: the page embeds each line once (bounded work)."""
    from collections import Counter

    seen = Counter()

    def counting(texts):
        seen.update(texts)
        return _fake_embed(texts)

    page = []
    for k in range(6):
        page += [f"{PARA[0]} Item {k}.", f"{PARA[1]} Item {k}.", f"Workers at bridge {k}. (AP Photo/Nick Ut)"]
    _, asked = _candidates(page + NEXT, counting)
    assert len(asked) >= 5 and seen and max(seen.values()) == 1


def test_a_world_briefs_page_splits_at_each_wire_brief(fixtures):
    """An HTML page of two briefs, each a headline above a dateline-opened text (the photos' captions are lost in
    extraction): two stories, each with its own headline and dateline, the page's title kept aside."""
    from samestory.readers import read

    (doc,) = read([fixtures / "world_briefs.html"])
    ferry, strike = clean(doc)
    assert ferry.title.startswith("Ferry catches fire") and ferry.meta["page_title"] == "World briefs"
    assert strike.title.startswith("Dockworkers strike") and strike.id.endswith("#2")
    assert ferry.meta["dateline"]["place"] == "PIRAEUS, Greece" and strike.meta["dateline"]["place"] == "ROTTERDAM, Netherlands"
    assert "Rotterdam" not in ferry.text and "Paros" not in strike.text
    assert strike.meta["segment"]["evidence"].startswith("headline and dateline")


def test_a_subheading_inside_one_story_is_no_dateline_boundary():
    """A subheading followed by an ordinary paragraph is no candidate; only a dateline below a headline is."""
    lines = ["Storm closes the port", "ROTTERDAM (Courier) - A storm closed the port of Rotterdam on Monday and ships waited at sea.",
             "The harbour master said the port would reopen when the wind dropped below gale force.", "What comes next",
             "Shipping lines warned of delays of up to a week for goods bound for Germany and the Netherlands.",
             "The port authority said it would publish a new schedule on Tuesday."]
    from samestory.cleaning.segmenter import segment

    asked = []
    segment(lines, ["body"] * len(lines), embed=_fake_embed, decide=lambda i, c: (asked.append(i) or (False, 0.0)))
    assert asked == []
