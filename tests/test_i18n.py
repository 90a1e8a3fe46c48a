"""Numbers, money and dates per locale; plurals; parameters shown in the reader's language; default
stage names and lost reasons translated, a team's own names as written; a rep's language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from bot.i18n import Lazy, language_of, translator
from domain.amounts import parse_amount
from domain.errors import UserError
from domain.stages import DEFAULT_STAGES, StageRef, match_stage, reason_label, stage_label, stage_name
from services.users import Profile, speaks

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "lang, whole, cents, dollars",
    [
        ("en", "€50,000", "€50,000.50", "$1,200,000"),
        ("nl", f"€{NBSP}50.000", f"€{NBSP}50.000,50", f"US${NBSP}1.200.000"),
        ("de", f"50.000{NBSP}€", f"50.000,50{NBSP}€", f"1.200.000{NBSP}$"),
    ],
)
def test_money_is_written_the_locales_way(lang, whole, cents, dollars):
    _ = translator(lang)
    assert (_.money(5_000_000, "EUR"), _.money(5_000_050, "EUR"), _.money(120_000_000, "USD")) == (
        whole,
        cents,
        dollars,
    )
    assert _.money(None, "EUR") == "–"


@pytest.mark.parametrize(
    "lang, day, moment, percent, monday",
    [
        ("en", "Dec 15, 2026", "Nov 24, 2026, 10:05\u202fAM", "60%", "Monday"),
        ("nl", "15 dec 2026", "24 nov 2026, 10:05", "60%", "Maandag"),
        ("de", "15.12.2026", "24.11.2026, 10:05", f"60{NBSP}%", "Montag"),
    ],
)
def test_dates_times_percentages_and_weekdays(lang, day, moment, percent, monday):
    _ = translator(lang)
    assert _.date(date(2026, 12, 15)) == day
    assert _.datetime(datetime(2026, 11, 24, 10, 5, tzinfo=UTC)) == moment
    assert _.percent(0.6) == percent
    assert _.weekday(1) == monday


def test_what_is_written_in_each_locale_reads_back():
    """An amount as the bot writes it is an amount a rep may type back."""
    for lang in ("en", "nl", "de"):
        assert parse_amount(translator(lang).money(5_000_050, "EUR")).cents == 5_000_050


@pytest.mark.parametrize(
    "lang, one, many",
    [
        ("en", "1 day idle", "3 days idle"),
        ("nl", "1 dag stil", "3 dagen stil"),
        ("de", "seit 1 Tag inaktiv", "seit 3 Tagen inaktiv"),
    ],
)
def test_plurals(lang, one, many):
    _ = translator(lang)
    assert _.n("{count} day idle", "{count} days idle", 1) == one
    assert _.n("{count} day idle", "{count} days idle", 3) == many


def test_parameters_are_shown_in_the_readers_language():
    err = UserError(
        "Deal #{number} changed meanwhile: it is now in {stage}. I changed nothing.",
        number=4,
        stage=stage_name("proposal", "Proposal"),
    )
    assert (
        err.text(translator("nl"))
        == "Deal #4 is intussen gewijzigd: hij staat nu in de fase Voorstel. Ik heb niets veranderd."
    )
    assert "jetzt in der Phase Angebot" in err.text(translator("de"))
    assert "now in Proposal" in err.text(translator("en"))
    # A name the team chose is not a catalog message, in any language.
    assert stage_name("proposal", "Offerte") == "Offerte" and not isinstance(
        stage_name("proposal", "Offerte"), Lazy
    )
    past = UserError("{date} is in the past. Pick a day after today.", date=date(2026, 11, 20))
    assert past.text(translator("de")) == "20.11.2026 liegt in der Vergangenheit. Wähle einen Tag nach heute."
    assert past.text(translator("en")).startswith("Nov 20, 2026 is in the past")


def test_default_stage_names_are_translated_and_a_teams_own_are_not():
    nl = translator("nl")
    assert [stage_label(SimpleNamespace(key=k, name=n), nl) for k, n, *_ in DEFAULT_STAGES] == [
        "Prospectie",
        "Kwalificatie",
        "Eerste contact",
        "Behoefteanalyse",
        "Voorstel",
        "Onderhandeling",
        "Gewonnen",
        "Verloren",
    ]
    assert stage_label(SimpleNamespace(key="proposal", name="Quote sent"), nl) == "Quote sent"
    assert (
        stage_label(SimpleNamespace(key="legal_review", name="Proposal"), nl) == "Proposal"
    )  # a custom stage


def test_default_lost_reasons_are_translated_and_a_teams_own_are_not():
    de = translator("de")
    assert reason_label("no_budget", "No budget", de) == "Kein Budget"
    assert (
        reason_label("no_budget", "No budget — Budget frozen until Q3", de)
        == "Kein Budget — Budget frozen until Q3"
    )
    assert reason_label("chose_a_competitor", "Chose a competitor", de) == "Chose a competitor"
    assert reason_label("price", "Pricing", de) == "Pricing"  # renamed by the team
    assert reason_label(None, "They went with Excel", de) == "They went with Excel"


def test_stages_match_by_their_name_in_the_reps_language():
    stages = [StageRef(i, key, name, kind) for i, (key, name, kind, *_) in enumerate(DEFAULT_STAGES)]
    for lang, typed, key in [
        ("nl", "voorstel", "proposal"),
        ("nl", "onderh", "negotiation"),
        ("de", "Angebot", "proposal"),
        ("de", "bedarf", "needs_assessment"),
        ("nl", "proposal", "proposal"),
        ("de", "first contact", "first_contact"),
    ]:
        _ = translator(lang)
        shown = {s.id: stage_label(s, _) for s in stages}
        found = match_stage(typed, stages, shown).stage
        assert found is not None and found.key == key, (lang, typed)
    alias = match_stage("voorstel", stages).stage
    assert alias is not None and alias.key == "proposal"  # an alias in any language


@pytest.mark.parametrize(
    "profile, team, expected",
    [
        (dict(language="de", locale="nl-NL"), "en", "de"),  # their own choice first
        (dict(language=None, locale="nl-BE"), "de", "nl"),  # then their Slack locale
        (dict(language=None, locale="de-AT"), "en", "de"),
        (dict(language=None, locale="fr-FR"), "nl", "nl"),  # a language we do not speak: the team's
        (None, "de", "de"),  # Slack did not say: the team's
    ],
)
def test_a_users_language(profile, team, expected):
    found = (
        None
        if profile is None
        else Profile("T", "U", "u", "UTC", profile["locale"], profile["language"], False, False)
    )
    assert speaks(found, team) == expected


def test_slack_locales():
    assert [
        language_of(x) for x in ("nl-NL", "nl-BE", "de-DE", "de-AT", "de_CH", "en-GB", "fr-FR", None)
    ] == ["nl", "nl", "de", "de", "de", "en", None, None]
