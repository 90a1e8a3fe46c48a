"""The words the BANT readers look for, in English, Dutch and German, and the regexes built from them.

Period words (months, units, "next", seasons) are in domain.bant.calendar_words.
"""

from __future__ import annotations

import re

from domain.amounts import MULTIPLIERS


def phrase_list(*per_language: str) -> list[str]:
    """Phrases per language (en, nl, de), comma separated."""
    return [p.strip() for lang in per_language for p in lang.split(",") if p.strip()]


# ---- Words per language (en, nl, de) ---------------------------------------------------------------

CONTROL = {
    "skip": phrase_list("skip, next", "overslaan, sla over, volgende", "überspringen, ueberspringen, weiter"),
    "back": phrase_list("back, go back", "terug", "zurück, zurueck"),
    # The Stop button reads "Pausieren" / "Pauzeren": the answers are kept, so typing it pauses too.
    "stop": phrase_list(
        "stop, pause, cancel, quit",
        "stoppen, stop, pauzeren, pauze, annuleren",
        "pausieren, pause, anhalten, stopp, stop, abbrechen, aufhören, aufhoeren",
    ),
    "restart": phrase_list(
        "restart, start over", "opnieuw, opnieuw beginnen", "von vorne, von vorn, neu starten"
    ),
}
YES = phrase_list(
    "yes, yeah, yep, yup, y, sure, correct, indeed, of course, definitely, absolutely",
    "ja, jawel, jazeker, zeker, klopt, jep, jup",
    "jawohl, genau, klar, natürlich, stimmt",
)
NO = phrase_list(
    "no, nope, nah, none, not really, not yet, not at the moment, not right now, not currently, not for now, "
    "nothing yet",
    "nee, neen, nog niet, niet echt, eigenlijk niet, op dit moment niet, momenteel niet, voorlopig niet, "
    "nog niets, nog niks",
    "nein, nö, noch nicht, nicht wirklich, eigentlich nicht, momentan nicht, derzeit nicht, zurzeit nicht, "
    "im moment nicht, aktuell nicht, vorerst nicht",
)
UNKNOWN = phrase_list(
    "not sure, unsure, don't know, dont know, do not know, don't know yet, no idea, no clue, unknown, idk, "
    "dunno, unclear, tbd",
    "weet ik niet, weet ik nog niet, weet niet, weet het niet, geen idee, onbekend, niet zeker, onduidelijk",
    "keine ahnung, weiß nicht, weiss nicht, weiß ich nicht, weiss ich nicht, weiß es nicht, weiss es nicht, "
    "weiß ich noch nicht, unklar, unbekannt, nicht sicher, unsicher",
)
# A guess, or a yes or no the rep does not stand behind ("I don't think so"): asked back, not taken.
HEDGE = phrase_list(
    "maybe, perhaps, possibly, depends, probably, likely, hopefully, i think so, i guess so, i believe so, "
    "think so, i don't think so, i dont think so, don't think so, i doubt it, probably not",
    "misschien, wellicht, hangt ervan af, waarschijnlijk, hopelijk, denk het wel, denk het niet, "
    "ik denk het wel, ik denk het niet, ik denk van wel, ik denk van niet, volgens mij wel, volgens mij niet",
    "vielleicht, eventuell, kommt darauf an, wahrscheinlich, hoffentlich, glaube schon, glaube nicht, "
    "ich glaube schon, ich glaube nicht, ich denke schon, ich denke nicht, eher nicht",
)

