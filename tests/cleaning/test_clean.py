"""Cleaning rules on texts written in the shape of real scraped pages (ECB+ sentences, CC BY 3.0)."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samestory import InputError, article_from_dict, load_settings
from samestory.cleaning import clean, detect_language
from samestory.cleaning.lines import classify, split_dateline

BODY = [
    "Actress Lindsay Lohan finally checked into court-mandated rehab at the Betty Ford Center late Thursday.",
    "Lohan was previously at Betty Ford from September 2010 to January 2011 after a probation violation.",
    "\u201cShe is doing well and is committed to getting better,\u201d her lawyer Shawn Holley said on Friday.",
    "The 26-year-old actress had been ordered to spend 90 days in a locked rehab facility.",
]


def _art(text, **kw):
    return article_from_dict({"id": "t1", "text": text, **kw})


def _assert_idempotent(lines):
    """Cleaning each article of the page again gives the same text."""
    try:
        out = clean(_art("\n".join(lines)))
    except InputError:
        return
    for art in out:
        (again,) = clean(article_from_dict({"id": art.id, "title": art.title, "text": art.text}))
        assert again.text == art.text


@pytest.mark.parametrize(
    "line, kind",
    [
        ("FILE PHOTO: Lindsay Lohan arrives at court in Los Angeles, California, May 1, 2013. REUTERS/Mario Anzuoni", "caption"),
        ("Lindsay Lohan leaves court in Los Angeles, Thursday. (AP Photo/Nick Ut)", "caption"),
        ("The actress arrives at the hearing. Pool via Reuters", "caption"),
        ("Lindsay Lohan in court. Photo: Getty Images", "caption"),
        ("Reporting by Jill Serjeant; Editing by Mary Milliken", "credit"),
        ("(Additional reporting by Alex Dobuzinskis)", "credit"),
        ("By Alan Duke, CNN", "byline"),
        ("Von Anna Müller", "byline"),
        ("Sign up to FREE daily email alerts", "boilerplate"),
        ("We use cookies to improve your experience. Accept cookies", "boilerplate"),
        ("Advertisement", "boilerplate"),
        ("Lesen Sie auch: Lohan muss in Entzug", "boilerplate"),
        ("Published: Friday, May 3, 2013, 9:56 AM", "timestamp"),
        ("TT", "marker"),
        ("***", "marker"),
        # body sentences that mention the same words stay
        ("Reuters reported that the actress had checked in on Thursday evening.", "body"),
        ("The plant makes Oreo cookies, crackers and other baked goods for export.", "body"),
        ("\u201cSubscribe to nothing but the truth,\u201d the judge told the court.", "body"),
        ("By the time police arrived, the suspect had already fled the scene on foot.", "body"),
    ],
)
def test_line_kinds(line, kind):
    assert classify(line) == kind


def test_datelines():
    assert split_dateline("LOS ANGELES (Reuters) - Lindsay Lohan checked in.") == (
        {"place": "LOS ANGELES", "agency": "Reuters"},
        "Lindsay Lohan checked in.",
    )
    assert split_dateline("WASHINGTON, June 3 (AP) — The Senate voted.")[0] == {
        "place": "WASHINGTON",
        "agency": "AP",
        "date": "June 3",
    }
    assert split_dateline("The U.S. - and its allies - agreed.")[0] is None


def test_removed_lines_are_audited_with_reasons():
    text = "\n\n".join(
        [
            "Lohan Checks Into Betty Ford Center",
            "Lindsay Lohan arrives at court. (AP Photo/Nick Ut)",
            "By Alan Duke, CNN",
            "LOS ANGELES (Reuters) - " + BODY[0],
            *BODY[1:],
            "Read more: Lohan's legal troubles",
            BODY[1],
            "Reporting by Jill Serjeant; Editing by Mary Milliken",
        ]
    )
    (art,) = clean(_art(text, title="Lohan Checks Into Betty Ford Center"))
    reasons = [r["reason"] for r in art.meta["removed"]]
    assert reasons == ["headline", "caption", "byline", "boilerplate", "repeated", "credit"]
    assert art.meta["byline"] == "By Alan Duke, CNN"
    assert art.meta["dateline"]["place"] == "LOS ANGELES"
    assert art.text.split("\n\n") == BODY


LONG = [  # five paragraphs of about 40 words each: an article long enough to be printed again
    " ".join([BODY[k % 4]] * 2 + [f"Paragraph {k} goes on about the stay in rehab."]) for k in range(5)
]


def test_article_printed_again_loses_the_copy():
    page = "\n".join(["Lohan Checks Into Betty Ford Center", *LONG, "Advertisement", *LONG])
    (art,) = clean(_art(page))
    assert art.text.split("\n\n") == LONG
    assert [r["reason"] for r in art.meta["removed"]].count("repeated") == len(LONG)


def test_repeated_structure_is_content():
    # an interview asks each guest the same questions; a plan repeats its labels with different items
    questions = ["What made you start cooking for your readers online?", "Which cuisine do you like best, and why?"]
    answers = [f"{name} answers: {BODY[k]}" for k, name in enumerate(["Anna", "Boris", "Clara"])]
    page = "\n".join(line for k, a in enumerate(answers) for line in (questions[0], a, questions[1], f"{a} Also {k}."))
    (art,) = clean(_art(page))
    assert art.text.split("\n\n").count(questions[0]) == 3
    assert art.text.split("\n\n").count(questions[1]) == 3
    plan = ["Meal 1", "Eat every 2-3 hours", "Eggs and asparagus with one slice of bread", "Meal 2", "Eat every 2-3 hours",
            "A salad of tomatoes and cucumbers with feta", "Meal 3", "Eat every 2-3 hours", "Beef and peppers with olives"]
    (art,) = clean(_art("\n".join([BODY[0], *plan, BODY[1]])))
    assert art.text.split("\n\n").count("Eat every 2-3 hours") == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LONG[:3] + BODY[:2] + ["Eat every 2-3 hours", "TT"]), min_size=1, max_size=16))
def test_cleaning_repeated_material_is_idempotent(lines):
    _assert_idempotent(lines)


def test_date_line_gives_the_publication_date():
    (art,) = clean(_art("May 03, 2013\n" + "\n".join(BODY)))
    assert art.published.date().isoformat() == "2013-05-03"
    assert art.meta["published_from"] == "date line"


def test_given_publication_date_wins():
    (art,) = clean(_art("May 03, 2013\n" + "\n".join(BODY), published="2013-05-04"))
    assert art.published.date().isoformat() == "2013-05-04"


def test_single_story_with_mid_article_photo_stays_whole():
    text = "\n".join(
        [BODY[0], BODY[1], "Lohan leaves the courthouse on Thursday. (AP Photo/Nick Ut)", "AP", BODY[2], BODY[3]]
    )
    assert len(clean(_art(text))) == 1


def test_subheadings_do_not_split():
    text = "\n".join([BODY[0], BODY[1], "What Happens Next for Lohan", BODY[2], BODY[3]])
    assert len(clean(_art(text))) == 1


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Die Türkei fordert die USA auf, in Libyen eine aktivere Rolle zu spielen, sagte der Außenminister.", "de"),
        ("Turquía pide a Estados Unidos un papel más activo en Libia, dijo el ministro de Exteriores.", "es"),
        ("La Turquie demande aux États-Unis de jouer un rôle plus actif en Libye, a déclaré le ministre.", "fr"),
        ("La Turchia chiede agli Stati Uniti di svolgere un ruolo più attivo in Libia, ha detto il ministro.", "it"),
        ("Turcja wzywa Stany Zjednoczone do odgrywania bardziej aktywnej roli w Libii, powiedział minister.", "pl"),
        ("Türkiye, ABD'nin Libya'da daha aktif bir rol oynaması gerektiğini söyledi, dedi bakan.", "tr"),
        ("دعت تركيا الولايات المتحدة إلى لعب دور أكثر فاعلية في ليبيا، بحسب وزير الخارجية.", "ar"),
        ("Турция призвала США играть более активную роль в Ливии, заявил министр иностранных дел.", "ru"),
        ("土耳其外长表示，美国需要在利比亚发挥更积极的作用，包括实现停火和政治谈判。", "zh"),
    ],
)
def test_language_of_each_supported_language(text, lang):
    assert detect_language(text) == lang
    (art,) = clean(_art(text))
    assert art.language == lang


# --- bad input: a result or a clear error, never a hang -------------------------------------------------


def test_only_boilerplate_is_a_clear_error():
    with pytest.raises(InputError) as exc:
        clean(_art("Advertisement\nSubscribe now for full access\nTT\n(AP Photo/Nick Ut) Lohan in court. (AP Photo/Nick Ut)"))
    assert exc.value.code == "SS120"


def test_text_without_line_breaks_and_one_giant_line():
    giant = " ".join(f"Report number {i} says the actress spent day {i} of her stay in rehab." for i in range(6000))
    (art,) = clean(_art(giant))
    assert len(art.text) > 300_000
    assert "\n\n" in art.text  # cut into paragraphs so that every rule stays bounded


def test_five_megabytes_is_bounded():
    big = "\n".join(BODY * 20000)  # ~5 MB
    settings = load_settings()
    (art,) = clean(_art(big), settings=settings)
    assert art.meta["truncated"] == settings.clean.max_chars
    assert len(art.text) <= settings.clean.max_chars


def test_mixed_scripts_and_right_to_left():
    text = "\n".join(
        [
            "دعت تركيا الولايات المتحدة إلى لعب دور أكثر فاعلية في ليبيا، بحسب وزير الخارجية التركي مولود تشاووش أوغلو.",
            "Turkish Foreign Minister Mevlut Cavusoglu said the United States must play a more active role in Libya.",
            "Турция призвала США играть более активную роль в Ливии.",
        ]
    )
    (art,) = clean(_art(text))
    assert "ليبيا" in art.text and "Ливии" in art.text
    assert art.language in {"ar", "en", "ru"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(BODY + ["TT", "(AP Photo/Nick Ut) A photo.", "Advertisement", "Lohan Returns"]), min_size=1, max_size=12))
def test_cleaning_is_idempotent(lines):
    _assert_idempotent(lines)
