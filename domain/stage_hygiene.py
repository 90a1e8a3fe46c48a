"""Stage hygiene: stages that most deals skip, pass through in under a day, or leave backwards,
suggested as candidates to merge or rename. Pure: the exits of domain/bottlenecks.py, over this
period and the trailing window together (docs/metrics.md, "Stage hygiene")."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from domain.bottlenecks import Exit
from domain.metrics import OPEN, WON, StageInfo, ratio

MIN_MOVES = 5  # fewer moves than this say nothing
SKIPPED, QUICK, BACKWARDS = Fraction(1, 2), Fraction(1, 2), Fraction(1, 4)


@dataclass(frozen=True)
class Hygiene:
    stage: StageInfo
    passed: int  # moves from an earlier open stage to a later one or to won, over this stage ...
    skipped: int  # ... of which skipped it
    exits: int  # moves out of this stage
    quick: int  # ... after less than a day in it
    backwards: int  # ... to an earlier open stage

    @property
    def skip_share(self) -> Fraction | None:
        return ratio(self.skipped, self.passed) if self.passed >= MIN_MOVES else None

    @property
    def quick_share(self) -> Fraction | None:
        return ratio(self.quick, self.exits) if self.exits >= MIN_MOVES else None

    @property
    def back_share(self) -> Fraction | None:
        return ratio(self.backwards, self.exits) if self.exits >= MIN_MOVES else None

    @property
    def suggested(self) -> bool:
        return (
            (self.skip_share is not None and self.skip_share >= SKIPPED)
            or (self.quick_share is not None and self.quick_share >= QUICK)
            or (self.back_share is not None and self.back_share >= BACKWARDS)
        )


def hygiene(stages: list[StageInfo], exits: list[Exit]) -> list[Hygiene]:
    """Every active open stage, in pipeline order."""
    by_id = {s.id: s for s in stages}
    out = []
    for stage in sorted(stages, key=lambda s: (s.position, s.id)):
        if stage.kind != OPEN or not stage.active:
            continue
        passed = skipped = leaving = quick = backwards = 0
        for e in exits:
            src, dst = by_id.get(e.from_stage_id), by_id.get(e.to_stage_id)
            if src is None or dst is None:
                continue
            beyond = dst.kind == WON or (dst.kind == OPEN and dst.position > stage.position)
            if src.position < stage.position and (beyond or dst.id == stage.id):
                passed += e.count
                skipped += e.count if beyond else 0
            if src.id == stage.id:
                leaving += e.count
                quick += e.count if e.days == 0 else 0
                backwards += e.count if dst.kind == OPEN and dst.position < stage.position else 0
        out.append(Hygiene(stage, passed, skipped, leaving, quick, backwards))
    return out