BUDGET_WORDS = phrase_list("budget, budgets, money, funds, funding", "begroting, geld", "etat, mittel")
BUDGET_TOPIC = phrase_list(
    "budget, budgets, funding", "begroting", "etat"
)  # "money"/"Geld" come up in needs too
BUDGET_YES = phrase_list(
    "approved, allocated, available, budgeted, have, has, there is, set aside, set money aside, "
    "put money aside, earmarked, reserved, secured, ring-fenced, in place",
    "goedgekeurd, beschikbaar, begroot, hebben, heeft, er is, gereserveerd, vrijgemaakt, geoormerkt, "
    "ingepland, opzij gezet",
    "genehmigt, freigegeben, bewilligt, vorhanden, budgetiert, haben, hat, es gibt, gibt es, eingeplant, "
    "reserviert, zurückgelegt, gesichert, ist da, sind da",
)
# Not there, or still waiting for approval: "no" for now, and the bot asks when it comes.
BUDGET_NO = phrase_list(
    "not approved, not budgeted, don't have, dont have, do not have, doesn't have, does not have, "
    "haven't got, hasn't got, hasn't been approved, has not been approved, haven't been approved, "
    "have not been approved, isn't approved, not approved yet, pending approval, awaiting approval, "
    "waiting for approval, waiting on approval, still needs approval, needs to be approved",
    "niet goedgekeurd, niet begroot, nog niet goedgekeurd, wacht op goedkeuring, wacht nog op goedkeuring, "
    "wachten op goedkeuring, wachten nog op goedkeuring, moet nog goedgekeurd worden, "
    "moet nog worden goedgekeurd",
    "nicht genehmigt, nicht freigegeben, nicht budgetiert, noch nicht freigegeben, noch nicht genehmigt, "
    "muss noch freigegeben werden, muss noch genehmigt werden, wartet auf freigabe, warten auf freigabe, "
    "wartet noch auf freigabe, nicht vorhanden",
)
# A budget that exists but is small says nothing we can score: the bot asks for a number.
TIGHT = phrase_list("tight, limited, small, modest", "krap, beperkt, klein", "knapp, begrenzt, klein")
NEGATOR = phrase_list("no, zero", "geen, nul", "kein, keine, keinen, null")
# Words before a period that make it the day a budget comes ("geen budget tot Q3").
AVAIL = phrase_list(
    "until, till, not before, only from, only in, from, starting",
    "tot, pas in, pas vanaf, pas, vanaf, niet voor",
    "bis, erst ab, erst im, erst in, erst, ab, nicht vor",
)
UP_TO = phrase_list(
    "up to, max, max., maximum, at most", "tot, maximaal, hooguit", "bis zu, höchstens, maximal"
)
AT_LEAST = phrase_list("at least, min, min., minimum", "minstens, ten minste", "mindestens")
RANGE_JOIN = r"\s*(?:-|–|—|to|tot|bis|and|en|und)\s*"
OR_JOIN = r"\s*(?:or|of|oder)(?:\s+(?:maybe|misschien|vielleicht))?\s*"

# Roles: departments and bodies are stored under one English name, acronyms upper case,
# job titles in the rep's own language ("directeur", "Geschäftsführer").
ROLE_NAMES = {
    "procurement": "procurement, purchasing, inkoop, einkauf, beschaffung",
    "finance": "finance, finance team, financiën, finanzabteilung, finanzen",
    "legal": "legal, juridische zaken, rechtsabteilung",
    "board": "board, raad van bestuur, bestuur, vorstand, aufsichtsrat",
    "committee": "committee, steering committee, commissie, stuurgroep, ausschuss, gremium, "
    "lenkungsausschuss",
    "management": "management, management team, senior management, directie, geschäftsleitung, "
    "geschäftsführung, chefetage, führungsetage",
    "owner": "owner, eigenaar, inhaber, eigentümer",
    "founder": "founder, oprichter, gründer",
    "headquarters": "headquarters, head office, hq, parent company, hoofdkantoor, moederbedrijf, "
    "zentrale, konzern",
    "IT": "it department, it-afdeling, it-abteilung",
    **{
        title: title.lower()
        for title in phrase_list(
            "CEO, CFO, CTO, COO, CIO, CMO, CRO, CPO, VP, director, managing director, manager, boss, "
            "line manager, supervisor, superior",
            "directeur, algemeen directeur, baas, leidinggevende",
            "Geschäftsführer, Geschäftsführerin, Direktor, Chef, Vorgesetzte",
        )
    },
    "Vorgesetzter": "vorgesetzter, vorgesetzten",  # "muss seinen Vorgesetzten fragen"
}
ROLES = {phrase: name for name, phrases in ROLE_NAMES.items() for phrase in phrase_list(phrases)}
# Someone above the contact, or not the contact, with no name or title: needs approval, and
# the bot asks who signs.
ABOVE = phrase_list(
    "higher up, higher-ups, from above, up the chain, upstairs, someone above, somebody above, someone else, "
    "somebody else, above her, above him, above them, above her pay grade, above his pay grade",
    "hogerop, van hogerhand, van bovenaf, iemand boven, iemand anders, boven haar, boven hem",
    "weiter oben, von oben, höhere ebene, höheren ebene, jemand anderes, jemand anders, jemand über",
)
# The contact: when one of these decides, the contact is the decision maker.
CONTACT = phrase_list(
    "she, he, they, i, our contact, the contact, my contact, contact",
    "zij, ze, hij, ik, onze contactpersoon, de contactpersoon, contactpersoon",
    "sie, er, ich, unser ansprechpartner, unsere ansprechpartnerin, der ansprechpartner, "
    "die ansprechpartnerin, ansprechpartner, ansprechpartnerin, unsere ansprechperson, "
    "die ansprechperson, ansprechperson, unsere kontaktperson, die kontaktperson, kontaktperson",
)
DECIDE = phrase_list(
    "decides, decide, signs, sign, signs off, approves, makes the call, makes the decision, "
    "has the final say, calls the shots",
    "beslist, beslissen, beslis, tekent, tekenen, teken, keurt goed, heeft het laatste woord, "
    "neemt de beslissing",
    "entscheidet, entscheiden, entscheide, unterschreibt, unterschreiben, "
    "unterschreibe, hat das letzte wort, trifft die entscheidung",
)
FILLER = phrase_list(
    "can, will, alone, also, ultimately, finally, does, herself, himself",
    "kan, zal, alleen, ook, uiteindelijk, zelf",
    "kann, wird, allein, auch, letztlich, selbst",
)
DM_NOUN = phrase_list(
    "decision maker, decision-maker, decisionmaker, dm, budget holder, economic buyer, signatory",
    "beslisser, beslissingsnemer, besluitvormer, tekenbevoegd",
    "entscheider, entscheiderin, entscheidungsträger, entscheidungsträgerin, zeichnungsberechtigt",
)
APPROVAL = phrase_list(
    "sign-off, sign off from, signoff, approval",
    "goedkeuring, akkoord, toestemming",
    "freigabe, genehmigung, zustimmung",
)
NEEDS_OTHER = phrase_list(
    "needs, requires, must, has to, check with", "moet, nodig, overleggen", "muss, braucht, abstimmen"
)
THINK = phrase_list(
    "think, guess, believe, probably", "denk, waarschijnlijk", "denke, glaube, wahrscheinlich"
)
SHARED = phrase_list("together, jointly", "samen, gezamenlijk", "gemeinsam, zusammen")
ARTICLES = (
    r"^(?:the|our|their|his|her|de|het|hun|onze|zijn|haar|der|die|das|dem|den|unser|unsere|ihr|ihre)\s+"
)

