"""Stage hygiene from a table of stage moves worked out by hand, and on the hand-computed team of
tests/test_insights.py through the database."""

from __future__ import annotations

from fractions import Fraction

from domain.bottlenecks import Exit
from domain.metrics import StageInfo
from domain.stage_hygiene import hygiene

P, Q, F, PR, W, L = (
    StageInfo(1, "prospecting", "Prospecting", 0, "open", 10, 7),
    StageInfo(2, "qualification", "Qualification", 1, "open", 20, 5),
    StageInfo(3, "first_contact", "First contact", 2, "open", 30, 7),
    StageInfo(4, "proposal", "Proposal", 3, "open", 60, 14),
    StageInfo(5, "won", "Won", 6, "won", 100, None),
    StageInfo(6, "lost", "Lost", 7, "lost", 0, None),
)
STAGES = [P, Q, F, PR, W, L]


def test_no_moves_suggest_nothing():
    assert not any(h.suggested for h in hygiene(STAGES, []))


def test_skipped_quick_and_backwards_stages_are_suggested():
    exits = [
        Exit(P.id, PR.id, 2, False, 5),  # five deals skip Qualification and First contact
        Exit(P.id, Q.id, 1, False, 1),  # one enters Qualification ...
        Exit(Q.id, F.id, 0, True, 1),  # ... leaves it the same day ...
        Exit(F.id, P.id, 3, True, 1),  # ... and goes back from First contact
        Exit(PR.id, W.id, 0, True, 4),  # Proposal: five leave within a day
        Exit(PR.id, L.id, 0, True, 1),
    ]
    found = {h.stage.key: h for h in hygiene(STAGES, exits)}
    q, f, pr = found["qualification"], found["first_contact"], found["proposal"]
    # Qualification: 6 moved past it from Prospecting, 5 of them over it; 1 exit (too few to judge).
    assert (q.passed, q.skipped, q.skip_share, q.exits, q.quick_share) == (6, 5, Fraction(5, 6), 1, None)
    # First contact: 5 skips + 1 entry from Qualification; 1 exit, backwards.
    assert (f.passed, f.skipped, f.exits, f.backwards, f.back_share) == (6, 5, 1, 1, None)
    # Proposal: entered by all 5 from Prospecting (skipped by none); 5 exits, all the same day.
    assert (pr.passed, pr.skipped, pr.skip_share, pr.quick_share) == (5, 0, 0, 1)
    assert [h.stage.key for h in found.values() if h.suggested] == [
        "qualification",
        "first_contact",
        "proposal",
    ]
    assert not found["prospecting"].suggested
