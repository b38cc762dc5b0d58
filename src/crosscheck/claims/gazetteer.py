"""Canonical names of the subjects figures are about: countries, the alliance, Europe.

Countries are named in their common English form; adjectives of nationality, abbreviations and capitals used
for governments ("Washington said") map to the country. ``NATO`` stands for the alliance or all its members
together, ``Europe`` for the European allies together.
"""

from __future__ import annotations

from crosscheck.claims.tokens import register

NATO = "NATO"
EUROPE = "Europe"

# canonical name: other ways the news writes it (lower case), adjectives of nationality included
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("us", "u.s.", "u.s", "usa", "u.s.a.", "america", "american", "americans", "united states",
                      "the united states", "washington", "the us", "the u.s.", "white house", "the white house"),
    "United Kingdom": ("uk", "u.k.", "britain", "great britain", "british", "united kingdom", "the uk",
                       "the united kingdom", "downing street", "england", "english"),
    "France": ("france", "french", "paris"),
    "Germany": ("germany", "german", "germans", "berlin"),
    "Spain": ("spain", "spanish", "madrid"),
    "Italy": ("italy", "italian", "rome"),
    "Canada": ("canada", "canadian", "ottawa", "canadians"),
    "Poland": ("poland", "polish", "warsaw", "poles"),
    "Netherlands": ("netherlands", "the netherlands", "dutch", "holland"),
    "Belgium": ("belgium", "belgian"),
    "Portugal": ("portugal", "portuguese"),
    "Estonia": ("estonia", "estonian"),
    "Latvia": ("latvia", "latvian"),
    "Lithuania": ("lithuania", "lithuanian"),
    "Finland": ("finland", "finnish", "finns", "helsinki"),
    "Sweden": ("sweden", "swedish", "stockholm"),
    "Norway": ("norway", "norwegian", "oslo"),
    "Denmark": ("denmark", "danish", "copenhagen"),
    "Iceland": ("iceland", "icelandic"),
    "Luxembourg": ("luxembourg",),
    "Greece": ("greece", "greek", "athens"),
    "Turkey": ("turkey", "türkiye", "turkiye", "turkish", "ankara"),
    "Hungary": ("hungary", "hungarian", "budapest"),
    "Czechia": ("czechia", "czech republic", "czech", "prague"),
    "Slovakia": ("slovakia", "slovak"),
    "Slovenia": ("slovenia", "slovenian"),
    "Croatia": ("croatia", "croatian"),
    "Romania": ("romania", "romanian", "bucharest"),
    "Bulgaria": ("bulgaria", "bulgarian", "sofia"),
    "Albania": ("albania", "albanian"),
    "Montenegro": ("montenegro", "montenegrin"),
    "North Macedonia": ("north macedonia", "macedonia", "macedonian"),
    "Russia": ("russia", "russian", "russians", "moscow", "kremlin", "the kremlin"),
    "Ukraine": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "China": ("china", "chinese", "beijing"),
    "Iran": ("iran", "iranian", "iranians", "tehran"),
    "Israel": ("israel", "israeli", "israelis"),
    "Japan": ("japan", "japanese", "tokyo"),
    "South Korea": ("south korea", "south korean", "seoul"),
    "North Korea": ("north korea", "north korean", "pyongyang"),
    "India": ("india", "indian"),
    "Australia": ("australia", "australian"),
    "Qatar": ("qatar", "qatari"),
    "Iraq": ("iraq", "iraqi"),
    "Syria": ("syria", "syrian"),
}  # fmt: skip

_ALLIANCE = ("nato", "nato's", "north atlantic treaty organization", "north atlantic treaty organisation",
             "the alliance", "alliance", "the north atlantic alliance", "the western defensive alliance")  # fmt: skip
_EUROPE = ("europe", "european", "europeans", "the eu", "eu", "european union")

# Nouns for members of a group: "allies", "22 of the 32 member countries", "European nations".
GROUP_NOUNS = register(
    {"ally", "allies", "member", "members", "country", "countries", "nation", "nations", "state", "states",
     "governments", "partner", "partners", "bloc", "alliance"}
)  # fmt: skip

ALIASES: dict[str, str] = {alias: name for name, aliases in _COUNTRIES.items() for alias in aliases}
ALIASES.update({alias: NATO for alias in _ALLIANCE})
ALIASES.update({alias: EUROPE for alias in _EUROPE})
COUNTRIES = frozenset(_COUNTRIES)


def canonical_place(text: str) -> str | None:
    """The canonical country, ``NATO`` or ``Europe`` a name refers to, or None."""
    key = " ".join(text.lower().replace("’", "'").split()).strip(" .,;:'\"@")
    if key.endswith("'s"):
        key = key[:-2]
    if key in ALIASES:
        return ALIASES[key]
    if key.startswith("the "):
        return ALIASES.get(key[4:])
    return None


def is_country(name: str | None) -> bool:
    """Whether a canonical name is a country (not the alliance, Europe or a person)."""
    return name in COUNTRIES


def fold(text: str) -> str:
    """A name without accents, for matching "Sánchez" with "Sanchez"."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
