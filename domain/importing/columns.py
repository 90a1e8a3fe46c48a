"""Which column of another tool's export holds which field.

The headers come from each CRM's own export, in English, Dutch and German: HubSpot's deal export,
Pipedrive's deal export (every column prefixed "Deal - "), Salesforce's opportunity report, Odoo's
CRM export (Leads/Opportunities), and our own `salesbot export`. They are compared folded: lower
case, punctuation as spaces, and the "Deal - " prefix dropped.
"""

from __future__ import annotations

import re

from bot.i18n import N_
from domain.errors import UserError

# field -> the headers that hold it, most specific first. The tests keep one fixture per CRM.
ALIASES: dict[str, list[str]] = {
    "source_id": [
        "source id",
        "record id",  # HubSpot
        "record-id",
        "datensatz id",
        "opportunity id",  # Salesforce
        "opportunity-id",
        "opportunity-id",
        "id",  # Pipedrive ("Deal - ID") and Odoo
        "external id",
    ],
    "number": ["number"],  # ours: the deal's #number
    "name": [
        "name",
        "deal",
        "deal name",  # HubSpot
        "dealnaam",
        "deal-name",
        "title",  # Pipedrive
        "titel",
        "deal title",
        "opportunity",  # Odoo
        "opportunity name",  # Salesforce
        "opportunity-name",
        "naam opportunity",
        "verkoopkans",
        "verkaufschance",
        "dealname",
        "naam",
    ],
    "company": [
        "company",
        "organization",  # Pipedrive
        "organisation",
        "organisatie",
        "associated company",  # HubSpot
        "associated company primary",
        "gekoppeld bedrijf",
        "zugeordnetes unternehmen",
        "account",
        "account name",  # Salesforce
        "accountname",
        "accountnaam",
        "customer",  # Odoo
        "klant",
        "kunde",
        "client",
        "company name",
        "organization name",
        "bedrijf",
        "unternehmen",
        "firma",
    ],
    "amount": [
        "amount",  # HubSpot, Salesforce
        "value",  # Pipedrive
        "bedrag",
        "betrag",
        "waarde",
        "wert",
        "expected revenue",  # Odoo
        "verwachte omzet",
        "erwarteter umsatz",
        "deal value",
        "deal amount",
        "revenue",
        "price",
    ],
    "currency": [
        "currency",
        "opportunity currency",
        "currency of value",
        "deal currency",
        "currency code",
        "valuta",
        "währung",
        "wahrung",
    ],
    "stage": [
        "stage",  # Pipedrive, Salesforce, Odoo, ours
        "deal stage",  # HubSpot
        "dealfase",
        "deal-phase",
        "dealphase",
        "fase",
        "phase",
        "pipeline stage",
        "dealstage",
    ],
    "status": ["status"],  # Pipedrive: open, won, lost, deleted
    "won": ["won", "gewonnen", "is won"],  # Salesforce's flags
    "closed": ["closed", "gesloten", "geschlossen", "is closed"],
    "close_date": [
        "close date",  # HubSpot, Salesforce, ours
        "close_date",
        "expected close date",  # Pipedrive
        "verwachte sluitingsdatum",
        "erwartetes abschlussdatum",
        "expected closing",  # Odoo
        "verwachte afsluiting",
        "erwarteter abschluss",
        "sluitingsdatum",
        "abschlussdatum",
        "schlusstermin",
        "expected close",
        "closedate",
    ],
    "created_at": [
        "created at",
        "create date",  # HubSpot
        "deal created",  # Pipedrive
        "created date",  # Salesforce
        "created on",  # Odoo
        "aanmaakdatum",
        "aangemaakt op",
        "deal aangemaakt",
        "erstellungsdatum",
        "erstelldatum",
        "erstellt am",
        "deal erstellt",
        "created",
    ],
    "closed_at": [
        "closed at",
        "deal closed on",  # Pipedrive
        "closed date",  # Odoo
        "gesloten op",
        "datum gesloten",
        "geschlossen am",
        "abschlussdatum tatsächlich",
    ],
    "won_at": ["won time", "gewonnen op", "gewonnen am", "won date"],  # Pipedrive
    "lost_at": ["lost time", "verloren op", "verloren am", "lost date"],
    "last_activity_at": [
        "last activity at",
        "last activity date",  # HubSpot, Pipedrive
        "last activity",  # Salesforce
        "update time",
        "last modified date",
        "last stage update",  # Odoo
        "laatste activiteit",
        "datum laatste activiteit",
        "letzte aktivität",
        "datum der letzten aktivität",
    ],
    "owner": [
        "owner_id",  # ours
        "owner",  # Pipedrive
        "deal owner",  # HubSpot
        "opportunity owner",  # Salesforce
        "salesperson",  # Odoo
        "eigenaar",
        "eigenaar van deal",
        "eigenaar opportunity",
        "verkoper",
        "besitzer",
        "inhaber",
        "deal inhaber",
        "dealinhaber",
        "opportunity inhaber",
        "vertriebsmitarbeiter",
        "verkäufer",
        "owner id",
        "owner slack id",
        "user id",
    ],
    "notes": [
        "notes",
        "note",
        "description",  # Salesforce, HubSpot "Deal Description"
        "deal description",
        "internal notes",  # Odoo
        "notities",
        "notitie",
        "beschrijving",
        "notizen",
        "beschreibung",
        "comments",
    ],
    "lost_reason": [
        "lost_reason",
        "lost reason",  # Pipedrive, Odoo
        "closed lost reason",  # HubSpot
        "loss reason",
        "reden verlies",
        "verloren reden",
        "reden van verlies",
        "verlustgrund",
        "grund für verlust",
    ],
}
# Fields a user may name with --map; the rest follow from them.
FIELDS = list(ALIASES)
PREFIXES = ("deal ", "opportunity ")  # Pipedrive's "Deal - Title", and the like


def fold(header: str) -> str:
    return re.sub(r"[^\w#]+", " ", header.lower().replace("_", " ")).strip()


def map_columns(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """field -> header. Overrides (field=header, from --map) win; the rest is found from ALIASES,
    first as written, then without a "Deal - " prefix."""
    found: dict[str, str] = {}
    folded: dict[str, str] = {}
    for header in headers:
        folded.setdefault(fold(header), header)
    for header in headers:
        key = fold(header)
        for prefix in PREFIXES:
            if key.startswith(prefix):
                folded.setdefault(key[len(prefix) :], header)
    for name, header in (overrides or {}).items():
        if name not in ALIASES:
            raise UserError(
                N_("There is no field `{name}` to map. Fields: {fields}."),
                name=name,
                fields=", ".join(FIELDS),
            )
        if header not in headers:
            raise UserError(N_("The file has no column `{column}`."), column=header)
        found[name] = header
    taken = set(found.values())
    for name, aliases in ALIASES.items():
        if name in found:
            continue
        for alias in aliases:
            match = folded.get(fold(alias))
            if match is not None and match not in taken:
                found[name] = match
                taken.add(match)
                break
    if "name" not in found:
        raise UserError(N_("No column holds the deal's name. Map one with --map name=<column>."))
    return found
