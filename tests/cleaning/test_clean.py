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
        ("2019-11-19T08:57:40+01:00", "timestamp"),
        ("Lindsay Lohan arrives at court in Los Angeles.Reuters", "caption"),
        ("https://static.example.com/image/lohan-court-500-250.jpg", "caption"),
        ("copyright Example Times 2019 - ISSN: 2283-5474", "boilerplate"),
        ("This copy is for your personal, non-commercial use only. To order presentation-ready copies for "
         "distribution to your colleagues, clients or customers visit http://www.djreprints.com. Distribution and use "
         "of this material are governed by our Subscriber Agreement and by copyright law.", "boilerplate"),
        ("Keith Bradsher contributed reporting from Hong Kong.", "credit"),
        ("Fox News\u2019 Jessica Napoli contributed to this report.", "credit"),
        ("Follow AP's full coverage of Brexit and British politics at https://www.apnews.com/Brexit", "boilerplate"),
        ("More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports", "boilerplate"),
        ("Filed under: Celebrities |", "boilerplate"),
        ("[button link=\u201dhttp://example.com/submit/\u201d type=\u201dbig\u201d] Send us YOUR review[/button]", "boilerplate"),
        ("TT", "marker"),
        # a paper's own photo credit
        ("Cranes stand idle at a container terminal in Rotterdam on March 12. (Courier Photo/Anne de Vries)", "caption"),
        ("The mayor speaks at the opening of the bridge. (Staff photo)", "caption"),
        ("Thousands of volunteers contributed to the report on the flood, officials said.", "body"),
        ("The copyright law of 1976 protects the photographs the agency took.", "body"),
        # a bare link is content as often as not (a list of sources, a shop's links)
        ("http://amzn.to/2iJFhRj", "body"),
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
    # a paper's own name in the parentheses, the country after the town, a German date
    assert split_dateline("ROTTERDAM, Netherlands (Courier) — Dockworkers walked out.")[0] == {
        "place": "ROTTERDAM, Netherlands",
        "agency": "Courier",
    }
    assert split_dateline("BERLIN, 4. März (dpa) - Ein Zug entgleiste.")[0] == {"place": "BERLIN", "agency": "dpa", "date": "4. März"}
    # an unknown name in parentheses needs an upper-case place: a sentence is no dateline
    assert split_dateline("The Senate (Democrats) - and the House - agreed.")[0] is None


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


def test_headline_printed_with_the_page_title_s_site_name_or_as_a_variant():
    (art,) = clean(_art("Lohan Checks Into Betty Ford Center\n" + "\n".join(BODY), title="Lohan Checks Into Betty Ford Center | Example Times"))
    assert art.title == "Lohan Checks Into Betty Ford Center"  # the page title less the site's name
    assert art.text.split("\n\n") == BODY
    assert [r["reason"] for r in art.meta["removed"]] == ["headline"]
    (art,) = clean(_art("Lindsay Lohan checks into Betty Ford Center\n" + "\n".join(BODY), title="Lohan checks into Betty Ford rehab center"))
    assert art.text.split("\n\n") == BODY
    assert art.title == "Lohan checks into Betty Ford rehab center"
    # a line that shares few words with the title is body
    (art,) = clean(_art("\n".join(BODY), title="Actress begins her stay in rehab"))
    assert art.text.split("\n\n") == BODY


def test_lines_above_the_headline_are_another_article_s_teaser():
    teaser = ["Night mode is an automatic setting which takes advantage of the new wide-angle camera in the phone.",
              "New Laptop Now Available"]
    page = "\n".join([*teaser, "Lohan Checks Into Betty Ford Center", *BODY])
    (art,) = clean(_art(page, title="Lohan Checks Into Betty Ford Center"))
    assert art.text.split("\n\n") == BODY
    assert [r["reason"] for r in art.meta["removed"]] == ["above headline", "above headline", "headline"]
    # a lead above a subheading that repeats the title ends with a sentence: it stays
    (art,) = clean(_art("\n".join([BODY[0], BODY[1], "Lohan Checks Into Betty Ford Center", BODY[2], BODY[3]]),
                        title="Lohan Checks Into Betty Ford Center"))
    assert art.text.split("\n\n") == BODY
    # a subheading that reads like the title, below the introduction, cuts nothing
    page = "\n".join([BODY[0], BODY[1], "Some of Lohan's stays at Betty Ford", BODY[2], BODY[3]])
    (art,) = clean(_art(page, title="Lohan's stays at Betty Ford | Example Times"))
    assert art.text.split("\n\n") == [BODY[0], BODY[1], "Some of Lohan's stays at Betty Ford", BODY[2], BODY[3]]


def test_link_list_under_a_bare_heading_is_dropped():
    teasers = ["China furious at Macron for Hong Kong protest jibe [INSIGHT]",
               "Lakers vs Nets: NBA make final decision on game amid China turmoil [VIDEO]"]
    (art,) = clean(_art("\n".join([*BODY[:2], "DON\u2019T MISS", *teasers, *BODY[2:]])))
    assert art.text.split("\n\n") == BODY
    assert [r["reason"] for r in art.meta["removed"]] == ["boilerplate"] * 3


def test_site_navigation_above_the_story_is_dropped():
    menu = ["Home", "News", "Politics", "Sport", "Menu"]
    (art,) = clean(_art("\n".join([*menu, "Lohan Checks Into Betty Ford Center", *BODY])))
    assert art.text.split("\n\n") == BODY and art.title == "Lohan Checks Into Betty Ford Center"
    assert [r["text"] for r in art.meta["removed"] if r["reason"] == "boilerplate"] == menu


@pytest.mark.parametrize("top", [
    ["Ingredients", "400 grams", "2 eggs", "1 spoon"],  # quantities are no menu
    ["WASHINGTON", "Health"],  # two short lines are no run
    ["Home", "News", "Sport"],  # nothing after them but short lines: nothing to tell them from
])
def test_short_lines_that_are_no_navigation_stay(top):
    lines = top + (BODY if top[0] != "Home" else ["Lohan", "Betty Ford"])
    (art,) = clean(_art("\n".join(lines)))
    assert all(line in art.text.split("\n\n") for line in top if line != art.title)


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


def test_portuguese_date_line_gives_the_publication_date():
    (art,) = clean(_art("segunda-feira, 22 de janeiro de 2018 às 0:13\n" + "\n".join(BODY)))
    assert art.published.date().isoformat() == "2018-01-22"


def test_date_line_with_a_byline_is_a_date_line():
    (art,) = clean(_art("5:45 AM PST 11/19/2019 by Patrick Shanley\n" + "\n".join(BODY)))
    assert art.published.date().isoformat() == "2019-11-19"
    assert art.text.split("\n\n") == BODY


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
