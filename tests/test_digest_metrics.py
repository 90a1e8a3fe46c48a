"""The digest's numbers against a pipeline worked out by hand (on SQLite and PostgreSQL).

Every expected value below is a literal with its arithmetic in a comment; none is recomputed with
the code under test. Stages are the defaults: Prospecting (P, 10 %, stalls after 7 days),
Qualification (Q, 20 %, 5), First contact (F, 30 %, 7), Needs assessment (N, 40 %, 10),
Proposal (Pr, 60 %, 14), Negotiation (Ne, 80 %, 10), Won (W), Lost (L).

The digest is for the week ending E = Monday 2026-11-30 09:00 Amsterdam = 08:00 UTC:
the week is [S, E) with S = E - 7 days; the rates' window is [2026-09-01 07:00 UTC, E)
(90 days earlier on the Amsterdam wall clock, in summer time). Dn means E - n days.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from sqlmodel import select

from bot.i18n import translator
from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import Deal, saved_id
from services import digest
from tests.digest_pipeline import TEAM, D, E, load
from tests.helpers import text_of
from views.digest import digest_message

# BANT qualifications: deal number -> the status of each question asked ("skipped" is not an answer).
QUALIFIED = {
    1: {"budget": "yes", "authority": "decision_maker", "need": "clear", "timeline": "date"},  # complete
    2: {"budget": "yes", "authority": "skipped", "need": "clear", "timeline": "date"},  # a skip: incomplete
    3: {"budget": "yes", "authority": "decision_maker", "need": "clear", "timeline": "date"},  # still in Q
    7: {"budget": "unknown", "authority": "unknown", "need": "vague"},  # three of four
}


def qualify(db, numbers=QUALIFIED, team_id=TEAM):
    with db.write() as s:
        for number, answers in numbers.items():
            deal = s.exec(select(Deal).where(Deal.team_id == team_id, Deal.number == number)).one()
            qual = Qualification(
                team_id=team_id,
                deal_id=deal.id,
                deal_number=number,
                owner_id=deal.owner_id,
                status="done",
                started_by=deal.owner_id,
                started_at=D(5),
                updated_at=D(5),
            )
            s.add(qual)
            s.flush()
            for question, status in answers.items():
                s.add(
                    QualificationAnswer(
                        team_id=team_id,
                        qualification_id=saved_id(qual),
                        question=question,
                        status=status,
                        answered_by=deal.owner_id,
                        answered_at=D(5),
                    )
                )


def test_the_hand_computed_digest(db):
    by_key = load(db)
    qualify(db)
    c = digest.compute(db, TEAM, E)
    d = c.digest
    key_of = {st.id: st.key for st in by_key.values()}

    # Open just before E: #1 N (its move at E+2d is later), #2 Pr, #3 Q, #6 Q (its move at E is not
    # before E), #7 F (no amount), #10 Ne (reopened), #11 P. #14 is created after E.
    assert d.headline.count == 7
    assert d.headline.value == {"EUR": 7_900_000}  # 10,000 + 20,000 + 5,000 + 12,000 + 0 + 25,000 + 7,000
    # P 10% × 7,000 = 700; Q 20% × 17,000 = 3,400; F 30% × 0; N 40% × 10,000 = 4,000;
    # Pr 60% × 20,000 = 12,000; Ne 80% × 25,000 = 20,000 -> 40,100
    assert d.headline.weighted == {"EUR": 4_010_000}
    # Open just before S = D7: #1 F, #2 Ne, #3 Q, #4 Pr, #5 Q (USD), #7 F, #9 Q, #13 P.
    # Not #6 (created D6), #11 (created at S, so not before it), #10 (won at D26, reopened D3), #8/#12 (won).
    assert d.headline.count_before == 8
    assert d.headline.value_before == {"EUR": 8_300_000, "USD": 800_000}  # 10+20+5+30+15+3 thousand; 8,000
    # EUR: P 10%×3,000 = 300; Q 20%×(5,000+15,000) = 4,000; F 30%×10,000 = 3,000; Pr 60%×30,000 = 18,000;
    # Ne 80%×20,000 = 16,000 -> 41,300. USD: Q 20% × 8,000 = 1,600.
    assert d.headline.weighted_before == {"EUR": 4_130_000, "USD": 160_000}
    assert d.headline.delta_count == -1  # 7 - 8
    assert d.headline.delta_value == {"EUR": -400_000, "USD": -800_000}  # 79,000 - 83,000; 0 - 8,000
    assert d.headline.delta_weighted == {"EUR": -120_000, "USD": -160_000}  # 40,100 - 41,300; 0 - 1,600

    stage_rows = {key_of[line.stage.id]: line for line in d.stages}
    assert [key_of[line.stage.id] for line in d.stages] == [
        "prospecting",
        "qualification",
        "first_contact",
        "needs_assessment",
        "proposal",
        "negotiation",
    ]
    expected = {  # count, value, average days in the stage (from the last entry), stalled
        "prospecting": (
            1,
            {"EUR": 700_000},
            Fraction(7),
            0,
        ),  # #11 entered D7; idle exactly 7 days is not past 7
        "qualification": (
            2,
            {"EUR": 1_700_000},
            Fraction(51, 2),
            1,
        ),  # #3 50 days, #6 1 day: 51/2; #3 idle 50 > 5
        "first_contact": (1, {"EUR": 0}, Fraction(25), 1),  # #7 back into F at D25, idle 25 > 7
        "needs_assessment": (
            1,
            {"EUR": 1_000_000},
            Fraction(3),
            0,
        ),  # #1 entered D3; active after E: not stalled
        "proposal": (1, {"EUR": 2_000_000}, Fraction(5), 0),  # #2 moved back at D5
        "negotiation": (1, {"EUR": 2_500_000}, Fraction(3), 0),  # #10 reopened D3
    }
    for key, (count, value, age, stalled) in expected.items():
        line = stage_rows[key]
        assert (line.count, line.value, line.avg_age_days, line.stalled) == (count, value, age, stalled), key
    assert stage_rows["negotiation"].weighted == {"EUR": 2_000_000}  # 80% × 25,000

    w = d.week
    assert (w.new_count, w.new_value) == (2, {"EUR": 1_900_000})  # #6 (D6) 12,000 + #11 (at S) 7,000
    # #1 F->N and #6 P->Q forward; #2 Ne->Pr back; #10 W->Ne reopened; #6 Q->F at E is next week's.
    assert (w.advanced, w.moved_back, w.reopened) == (2, 1, 1)
    assert (w.won_count, w.won_value) == (1, {"EUR": 3_000_000})  # #4 at D2
    # #5 USD 8,000 (price), #9 EUR 15,000 (competitor), #13 EUR 3,000 (price)
    assert (w.lost_count, w.lost_value) == (3, {"EUR": 1_800_000, "USD": 800_000})
    assert [(r.key, r.count) for r in w.reasons] == [("price", 2), ("competitor", 1)]
    # Open with a close date before 2026-11-30: #2 (11-25), #3 (10-31), #7 (11-29, no amount);
    # #11 closes on 11-30 itself: not slipped. Of them, on or after 11-23: #2 and #7.
    assert (w.slipped_count, w.slipped_value, w.slipped_this_week) == (3, {"EUR": 2_500_000}, 2)

    r = d.rates
    assert r.days == 90
    conversions = {key_of[cv.stage.id]: (cv.moved_on, cv.entered) for cv in r.conversions}
    assert conversions == {
        # Entered P in the window: #2 #3 #4 #5 #6 #9 #10 #11 #13 (#1, #8 before it; #7 created in Pr).
        # Moved beyond: all but #11 (still there) and #13 (lost) -> 7 of 9.
        "prospecting": (7, 9),
        # Entered Q: #1 #3 #5 #6 #9. Beyond: #1 (F), #5 (N after its first entry) -> 2 of 5;
        # #6's move at E is not before E.
        "qualification": (2, 5),
        "first_contact": (2, 3),  # #1 #4 #7 entered; #1 (N) and #4 (Pr) moved on; #7 did not
        "needs_assessment": (0, 2),  # #1 (moves on only at E+2d), #5 (went back to Q, then lost)
        "proposal": (1, 3),  # #2 #4 #7 entered; only #4 (won) went beyond; #7 moved back
        "negotiation": (1, 2),  # #2 (moved back) and #10 (won at D26)
    }
    # Last close per deal in the window: won #4 (D2), #8 (D20), #10 (D26), #12 (D10); lost #5, #9, #13.
    assert (r.won, r.lost, r.win_rate) == (4, 3, Fraction(4, 7))
    # EUR: (30,000 + 25,000 + 9,000) / 3 = 21,333.33...; USD: 40,000 / 1
    assert r.avg_won == {"EUR": 2_133_333, "USD": 4_000_000}
    # Days from creation to won: #4 50-2 = 48, #8 120-20 = 100, #10 30-26 = 4, #12 0 -> 152 / 4 = 38
    assert r.avg_cycle_days == Fraction(38)
    # EUR: 7 open EUR deals × 64,000/3 × 4/7 × 30 / 38 = 2,560,000 / 38 = 67,368.421 -> 67,368.42.
    # USD: no open USD deal, so no velocity.
    assert r.velocity == {"EUR": 6_736_842}

    reps = [(x.owner_id, x.open_count, x.open_value, x.won_count, x.won_value, x.stalled) for x in d.reps]
    assert reps == [
        ("UALICE", 4, {"EUR": 3_700_000}, 0, {}, 1),  # #1 10,000 + #2 20,000 + #7 0 + #11 7,000; #7 stalled
        (
            "UBOB",
            3,
            {"EUR": 4_200_000},
            1,
            {"EUR": 3_000_000},
            1,
        ),  # #3 5,000 + #6 12,000 + #10 25,000; #4; #3
    ]
    assert d.stalled_count == 2
    assert [(s.number, s.idle_days, s.owner_id) for s in d.stalled_top] == [
        (3, 50, "UBOB"),
        (7, 25, "UALICE"),
    ]
    # Open now and past Qualification: #1 Pr, #2 Pr, #6 F, #7 F, #10 Ne (#3 is in Q; #11, #14 in P).
    # Complete among them: #1 only (#2 skipped one, #7 answered three) -> 1 of 5.
    assert d.coverage == Fraction(1, 5)
    assert d.currencies == ["EUR", "USD"]

    # And as the manager reads it.
    _ = translator("en")
    text = text_of(digest_message(c, _)["blocks"])
    for shown in (
        "7 deals · €79,000",
        "€40,100",
        "-1 deals · -€4,000 -$8,000",
        "Win rate: 57% (4 won, 3 lost)",
        "Average won deal: €21,333.33 + $40,000",
        "Average sales cycle: 38.0 days",
        "Sales velocity: €67,368.42 per 30 days",
        "Qualification* (20%) — 2 deals · €17,000 · 25.5 days in stage on average · 1 stalled",
        "top reasons: Price (2), Lost to a competitor (1)",
        "Slipped close dates: 3 open deals",
        "Prospecting → a later stage: 78% (7 of 9)",
        "BANT qualification coverage (open deals past Qualification): 20%",
        "no exchange rates",
    ):
        assert shown in text, shown


def test_a_week_later_the_same_history_gives_the_next_digest(db):
    """Nothing is stored between digests: the week after is computed from the same history."""
    load(db)
    d = digest.compute(db, TEAM, E + timedelta(days=7)).digest
    # Just before E+7d: #1 Pr (moved at E+2d), #2 Pr, #3 Q, #6 F (moved at E), #7 F, #10 Ne, #11 P, #14 P
    assert d.headline.count == 8
    # 10,000 + 20,000 + 5,000 + 12,000 + 0 + 25,000 + 7,000 + 50,000
    assert d.headline.value == {"EUR": 12_900_000}
    assert d.headline.count_before == 7  # last week's "now"
    assert d.week.new_count == 1  # #14
    assert (d.week.advanced, d.week.moved_back, d.week.reopened) == (2, 0, 0)  # #6 Q->F at E, #1 N->Pr
