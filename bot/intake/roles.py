"""Who negotiates, who mediates, who hosts and who only watches.

A mediator must be said to mediate ("mediated by", "brokered by", "under the mediation of",
"Qatar-brokered", "with Oman mediating"); a state merely mentioned near the word is not one,
and neither is one said not to mediate, or only to have offered to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.intake.gazetteer import (
    DEMONYMS,
    ORGANISATION_ACRONYMS,
    capital_of,
    city_named,
    country_named,
    country_of_demonym,
)
from bot.intake.known_topics import PartyNames
from bot.intake.names import (
    ENTITY,
    ENTITY_LIST,
    PERSON,
    TITLE_WORDS,
    entity_name,
    is_person_name,
    split_entities,
    split_person_and_title,
)

_DEMONYM = r"(?:" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")"
_AFTER_TRIGGERS = [
    ("mediator", r"\b(?:mediated|brokered|facilitated|sponsored|convened|co-chaired|chaired|"
                 r"co-facilitated|co-mediated|moderated|refereed)\s+(?:jointly\s+)?by\s+"
                 # "by the regional bloc ECOWAS", "by the Gulf state of Kuwait".
                 r"(?:the\s+(?:[A-Za-z-]+\s+){0,2}?(?:bloc|body|organi[sz]ation|grouping|state|"
                 r"kingdom|emirate|sultanate)\s+(?:of\s+)?(?=[A-Z]))?"),
    # A person brought in by a lowercase title: "under the facilitation of former Tanzanian
    # president X", "mediated by southern Sudan's vice-president X".
    ("mediator", r"\b(?:(?:mediated|brokered|facilitated|moderated)\s+by|under\s+the\s+"
                 r"(?:mediation|facilitation|auspices)\s+of)\s+(?:the\s+)?(?:former\s+|then\s+)?"
                 r"(?:" + _DEMONYM + r"\s+|[a-z]+\s+[A-Z][\w-]*(?:’s|'s)\s+|"
                 r"[A-Z][\w-]*(?:’s|'s)\s+(?=former\s)|(?:U\.N\.|[A-Z]{2,5})\s+)?"
                 r"(?:[a-z-]+\s+)?[a-z-]+(?:\s+|,\s+)"
                 r"(?=[A-Z][\w’'-]+\s+[A-Z])"),
    ("mediator", r"\b(?:under|with|through)\s+(?:the\s+)?(?:joint\s+|continued\s+)?"
                 r"(?:mediation|auspices|aegis|facilitation|sponsorship|good\s+offices)\s+of\s+"),
    ("mediator", r"\b(?:[Mm]ediation|[Ff]acilitation|[Ss]huttle\s+diplomacy)\s+"
                 r"(?:(?:efforts|team|teams|panel|mission)\s+)?(?:by|from)\s+(?:(?:the\s+)?[a-z]+\s+(?:of\s+)?(?=[A-Z]))?"),
    ("mediator", r"\b[Mm]ediators?\s+(?:from\s+)?(?=[A-Z])"),
    ("host", r"\bhosted\s+by\s+"),
    ("mediator", r"\b(?:the\s+)?guarantor\s+(?:countries|states|nations|powers)\s+(?:of\s+)?"
                 r"(?=[A-Z])"),
    ("observer", r"\b[Oo]bservers?\s+from\s+"),
]  # fmt: skip
_BEFORE_TRIGGERS = [
    ("mediator", r"(?:-|\s)(?:mediated|brokered|facilitated|sponsored)\b"),
    ("mediator", r"(?:,?\s+(?:which|who)\s+(?:is|are|was|were|has|have|had)(?:\s+been)?"
                 r"|\s+(?:is|are|was|were|has|have|had|will)(?:\s+been|\s+be)?)?"
                 r"(?:\s+not|\s+no\s+longer|\s+never)?\s+(?:mediating|brokering|facilitating|mediated|brokered)\b"),
    # "Norway, which mediates the dialogue", "Oman, whose government has brokered …".
    ("mediator", r",\s+(?:which|who|whose\s+(?:[a-z]+\s+)?(?:government|administration))"
                 r"(?:\s+(?:has|have|had|is|are|was|were))?(?:\s+been)?"
                 r"(?:\s+not|\s+no\s+longer|\s+never)?\s+(?:also\s+|long\s+|already\s+)?"
                 r"(?:mediates|mediate|facilitates|facilitate|brokers|broker|facilitated|mediated|"
                 r"brokered|moderates|moderated|co-sponsors?|sponsors?|co-chairs?|convenes?|convened)\b(?!\s+(?:an?\s+|the\s+)?(?:earlier|previous|past|former|[0-9]{4})\b)"),
    ("mediator", r"(?:,?\s+(?:which|who)|,)?\s+(?:will\s+|would\s+|to\s+|is\s+|are\s+|was\s+|"
                 r"were\s+|has\s+been\s+|have\s+been\s+)?(?:again\s+|also\s+|"
                 r"once\s+again\s+)?(?:acting|serving|acted|served|act|acts|serve|serves)\s+as\s+"
                 r"(?:a\s+|the\s+)?(?:joint\s+|main\s+|chief\s+|[\w-]+-party\s+)?"
                 r"(?:mediators?|facilitators?|guarantors?|guarantor\s+(?:countries|states)|"
                 r"go-betweens?|intermediar(?:y|ies))\b"),
    # "X, Y and Z, the three guarantor countries of the accord": a list its role describes.
    ("mediator", r",\s+(?:the|its|their)\s+(?:two\s+|three\s+|four\s+|five\s+)?"
                 r"(?:guarantor|mediating|mediator|facilitating)\s+(?:countries|states|nations|"
                 r"powers|governments)\b"),
    ("observer", r",\s+(?:the|its|their)\s+(?:two\s+|three\s+|four\s+|five\s+)?"
                 r"observer\s+(?:countries|states|nations|powers|governments)\b"),
    ("mediator", r"(?:,\s+|\s+)(?:(?:is|are|was|were|remains?|remained|became|becomes?)\s+)?"
                 r"(?:the|a|as|as\s+the)\s+(?:two\s+|three\s+|four\s+|other\s+)?"
                 r"(?:main\s+|joint\s+|sole\s+|chief\s+)?mediators?\b"),
    # "Norway and Cuba are guarantors of the process".
    ("mediator", r"\s+(?:is|are|was|were|remains?|became|becomes?|will\s+be|act\s+as|acts\s+as)\s+"
                 r"(?:the\s+)?(?:main\s+|joint\s+)?(?:co-)?(?:guarantors?|sponsors?|"
                 r"facilitators?)\s+(?:of|to|for)\b"),
    # "Turkey's mediation", "a Qatar-led mediation", "the AU-led facilitation panel".
    ("mediator", r"(?:’s|'s|-led|-sponsored)\s+(?:\w+\s+)?(?:mediation|facilitation|"
                 r"shuttle\s+diplomacy|good\s+offices)\b(?!\s+(?:offer|offers|proposal|bid|plan)\b)"),
    ("host", r"(?:,?\s+(?:which|who)\s+(?:is|are|was|were)|\s+(?:is|are|was|were|will\s+be))?"
             r"\s+hosting\b"),
    ("host", r",\s+the\s+host(?:ing)?(?:\s+country|\s+nation)?\b"),
    # "Ghana is leading the mediation".
    ("mediator", r"\s+(?:is\s+|are\s+|was\s+|were\s+|has\s+been\s+|have\s+been\s+|will\s+be\s+)?"
                 r"(?:leading|leads|led|heading|heads|headed)\s+(?:the\s+)?(?:mediation|"
                 r"facilitation)\b"),
    # "The Organization of American States sent observers to the dialogue".
    ("observer", r"\s+(?:has\s+|have\s+|will\s+)?(?:sent|sends|send|dispatched|deployed)\s+"
                 r"(?:an?\s+)?(?:[\w-]+\s+)?(?:observers?|monitors|observer\s+mission)\b"
                 r"(?!\s+to\s+(?:the\s+|its\s+)?(?:[\w-]+\s+)?(?:elections?|vote|polls|referendum))"),
    ("host", r"(?:\s+(?:government|authorities))?(?:,\s+(?:which|who))?\s+(?:hosted|hosts|"
             r"will\s+host|is\s+hosting|are\s+hosting)\s+(?:the\s+)?"
             r"(?:talks|meeting|negotiations|round|summit|dialogue|signing|ceremony|"
             r"consultations|session)\b"),
    # "Norway provided the venue but took no part."
    ("host", r"(?:\s+(?:government|authorities))?(?:,\s+(?:which|who))?\s+(?:provided|provides|"
             r"will\s+provide|is\s+providing|offered|has\s+provided)\s+(?:the\s+|a\s+)?venue\b"),
    ("observer", r"\s+(?:\w+\s+){0,3}as\s+(?:an?\s+)?(?:observers?|witness(?:es)?)\b"),
    ("mediator", r"\s+(?:\w+\s+){0,3}as\s+(?:the\s+)?(?:mediators|co-mediators)\b"),
    # "with Norway as facilitator".
    ("mediator", r"\s+as\s+(?:the\s+|a\s+)?(?:main\s+|joint\s+|chief\s+|sole\s+)?"
                 r"(?:mediator|facilitator|guarantor|co-mediator|co-facilitator)s?\b"),
    ("observer", r",?\s+(?:as|the)\s+observers?\b"),
    # "with Omani officials shuttling between them".
    ("mediator", r"(?:\s+(?:officials|envoys|diplomats|ministers?|mediators))?\s+"
                 r"(?:shuttling|shuttled|shuttles|shuttle)\s+between\b"),
    ("observer", r"\s+(?:will\s+|would\s+|is\s+to\s+|are\s+to\s+)?(?:observe|observes|observed|"
                 r"monitor|monitors|monitored)\s+(?:the\s+)?(?:talks|negotiations|meeting|round|"
                 r"dialogue|process|signing|vote|ceasefire|truce)\b"),
]  # fmt: skip
_DEMONYM_MEDIATION = re.compile(
    r"\b(?P<list>" + _DEMONYM + r"(?:(?:\s*,\s*|\s+and\s+)" + _DEMONYM + r")*)"
    r"(?:-led|-backed)?\s+(?:mediation|mediators?|facilitation|facilitators?|auspices|"
    r"good\s+offices)\b"
)
_NEGATION = re.compile(
    r"\b(?:not|no\s+longer|never|neither|nor|denied|declined|refused|rejected|ruled\s+out|"
    r"offered|offer|proposed|hopes|hoped|wants|wanted|sought|seeks|would\s+like|instead\s+of|"
    r"rather\s+than|stepped\s+back|withdrew)\b",
    re.IGNORECASE,
)
_NEGATIVE_MEDIATION = re.compile(
    r"\b(?:not|no\s+longer|never)\s+(?:be\s+|been\s+|acting\s+as\s+|act\s+as\s+|serving\s+as\s+|"
    r"playing\s+|play\s+)?(?:an?\s+|the\s+|any\s+)?(?:mediat\w*|broker\w*|facilitat\w*|"
    r"involved|taking\s+part|take\s+part|part\s+of\s+the\s+mediation|role)",
    re.IGNORECASE,
)
# "The government panel will be chaired by …" names a delegation's head, not a mediator; nor
# does "the Implementation Panel, chaired by Thabo Mbeki", which says who leads the mediator.
_TEAM_CHAIR = re.compile(
    r"\b(?:panel|delegation|team|side)\s+(?:\w+\s+){0,3}chaired\s+by\b"
    r"|[A-Z][\w)]*,\s+(?:co-)?chaired\s+by\b"
)
_CLAUSES = re.compile(
    r";|\s+but\s+|\s+while\s+|\s+whereas\s+|,\s+instead\b|(?<!\.[A-Z])\.\s", re.IGNORECASE
)
# "by Swiss ambassador Mirko Manzoni": the demonym only describes the person who mediates.
_TITLED_PERSON_AFTER = re.compile(
    r"\s+(?!(?:and|or|with)\s)(?:[a-z-]+\s+)?[a-z-]+,?\s+[A-Z][\w’'-]+\s+[A-Z]"
)
# "chaired by former U.S. diplomat X and Harvard professor Y": each one brought in by a
# lowercase title mediates in person, whoever the words before the title name.
_TITLED_MEDIATOR = (
    r"(?:former\s+|then\s+)?(?:(?:U\.[NSK]\.|[A-Z][\w-]+)\s+)?"
    r"(?:(?!(?:and|or|with|his|her|its|their|the|an?)\s)[a-z-]+\s+){1,2}(" + PERSON + r")"
)
_TITLED_MEDIATORS = re.compile(
    r"\b(?:mediated|brokered|facilitated|moderated|chaired|co-chaired)\s+(?:jointly\s+)?by\s+"
    r"(?P<list>" + _TITLED_MEDIATOR + r"(?:(?:,\s+|,?\s+and\s+)" + _TITLED_MEDIATOR + r")*)"
)
# "with the EU's special envoy, Jane Doe, as co-chairman".
_APPOSED_CO_CHAIR = re.compile(
    r"\bwith\s+(?:the\s+)?[^,]{2,60}?,\s+(?P<person>" + PERSON + r"),\s+as\s+"
    r"(?:the\s+)?co-?(?:chairman|chairwoman|chair|mediator|facilitator)\b"
)
# "by Kenya's former president Uhuru Kenyatta" mediates in person, where "Ghana's foreign
# minister" mediates for Ghana.
_OWNED_PERSON = re.compile(r"(?:’s|'s)\s+former\s+(?:[a-z-]+\s+){1,2}[A-Z][\w’'-]+\s+[A-Z]")
_SIDE_PREFIX = (
    r"(?:(?:[Tt]he\s+|[Aa]\s+)?(?:(?:[Ss]enior|[Tt]op|[Hh]igh-level|[Ll]ead|[Cc]hief)\s+)?"
    r"(?:[Dd]elegations?|[Rr]epresentatives|[Oo]fficials|[Nn]egotiators|"
    r"[Ee]nvoys|government|[Ll]eaders?|[Tt]eams?|[Ff]oreign\s+ministers|[Mm]inisters|"
    r"[Pp]residents|[Mm]embers|(?:[A-Za-z-]+\s+)?(?:rebels|fighters|insurgents|militants|"
    r"guerrillas|separatists)|"
    r"commanders)\s+(?:from|of|for)\s+"
    # "the junta in Niamey", "the authorities in Kabul".
    r"|(?:[Tt]he\s+)?(?:junta|authorities|government|regime|rulers|military)\s+in\s+)?"
)
# "Officials of the Israeli government and of Hamas": the second side repeats only "of".
_SECOND_PREFIX = _SIDE_PREFIX + r"(?:(?:of|from|for)\s+)?"
_KINDS = (
    r"former|opposition|rebel|armed|militant|separatist|secessionist|guerrilla|insurgent|"
    r"paramilitary|jihadist|Islamist|Maoist|dissident|exiled|governing|ruling|breakaway|banned|"
    r"outlawed|proscribed|[A-Za-z]+-(?:led|backed|aligned)"
)
_DESCRIPTORS = (
    r"(?:[A-Z][\w-]*(?:’s|'s)\s+(?=[a-z])|"
    # "Kenyan President Mwai Kibaki's Party of National Unity (PNU)".
    r"(?:[A-Z][\w-]*\s+){1,4}[A-Z][\w-]*(?:’s|'s)\s+(?=[A-Z]))?"
    r"(?:(?:" + _KINDS + r")\s+){0,3}"
    r"(?:(?:movement|group|party|faction|coalition|region|republic|territory)\s+(?:of\s+)?)?"
)
# "rebel leader Foday Sankoh of the RUF": a side by the leader who speaks for it.
_LEADER_OF = (
    r"(?:[a-z-]+\s+)?(?:leader|chief|chairman|head|commander)\s+"
    + PERSON
    + r"\s+of\s+(?:the\s+)?"
    + ENTITY
    + r"|"
)
_SIDE = (
    r"(?:"
    + _LEADER_OF
    + r"(?:the\s+)?"
    + _DESCRIPTORS
    + ENTITY
    + r"(?:(?:’s|'s)?\s+(?:[a-z-]+\s+){0,3}?(?:rebel\s+group|"
    r"rebels|group|movement|government|authorities|militia|army|military|junta|coalition|"
    r"alliance|bloc|party|officials|diplomats|negotiators|envoys|delegations?|team))?"
    # "Renamo leader Ossufo Momade": a side by the leader who speaks for it.
    r"(?:\s+(?:leader|chief|chairman|head|commander)\s+" + PERSON + r")?)"
)
_BETWEEN = re.compile(
    r"\bbetween\s+"
    + _SIDE_PREFIX
    + r"(?P<a>"
    + _SIDE
    + r")(?:’s|'s)?\s+(?:and|with)\s+"
    + _SECOND_PREFIX
    + r"(?P<b>"
    + _SIDE
    + r")"
)
_PAIR_SUBJECT = re.compile(
    # "of" only after a lowercase word: "Party of National Unity" is one name.
    r"(?:^|[-–—]\s+|\b[a-z][a-z-]*\s+of\s+)"
    + _SIDE_PREFIX
    + r"(?P<a>"
    + _SIDE
    + r")\s+and\s+"
    + _SECOND_PREFIX
    + r"(?P<b>"
    + _SIDE
    + r")(?:,\s+(?:a|an|the)\s+[^,]{1,140},|,\s+[A-Z][^,]{2,80}\s+and\s+[A-Z][^,]{2,80},)?"
    r"(?:\s+(?:special\s+|chief\s+|top\s+)?(?:envoys|negotiators|delegations|officials|leaders|"
    r"governments|teams|sides|presidents|"
    r"diplomats|foreign\s+ministers|ministers))?\s+(?:have\s+|had\s+|will\s+|on\s+\w+\s+)?"
    r"(?:\w+ly\s+)?"
    r"(?:agreed|agree|signed|sign|held|hold|met|meet|opened|open|began|begin|resumed|resume|"
    r"reached|concluded|launched|started|ended|are|were|have|will|to|held|[a-z]{3,}ed)\b"
)
# "North and South Korea": two sides sharing one noun.
_SHARED_NOUN = re.compile(
    r"\b(?P<a>North|South|East|West)\s+and\s+(?P<b>North|South|East|West)\s+(?P<noun>[A-Z]\w+)"
)
_SIDES_LIST = re.compile(
    r"(?:^|[-–—]\s+)(?P<list>"
    + _SIDE
    + r"(?:\s*,\s*"
    + _SIDE
    + r"){1,4},?\s+and\s+"
    + _SIDE
    + r")\s+(?:have\s+|had\s+|will\s+)?(?:all\s+)?(?:\w+ly\s+)?(?:agreed|signed|held|met|opened|"
    r"began|resumed|reached|concluded|launched|started|ended|failed|initial(?:l)?ed|"
    r"took\s+part|take\s+part|attended|participated)\b"
)
# "Japan's delegation was led by X; North Korea's by Y": each side named by its delegation.
_DELEGATION_OWNER = re.compile(
    r"(?:^|[;,]\s+(?:and\s+)?|\s+and\s+|\s+while\s+)(?:the\s+)?(?P<side>"
    + ENTITY
    + r")(?:’s|'s)\s+"
    r"(?P<full>(?:[a-z-]+\s+)?(?:delegation|team|negotiators)\s+(?:was|were|is|will\s+be)\s+)?"
    r"(?:led|headed)?\s*by\s+(?=[A-Z]|the\s|its\s|former\s)"
)
_ONE_NAMED_SIDE = re.compile(
    r"(?:^|[-–—]\s+)"
    + _SIDE_PREFIX
    + r"(?P<a>"
    + _SIDE
    + r")\s+and\s+(?P<b>(?:a|an|the|more\s+than|"
    r"several|some|[0-9]+)\s+[^,.;]{3,60}?)\s+(?:have\s+|had\s+|will\s+)?(?:agreed|signed|held|"
    r"met|opened|began|resumed|reached|concluded|launched|started|ended)\b"
)
# "Thailand held talks with Cambodia", "Eritrea is holding talks with Ethiopia".
_TALKS_WITH = (
    r"\s+(?:has\s+|have\s+|had\s+|will\s+|is\s+|are\s+|was\s+|were\s+)?(?:\w+ly\s+)?"
    r"(?:held|hold|holds|open|opens|resume|resumes|began|begin|begins|start|starts|wrapped\s+up|"
    r"broke\s+off|called\s+off|[a-z]{3,}ed|[a-z]{3,}ing)\s+"
    r"(?:[\w-]+\s+){0,6}?(?:talks|negotiations|meetings?|dialogue|consultations|discussions)"
    r"\s+with\s+"
)
_SIDE_WITH = re.compile(
    r"(?:^|[-–—]\s+|,\s+)"
    + _SIDE_PREFIX
    + r"(?P<a>"
    + _SIDE
    + r")"
    + _TALKS_WITH
    + _SECOND_PREFIX
    + r"(?P<b>"
    + _SIDE
    + r")"
    # "held talks with Egyptian mediators", "… with Qatar's prime minister": not a side.
    + r"(?![\w’'-])(?<!’s)(?<!'s)(?!\s+(?:mediators?|facilitators?|hosts?)\b)"
)
# "Iran and …" / "Iran held talks with …", then a group of states listed by name.
_ONE_SIDE_AND = (
    r"(?:^|[-–—]\s+|,\s+|\bbetween\s+)"
    + _SIDE_PREFIX
    + r"(?P<a>"
    + _SIDE
    + r")(?:\s+and\s+|"
    + _TALKS_WITH
    + r")"
)
_LISTED_SIDES = _SIDE + r"(?:\s*,\s*" + _SIDE + r")*,?\s+and\s+" + _SIDE
# "Iran and the three European powers, France, Germany and the United Kingdom, …": a side
# written as a group of named states, as many as the number says.
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_GROUP_OF_SIDES = re.compile(
    _ONE_SIDE_AND
    + r"(?:the\s+|its\s+|their\s+)?(?P<count>two|three|four|five|six)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:powers|countries|states|nations|neighbou?rs|allies|governments|signatories|members)"
    r"\s*(?:,|:|—|–|\s-)\s*(?P<list>" + _LISTED_SIDES + r")"
)
# "Iran and the E3 (France, Germany and Britain)", "… the E3 — France, Germany and Britain —".
_NAMED_GROUP_OF_SIDES = re.compile(
    _ONE_SIDE_AND
    + r"(?:the\s+)?[A-Z][\w-]*\s*(?:\(|—|–)\s*(?P<list>"
    + _LISTED_SIDES
    + r")\s*(?:\)|—|–)"
)
# "Azerbaijani Foreign Minister X and his Armenian counterpart Y": each side by its minister.
_COUNTERPARTS = re.compile(
    r"(?P<a>" + ENTITY + r")(?:’s|'s)?[^.;]{0,60}?\band\s+(?:his|her|their)\s+"
    r"(?P<b>" + _DEMONYM + r")\s+counterparts?\b"
)
# "… and ethnic armed groups", "… and more than 30 rebel groups": a side the article does not
# name is written as its kind.
_UNNAMED_SIDE = re.compile(
    r"(?P<kind>(?:(?:" + _KINDS + r"|[a-z-]+)\s+)?"
    r"(?:groups|movements|factions|militias|parties|rebels|insurgents|organi[sz]ations))\b"
)
_AND_UNNAMED_SIDE = re.compile(
    r"\s+and\s+(?:(?:some|about|around|more\s+than|several|dozens\s+of|[0-9]+|the|other|"
    r"(?:a|an)\s+(?:coalition|alliance|umbrella|number|group)\s+of)\s+)*(?:[a-z-]+\s+)??"
    + _UNNAMED_SIDE.pattern
)
_BETWEEN_ONE_NAMED = re.compile(r"\bbetween\s+" + _SIDE_PREFIX + r"(?P<a>" + _SIDE + r")\s+and\s")
# Headlines write "and" as a comma: "Colombia, ELN resume talks".
_HEADLINE_COMMA = re.compile(r"^(?P<a>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}),\s+(?=[A-Z])")
_PAIR_HEADLINE = re.compile(
    r"(?<![\w.])(?P<a>U\.S\.|U\.K\.|[A-Z][\w]+)[-–](?P<b>U\.S\.|U\.K\.|[A-Z][\w]+)\s+"
    r"(?i:talks|dialogue|negotiations|peace|"
    r"meeting|summit|deal|ceasefire|truce)\b"
)
_SIDE_WORDS = re.compile(
    r"^(?:[Tt]he\s+)?(?:(?:" + _KINDS + r")\s+){0,3}"
    r"(?:(?:movement|group|party|faction|coalition|region|republic|territory)\s+(?:of\s+)?)?"
)
_OWNER = re.compile(
    r"^(?:[Tt]he\s+)?(?P<owner>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)(?:’s|'s)\s+(?P<rest>.+)$"
)
_GROUPING = re.compile(r"\s+(?:coalition|alliance|bloc|party)$")
# "the Renamo opposition party", "Ansar al-Sunna rebels": words that say the name before them
# is an armed or political group, so it needs no organisation word to count as a name.
_KIND_TAIL = re.compile(
    r"(?:\s+(?:" + _KINDS + r"|political))+(?:\s+(?:group|movement|party|faction))?$"
    r"|(?:\s+(?:" + _KINDS + r"))*\s+(?:rebel\s+group|rebels|militia|insurgents|guerrillas|"
    r"fighters|militants)$"
)
_LEADER = re.compile(r"\s+(?:leader|chief|chairman|head|commander)\s+" + PERSON + r"$")
# "the FARC dissident group Estado Mayor Central (EMC)": the group's own name comes last.
_APPOSED_NAME = re.compile(
    r"^(?:[A-Z][\w-]*\s+)?(?:[a-z-]+\s+){1,2}?(?:group|movement|faction|coalition|alliance|"
    r"militia)\s+(?=[A-Z])"
)
_SIDE_TAIL = re.compile(
    r"(?:\s+[a-z-]+){0,3}?\s+(?:rebel\s+group|rebels|group|movement|government|authorities|"
    r"administration|militia|army|military|junta|forces|coalition|alliance|bloc|party|officials|"
    r"diplomats|negotiators|envoys|delegations?|team)$"
)
# "Hamas negotiators": people sent by a side, so the words before them name it.
_ENVOYS_TAIL = re.compile(
    r"(?:\s+[a-z-]+){0,2}?\s+(?:officials|diplomats|negotiators|envoys|delegations?|team)$"
)


@dataclass
class Roles:
    mediators: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    def add(self, role: str, name: str) -> None:
        names = {"mediator": self.mediators, "host": self.hosts, "observer": self.observers}[role]
        if name not in names and name not in self.refused:
            names.append(name)


def drop_surnames(roles: Roles) -> None:
    """A headline or a later sentence names a mediator by surname alone ("chaired by Haass")
    once the article has given the full name; both are the one person."""
    surnames = {name.split()[-1] for name in roles.mediators if is_person_name(name)}
    roles.mediators[:] = [name for name in roles.mediators if name not in surnames]


def find_roles(sentence: str, parties: PartyNames, roles: Roles) -> None:
    """Adds the mediators, hosts and observers one sentence names to `roles`."""
    for clause in _CLAUSES.split(sentence):
        negative = bool(_NEGATIVE_MEDIATION.search(clause))
        for role, name, negated in _named_roles(clause, parties):
            name = _state_of_capital(name, parties) if role == "mediator" else name
            if role == "mediator" and (negated or negative):
                roles.refused.add(name)
                if name in roles.mediators:
                    roles.mediators.remove(name)
                continue
            roles.add(role, name)


def _named_roles(clause: str, parties: PartyNames) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    for role, trigger in _AFTER_TRIGGERS:
        for match in re.finditer(trigger + r"(?P<list>" + ENTITY_LIST + r")", clause):
            if _TEAM_CHAIR.search(clause[max(0, match.start() - 40) : match.start() + 12]):
                continue
            if _OWNED_PERSON.match(clause, match.end("list") - 2):
                continue
            if _describes_person(match["list"]) and _TITLED_PERSON_AFTER.match(
                clause, match.end("list")
            ):
                continue
            negated = bool(_NEGATION.search(clause[max(0, match.start() - 30) : match.start()]))
            for item in split_entities(match["list"]):
                ruler = _OWNED_RULER.match(item.strip()) if role == "mediator" else None
                name = ruler["person"] if ruler else entity_name(item, parties, strict=False)
                if name is not None:
                    found.append((role, name, negated))
    for role, trigger in _BEFORE_TRIGGERS:
        aside = r"(?:,\s+(?:which|who)\s+[^,]{1,80},)?"
        for match in re.finditer(r"(?P<list>" + ENTITY_LIST + r")" + aside + trigger, clause):
            negated = bool(_NEGATION.search(match.group(0)[len(match["list"]) :]))
            for item in split_entities(match["list"]):
                # A person may mediate or watch too ("Jane Doe attended as an observer").
                name = _serving_state(item) or entity_name(item, parties, strict=True)
                name = name or _person(item)
                if name is not None:
                    found.append((role, name, negated))
    for match in _TITLED_MEDIATORS.finditer(clause):
        negated = bool(_NEGATION.search(clause[max(0, match.start() - 30) : match.start()]))
        for titled in re.finditer(_TITLED_MEDIATOR, match["list"]):
            if is_person_name(titled[1], after_title=True):
                found.append(("mediator", titled[1], negated))
    for match in _APPOSED_CO_CHAIR.finditer(clause):
        if is_person_name(match["person"]):
            found.append(("mediator", match["person"], False))
    for match in _DEMONYM_MEDIATION.finditer(clause):
        negated = bool(_NEGATION.search(clause[max(0, match.start() - 30) : match.start()]))
        for item in split_entities(match["list"]):
            name = entity_name(item, parties, strict=True)
            if name is not None:
                found.append(("mediator", name, negated))
    return found


# "convened by Burkina Faso's President X": a head of state mediates in person, as "by
# Burkinabe President X" does.
_OWNED_RULER = re.compile(
    r"^(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*(?:’s|'s)\s+(?:former\s+)?"
    r"(?:President|Emir|King|Sultan)\s+(?P<person>" + PERSON + r")$"
)


def _describes_person(words: str) -> bool:
    """ "the AU special envoy, Tom Phiri": the organisation only says whose envoy he is."""
    words = re.sub(r"^the\s+", "", words.strip())
    return bool(
        country_of_demonym(words)
        or country_named(words)
        or ORGANISATION_ACRONYMS.get(words.replace(".", ""))
    )


def _serving_state(item: str) -> str | None:
    """ "Omani Foreign Minister Badr Albusaidi shuttling between …" mediates for Oman; a
    president, or anyone former, mediates in person."""
    owned = re.match(r"(?P<owner>.+?)(?:’s|'s)\s+(?P<person>.+)$", item.strip())
    if owned is not None and is_person_name(owned["person"]):
        return country_named(owned["owner"])
    title, person = split_person_and_title(item.strip())
    if title is None or not is_person_name(person) or not _STATE_SERVANT.search(title):
        return None
    first = title.split()[0]
    return country_of_demonym(first) or country_named(first)


_STATE_SERVANT = re.compile(
    r"^(?!.*\bformer\b).*\b(?:minister|ambassador|envoy|diplomat|official|negotiator|"
    r"intelligence|secretary)\b",
    re.IGNORECASE,
)


def _person(item: str) -> str | None:
    return item.strip() if is_person_name(item.strip()) else None


# "talks between representatives of ousted President X and of the interim government of Y":
# each side is the person its envoys speak for.
_BETWEEN_PEOPLE_S_ENVOYS = re.compile(
    r"\bbetween\s+(?:the\s+)?(?:representatives|envoys|delegates|delegations|negotiators|"
    r"emissaries)\s+of\s+(?P<a>[^,.;]{3,80}?)\s+and\s+(?:of\s+|those\s+of\s+)"
    r"(?P<b>[^,.;]{3,80}?)(?=\s+(?:ended|began|opened|resumed|were|was|will|have|had|in|on|at|"
    r"broke|stalled|collapsed)\b|[,.;])"
)
_TRAILING_PERSON = re.compile(r"(?:^|\s)(?P<person>" + PERSON + r")$")


# "Madagascar's four political movements, led by A, B, C and D, signed": the groups go by the
# leaders the article names them by, as many as the number says.
_GROUPS_LED_BY = re.compile(
    r"(?:^|[-–—]\s+)(?:the\s+)?(?:[A-Z][\w-]*(?:’s|'s)\s+)?(?P<count>two|three|four|five|six)\s+"
    r"(?:[a-z-]+\s+){0,2}(?:movements|parties|factions|coalitions|camps|groups|blocs),\s+"
    r"led\s+by\s+(?P<list>[^;.]{5,200}?),\s+(?:have\s+|had\s+|will\s+)?(?:signed|agreed|met|"
    r"held|began|opened|reached|ended|resumed)\b"
)


def _groups_led_by(sentence: str) -> list[tuple[str, str]]:
    match = _GROUPS_LED_BY.search(sentence)
    if match is None:
        return []
    leaders = [item.strip() for item in split_entities(match["list"])]
    if len(leaders) != _NUMBERS[match["count"]] or not all(map(is_person_name, leaders)):
        return []
    return [(leader, leader) for leader in leaders]


def _people_s_envoys(sentence: str) -> list[tuple[str, str]]:
    match = _BETWEEN_PEOPLE_S_ENVOYS.search(sentence)
    if match is None:
        return []
    found = []
    for key in "ab":
        person = _TRAILING_PERSON.search(match[key])
        if person is None:
            return []
        _, name = split_person_and_title(person["person"])
        if not is_person_name(name):
            return []
        found.append((name, name))
    return found


def find_negotiating_parties(
    sentence: str, parties: PartyNames, *, headline: bool = False
) -> list[tuple[str, str]]:
    """The two sides, as (party, the words the article used): "talks between A and B", "A and
    B agreed …", a headline's "A-B talks" or "A, B resume talks"; only the one with a name when
    the other is "more than 30 rebel groups"."""
    if headline:
        sentence = _HEADLINE_COMMA.sub(r"\g<a> and ", sentence, count=1)
    people = _people_s_envoys(sentence) or _groups_led_by(sentence)
    if people:
        return people
    shared = _SHARED_NOUN.search(sentence)
    if shared is not None:
        phrases = [f"{shared['a']} {shared['noun']}", f"{shared['b']} {shared['noun']}"]
        named = [(country_named(side), side) for side in phrases]
        if all(name is not None for name, _ in named):
            return [(name, side) for name, side in named if name is not None]
    listed = _SIDES_LIST.search(sentence)
    if listed is not None:
        named = [(side_name(item, parties), item) for item in split_entities(listed["list"])]
        sides = [(name, words) for name, words in named if name is not None]
        if len(sides) >= 3 and len({name for name, _ in sides}) == len(sides):
            return sides
    for pattern in (_GROUP_OF_SIDES, _NAMED_GROUP_OF_SIDES):
        group = pattern.search(sentence)
        if group is None:
            continue
        items = [group["a"], *split_entities(group["list"])]
        named = [(side_name(item, parties), item) for item in items]
        sides = [(name, words) for name, words in named if name is not None]
        count = _NUMBERS[group["count"]] + 1 if "count" in group.groupdict() else len(items)
        if len(sides) == count and len({n for n, _ in sides}) == len(sides):
            return sides
    partial: list[tuple[str, str]] = []
    for pattern in (
        _BETWEEN,
        _SIDE_WITH,
        _PAIR_SUBJECT,
        _PAIR_HEADLINE,
        _COUNTERPARTS,
        _ONE_NAMED_SIDE,
    ):
        for match in pattern.finditer(sentence):
            candidates = [
                (side_name(match[key], parties), _side_words(sentence, match, key)) for key in "ab"
            ]
            found = [(name, side) for name, side in candidates if name is not None]
            if len(found) == 2 and found[0][0] != found[1][0]:
                return found
            partial = partial or found[:1]
    if partial:
        return _with_unnamed_side(sentence, partial[0])
    between = _BETWEEN_ONE_NAMED.search(sentence)
    name = side_name(between["a"], parties) if between is not None else None
    if between is None or name is None:
        return []
    found = _with_unnamed_side(sentence, (name, between["a"]))
    return found if len(found) >= 2 else []


# "the two rival militias, the A (AM) and the B (BM)": the kind, then each side's own name.
_NAMED_AFTER_KIND = re.compile(
    r",?\s+(?P<list>(?:the\s+)?"
    + ENTITY
    + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?"
    + ENTITY
    + r")+)"
)
_ACRONYMED = re.compile(r"\([A-Z][A-Za-z-]{0,10}[A-Z]\)$")


def _with_unnamed_side(sentence: str, side: tuple[str, str]) -> list[tuple[str, str]]:
    """ "between Burma's military and ethnic armed groups" → Myanmar and "armed groups"."""
    joint = sentence.find(" and ", max(0, sentence.find(side[1].split()[0])))
    kind = _AND_UNNAMED_SIDE.match(sentence, joint) if joint >= 0 else None
    if kind is None:
        return [side]
    named = _NAMED_AFTER_KIND.match(sentence, kind.end())
    if named is not None:
        items = [item for item in split_entities(named["list"]) if _ACRONYMED.search(item)]
        sides = [(found, item) for item in items if (found := side_name(item, PartyNames()))]
        if len(sides) >= 2 and len(sides) == len(split_entities(named["list"])):
            return [side, *sides]
    name = " ".join(kind["kind"].split()[-2:])
    return [side, ("opposition" if name == "opposition parties" else name, kind["kind"])]


def _side_words(sentence: str, match: re.Match[str], key: str) -> str:
    """The words for a side, with the "government" of "the government of South Sudan" that
    the prefix took, since the article may later say only "the government delegation"."""
    before = sentence[max(0, match.start(key) - 25) : match.start(key)]
    words = match[key]
    return (
        f"{words} government" if re.search(r"\bgovernment\s+of\s+(?:the\s+)?$", before) else words
    )


def find_delegation_sides(sentence: str, parties: PartyNames) -> list[tuple[str, str]]:
    """Sides an article names only as owners of the delegations it describes, once it has
    said no "between A and B"."""
    found: list[tuple[str, str]] = []
    matches = list(_DELEGATION_OWNER.finditer(sentence))
    if not any(match["full"] for match in matches):
        return []
    for match in matches:
        name = side_name(match["side"], parties)
        if name is not None and name not in {n for n, _ in found}:
            found.append((name, match["side"]))
    return found


def side_name(side: str, parties: PartyNames) -> str | None:
    name = _side_name(side, parties)
    return None if name is None else _community(_state_of_capital(name, parties))


def _community(name: str) -> str:
    """ "Greek Cypriot leader X": a people within a state ("Greek Cypriots", "Bosnian Serbs")
    is a side of its own, written in the plural."""
    words = name.split()
    last = words[-1]
    if (
        len(words) < 2
        or last not in DEMONYMS
        or country_of_demonym(name) is not None
        or re.search(r"(?:ese|ish|ch|ss)$", last)
    ):
        return name
    return f"{name}s"


def _state_of_capital(name: str, parties: PartyNames) -> str:
    """A capital standing for its state ("between Nairobi and Mogadishu", "brokered by
    Washington") is that state."""
    if parties.canonical(name) is not None:
        return name
    city = city_named(name)
    if city is not None and capital_of(city.country) == city.name:
        return city.country
    return name


# "the Tigray People's Liberation Front": a people's possessive is part of the name.
_COLLECTIVE_OWNER = re.compile(
    r"\b(?:People|Peoples|Nation|Nations|Workers|Citizens|Women|Youth|Patriots|Democrats)$"
)
_OWNED_NAME = re.compile(
    r"(?:[A-Z][\w’'-]*\s+(?:(?:of|for|the|and)\s+)*)*[A-Z][\w’'-]*\s+\([A-Z][A-Za-z-]{0,10}[A-Z]\)"
    r"|[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)?"
)


_LED_ORGANISATION = re.compile(
    r"^(?:[a-z-]+\s+)?(?:leader|chief|chairman|head|commander)\s+"
    + PERSON
    + r"\s+of\s+(?:the\s+)?(?P<organisation>.+)$"
)


def _before_title(title: str) -> str:
    """ "Sierra Leone President" → "Sierra Leone": the words a title says whose it is."""
    words = title.split()
    first_title = next(
        (i for i, word in enumerate(words) if i and word.casefold() in TITLE_WORDS), len(words)
    )
    return " ".join(words[:first_title]) if first_title else words[0]


def _side_name(side: str, parties: PartyNames) -> str | None:
    """ "the Colombian government" → Colombia; "the M23 rebel group" → M23; "the Houthi
    movement" stays, since "Houthi" alone names no party; "Kenya's governing Kenya Kwanza
    coalition" is Kenya Kwanza, "Nicaragua's government" Nicaragua."""
    led = _LED_ORGANISATION.match(side.strip())
    if led is not None:
        return entity_name(led["organisation"], parties, strict=False)
    owner = _OWNER.match(side.strip())
    if owner is not None:
        if owner["rest"].islower():
            return entity_name(owner["owner"], parties, strict=False)
        if owner["rest"][0].islower():
            side = owner["rest"]
        elif (
            _OWNED_NAME.fullmatch(owner["rest"])
            and not is_person_name(owner["rest"])
            and not _COLLECTIVE_OWNER.search(owner["owner"])
            and (
                is_person_name(split_person_and_title(owner["owner"])[1])
                or country_named(owner["owner"])
            )
        ):
            # "Raila Odinga's Orange Democratic Movement (ODM)", "Zimbabwe's ZANU-PF": the
            # owner only says whose it is.
            side = owner["rest"]
    side = _LEADER.sub("", side.strip())
    side = _GROUPING.sub("", _SIDE_WORDS.sub("", side))
    side = _APPOSED_NAME.sub("", side)
    kind_core = _KIND_TAIL.sub("", side)
    if kind_core != side and kind_core:
        return entity_name(kind_core, parties, strict=False)
    title, person = split_person_and_title(side)
    if title is not None and is_person_name(person):
        side = title
    else:
        title = None
    envoys_core = _ENVOYS_TAIL.sub("", side)
    if envoys_core != side and title is None and envoys_core[:1].isupper():
        return entity_name(envoys_core, parties, strict=False)
    core = _SIDE_TAIL.sub("", side)
    if core != side or title is not None:
        named = entity_name(_before_title(core) if title else core, parties, strict=True)
        if named is not None or title is not None:
            return named
    return entity_name(side, parties, strict=False)
