"""The import's pure parts, from tables: which header is which field, what a date column's values
say about its order, where a source stage lands, and the quoting of formula-like cells."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.importing.cells import guard, unguard
from domain.importing.columns import map_columns
from domain.importing.dates import DMY, MDY, DateEvidence, Unreadable, parse_moment
from domain.importing.values import land_stages, status_of
from domain.stages import DEFAULT_STAGES, StageRef

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Betrag", "Phase", "Abschlussdatum", "Deal-Name"],
            {"amount": "Betrag", "stage": "Phase", "close_date": "Abschlussdatum", "name": "Deal-Name"},
        ),
        (
            ["Dealnaam", "Bedrag", "Dealfase", "Sluitingsdatum", "Eigenaar van deal", "Record-ID"],
            {
                "name": "Dealnaam",
                "amount": "Bedrag",
                "stage": "Dealfase",
                "close_date": "Sluitingsdatum",
                "owner": "Eigenaar van deal",
                "source_id": "Record-ID",
            },
        ),
        (
            ["Deal - Title", "Deal - Organization", "Deal - Status", "Deal - Lost reason", "Deal - Owner"],
            {
                "name": "Deal - Title",
                "company": "Deal - Organization",
                "status": "Deal - Status",
                "lost_reason": "Deal - Lost reason",
                "owner": "Deal - Owner",
            },
        ),
        (
            ["Opportunity Name", "Opportunity Owner", "Created Date", "Won", "Closed", "Opportunity ID"],
            {
                "name": "Opportunity Name",
                "owner": "Opportunity Owner",
                "created_at": "Created Date",
                "won": "Won",
                "closed": "Closed",
                "source_id": "Opportunity ID",
            },
        ),
    ],
)
def test_headers_of_each_crm_and_language_find_their_fields(headers, expected):
    assert map_columns(headers) == expected


@pytest.mark.parametrize(
    ("values", "chosen", "expected"),
    [
        (["20/10/2016", "3/1/2017"], None, (DMY, None)),
        (["10/20/2016", "3/1/2017"], None, (MDY, None)),
        (["3/1/2017", "4/2/2017"], None, (None, "ambiguous")),
        (["3/1/2017", "4/2/2017"], MDY, (MDY, None)),
        (["10/20/2016", "20/10/2016"], MDY, (None, "mixed")),
        (["5/5/2020"], None, (DMY, None)),  # reads the same both ways
        (["2016-10-20", "15 Dec 2026"], None, (DMY, None)),
    ],
)
def test_a_date_columns_order_is_decided_from_its_values(values, chosen, expected):
    evidence = DateEvidence()
    for value in values:
        evidence.see(value)
    assert evidence.order(chosen) == expected


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("3/1/2017", MDY, datetime(2017, 3, 1, tzinfo=AMSTERDAM)),
        ("3/1/2017", DMY, datetime(2017, 1, 3, tzinfo=AMSTERDAM)),
        ("20.10.2016 14:05", DMY, datetime(2016, 10, 20, 14, 5, tzinfo=AMSTERDAM)),
        ("10/20/2016 2:05 PM", MDY, datetime(2016, 10, 20, 14, 5, tzinfo=AMSTERDAM)),
        ("2026-06-10T12:30:00Z", DMY, datetime(2026, 6, 10, 12, 30, tzinfo=UTC)),
        ("2026-06-10 14:30:00", DMY, datetime(2026, 6, 10, 14, 30, tzinfo=AMSTERDAM)),
        ("15 Dec 2026", MDY, datetime(2026, 12, 15, tzinfo=AMSTERDAM)),
    ],
)
def test_a_moment_is_read_in_its_columns_order_and_the_teams_timezone(text, order, expected):
    assert parse_moment(text, order, AMSTERDAM) == expected.astimezone(UTC)


@pytest.mark.parametrize("text", ["31/02/2026", "someday", "1/1/1850"])
def test_an_impossible_date_is_unreadable(text):
    with pytest.raises(Unreadable):
        parse_moment(text, DMY, AMSTERDAM)


def stages() -> list[StageRef]:
    return [StageRef(i + 1, key, name, kind) for i, (key, name, kind, *_) in enumerate(DEFAULT_STAGES)]


def test_stages_land_by_map_name_language_meaning_then_order():
    refs = stages()
    names = {s.id: ["Angebot"] for s in refs if s.key == "proposal"}
    found = land_stages(
        ["Proposal Made", "angebot", "Lead In", "Shipped", "Mystery", "Demo done"],
        refs,
        names,
        {"Demo done": "Negotiation", "Mystery": "No such stage"},
    )
    assert {k: (v.stage.key if v.stage else None, v.how) for k, v in found.items()} == {
        "Proposal Made": ("proposal", "synonym"),
        "angebot": ("proposal", "name"),
        "Lead In": ("prospecting", "synonym"),
        "Demo done": ("negotiation", "map"),
        "Mystery": (None, "none"),
        "Shipped": ("qualification", "order"),  # the first open stage not taken
    }


@pytest.mark.parametrize(
    ("status", "won", "closed", "expected"),
    [
        ("won", "", "", "won"),
        ("Verloren", "", "", "lost"),
        ("", "1", "1", "won"),
        ("", "0", "1", "lost"),
        ("", "false", "false", "open"),
        ("", "", "", None),
    ],
)
def test_status_columns_decide_won_and_lost(status, won, closed, expected):
    assert status_of(status, won, closed) == expected


@given(st.text())
def test_unguard_undoes_guard_and_a_guarded_cell_never_starts_like_a_formula(text):
    assert unguard(guard(text)) == text
    assert not guard(text).startswith(("=", "+", "-", "@", "\t", "\r"))