NEED_SIGNAL = phrase_list(
    "need, needs, want, wants, looking to, looking for, have to, must, replace, cut, reduce, automate, "
    "improve, fix, solve, problem, pain, struggle, struggling, goal, migrate, switch, save, increase, "
    "speed up, get rid of, integrate, consolidate, streamline, mess, chaos, manual, too slow, suffer",
    "willen, wil, nodig, moeten, moet, vervangen, automatiseren, verbeteren, verminderen, verlagen, "
    "halveren, probleem, doel, overstappen, besparen, versnellen, oplossen, zoeken, handmatig, last van",
    "brauchen, braucht, benötigen, wollen, möchten, müssen, ersetzen, ablösen, automatisieren, "
    "verbessern, reduzieren, senken, halbieren, ziel, wechseln, sparen, beschleunigen, lösen, suchen, "
    "manuell, leiden unter, kämpfen mit",
)
VAGUE_NEED = phrase_list(
    "just looking, just browsing, browsing, exploring, curious, nothing specific, general interest, "
    "looking around",
    "rondkijken, kijken rond, oriënteren, orienteren, even kijken, nieuwsgierig, niets specifieks",
    "umschauen, schauen sich um, informieren sich, nur informieren, neugierig, mal schauen, nichts konkretes",
)

NO_RUSH = phrase_list(
    "no rush, no hurry, no deadline, no timeline, no timeframe, no time pressure, not urgent, whenever, "
    "no fixed date",
    "geen haast, geen deadline, geen tijdsdruk, niet dringend, geen termijn, geen datum",
    "keine eile, kein zeitdruck, keine deadline, nicht dringend, eilt nicht, kein termin, kein datum",
)
ASAP = phrase_list(
    "asap, a.s.a.p., as soon as possible, immediately, right away, urgent",
    "zsm, z.s.m., zo snel mogelijk, zo spoedig mogelijk",
    "so schnell wie möglich, schnellstmöglich, sofort, dringend",
)
VAGUE_TIME = phrase_list(
    "soon, later, sometime, someday, eventually, spring, summer, autumn, winter",
    "binnenkort, snel, ooit, spoedig, voorjaar, lente, zomer, najaar, herfst",
    "bald, irgendwann, demnächst, frühjahr, frühling, sommer, herbst",
)
FEW = phrase_list("few, couple, couple of, several", "paar, enkele, meerdere", "einige, mehrere")
# Dots that end an abbreviation, not a sentence.
ABBREVIATIONS = phrase_list(
    "approx, etc, max, min, nr", "ca, ong, ongev, mln, o.a, resp", "bzw, ggf, evtl, mio, tsd, mrd, z.b"
)


def alternation(words) -> str:
    """Regex alternation of whole words/phrases, longest first."""
    parts = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")"


def words_rx(words, before: str = r"(?<!\w)", after: str = r"(?!\w)") -> re.Pattern:
    return re.compile(before + alternation(words) + after, re.I)


