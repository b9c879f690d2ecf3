"""Property-based checks over the stages a user's data goes through: whatever the input, nothing but a
SamestoryError escapes (never an internal error), and a bad record never costs the good records around it. The HTTP
routes get the same check from their schema (tests/web/test_schema.py)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory import SamestoryError, analyse, clean, compare, make_article, read_articles
from samestory.readers import ReadReport, read

def SETTINGS(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)

# any JSON value, and the odd ones users' files hold: huge numbers, deep nesting, lone surrogates
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
odd_lines = st.sampled_from([
    '{"text": 5}', '{"text": ["a"]}', '{"text": {"x": 1}}', '{"text": true}', '{"text": "' + "9" * 5000 + '"}',
    '{"id": ' + "9" * 5000 + ', "text": "x"}', "[" * 990 + "]" * 990, '{"text": "x", "url": "http://[::1"}',
    '{"text": "x \\ud800 y"}', '{"text": "x", "published": "0001-01-01"}', '{"text": "x", "published": "9999-12-31"}',
    '{"text": "x", "title": null, "meta": 3}', "{not json", "\x00\x01\x02", '"just a string"', "",
])
bad_lines = odd_lines | json_values.map(json.dumps) | json_values.map(lambda v: json.dumps({"text": v}))


@SETTINGS(100)
@given(st.lists(st.one_of(st.just(None), bad_lines), min_size=1, max_size=12))
def test_every_good_line_around_bad_ones_is_read(tmp_path_factory, lines):
    """None marks a good record; the others are anything a broken export may hold."""
    good, rows = [], []
    for k, line in enumerate(lines):
        if line is None:
            good.append(f"good-{k}")
            rows.append(json.dumps({"id": f"good-{k}", "text": f"Record {k} tells of a fire at the harbour on Monday."}))
        else:
            rows.append(line)
    path = tmp_path_factory.mktemp("jsonl") / "mixed.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8", errors="surrogatepass")
    report = ReadReport()
    ids = [doc.article.id for doc in read([path], report=report)]
    assert [i for i in ids if i.startswith("good-")] == good
    cleaned = [a.id for a in read_articles([path], report=ReadReport())]
    assert [i for i in cleaned if i.startswith("good-")] == good


texts = st.text(max_size=400) | st.lists(st.sampled_from([
    "Police said two people were killed.", "PARIS (Reuters) - ", "(AP Photo/Nick Ut)", "Advertisement", "\n", "\n\n",
    "Lindsay Lohan", "on Monday", "12", "\u202e", "\ud800", "<b>", "Schweres Erdbeben"]), max_size=30).map("".join)


@SETTINGS(60)
@given(texts, st.one_of(st.none(), st.text(max_size=60)))
def test_clean_raises_nothing_but_samestory_errors(text, title):
    try:
        article = make_article(text, title=title)
        stories = clean(article)
    except SamestoryError:
        return
    assert stories and all(s.text.strip() for s in stories)


@SETTINGS(25)
@given(texts, texts)
def test_analyse_and_compare_raise_nothing_but_samestory_errors(a, b):
    try:
        x, y = make_article(a or "x"), make_article(b or "y")
        analyse(x)
        score = compare(x, y)
    except SamestoryError:
        return
    if score.unknown:  # a side read as site furniture: no scores at all, and the reason
        assert score.overall is None and score.probability is None and not score.same_story
        return
    assert 0.0 <= score.probability <= 1.0
    assert score.overall >= 1.0 and score.overall <= 4.0  # the SemEval scale