YES_RX, NO_RX, UNKNOWN_RX, HEDGE_RX = words_rx(YES), words_rx(NO), words_rx(UNKNOWN), words_rx(HEDGE)
TIGHT_RX, ABOVE_RX = words_rx(TIGHT), words_rx(ABOVE)
NOT_THEIRS_RX = (
    re.compile(  # "not her call", "niet zijn beslissing", "nicht ihre Entscheidung", "not up to him"
        r"(?<!\w)(?:(?:not|niet|nicht)\s+(?:her|his|their|my|haar|zijn|hun|mijn|ihre|seine|meine|ihr|sein)\s+"
        r"(?:call|decision|choice|beslissing|besluit|keuze|entscheidung|sache)"
        r"|(?:not|niet)\s+(?:up\s+to|aan)\s+(?:her|him|them|me|haar|hem|hen|mij))(?!\w)",
        re.I,
    )
)
BUDGET_WORD_RX, BUDGET_TOPIC_RX, BUDGET_YES_RX = (
    words_rx(BUDGET_WORDS),
    words_rx(BUDGET_TOPIC),
    words_rx(BUDGET_YES),
)
BUDGET_NO_RX = re.compile(  # "no budget", "kein echtes Budget", "not approved"
    rf"(?<!\w)(?:{alternation(NEGATOR)}\s+(?:\w+\s+)?{alternation(BUDGET_WORDS)}|{alternation(BUDGET_NO)})(?!\w)",
    re.I,
)
AVAIL_BEFORE_RX = words_rx(  # "until after the summer", "from na de zomer" (a follow-up's reply)
    AVAIL, after=r"\s+(?:(?:after|na|nach)\s+)?(?:the\s+|het\s+|dem\s+|im\s+|in\s+)?$"
)
UP_TO_RX, AT_LEAST_RX = words_rx(UP_TO, after=r"\s*$"), words_rx(AT_LEAST, after=r"\s*$")
ROLE_RX, DECIDE_RX, DM_NOUN_RX, APPROVAL_RX = (
    words_rx(ROLES),
    words_rx(DECIDE),
    words_rx(DM_NOUN),
    words_rx(APPROVAL),
)
NEEDS_OTHER_RX, SHARED_RX, THINK_RX = words_rx(NEEDS_OTHER + APPROVAL), words_rx(SHARED), words_rx(THINK)
_FILL = rf"(?:{alternation(FILLER)}\s+){{0,2}}"
CONTACT_DECIDES_RX = re.compile(
    rf"(?<!\w){alternation(CONTACT)}\s+{_FILL}{alternation(DECIDE)}(?!\w)"  # "she decides", "hij tekent zelf"
    rf"|(?<!\w){alternation(DECIDE)}\s+(?:zij|ze|hij|sie|er|ik|ich)(?!\w)"  # "das entscheidet er"
    rf"|(?<!\w){alternation(CONTACT)}\s+(?:is|are|am|ist|bin|zijn|sind)\s+(?:(?:the|de|der|die|a|een|ein|eine|final)\s+)*"
    rf"{alternation(DM_NOUN)}(?!\w)",
    re.I,
)
CONTACT_AND_RX = words_rx(CONTACT, after=r"\s+(?:and|en|und)\s")
OTHER_DECIDES_RX = re.compile(
    rf"([^\W\d_][\w'.-]*(?:\s+[\w'.-]+){{0,2}})\s+{_FILL}{alternation(DECIDE)}(?!\w)", re.I
)
APPROVAL_FROM_RX = words_rx(
    APPROVAL, before="", after=r"\s+(?:from|by|of|van|door|von|vom|durch)\s+([\w'.-]+(?:\s+[\w'.-]+){0,2})"
)
OR_RX = re.compile(r"(?<!\w)(?:or|of|oder)(?!\w)", re.I)
NEED_SIGNAL_RX, VAGUE_NEED_RX = words_rx(NEED_SIGNAL), words_rx(VAGUE_NEED)
NO_RUSH_RX, ASAP_RX, VAGUE_TIME_RX = words_rx(NO_RUSH), words_rx(ASAP), words_rx(VAGUE_TIME)
COUNTED_RX = re.compile(r"\s+(?!(?:and|en|und|to|tot|bis|or|of|oder)(?!\w))[^\W\d_]", re.I)  # "5 users"
AMOUNT_RX = re.compile(  # what domain.amounts.parse_amount can read, found inside a sentence
    r"(?<![\w.,])(?:(?P<pre>€|\$|£|¥|eur|usd|gbp|chf)\s?)?(?P<num>\d(?:[\d']|[.,](?=\d)|\s(?=\d{3}(?!\d)))*)"
    rf"(?:\s?(?P<mult>{alternation(MULTIPLIERS)})(?![^\W\d_]))?"
    r"(?:\s?(?P<post>€|\$|£|eur|usd|gbp|chf|euros?|dollars?|pounds?|sek|nok|dkk|pln)(?![^\W\d_]))?",
    re.I,
)
