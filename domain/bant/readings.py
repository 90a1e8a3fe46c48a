"""What the BANT readers return: one dataclass per question, and Ambiguous for "ask back"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

QUESTIONS = ("budget", "authority", "need", "timeline")


@dataclass(frozen=True)
class Budget:
    status: str  # "yes" | "no" | "unknown"
    min_cents: int | None
    max_cents: int | None
    currency: str | None
    available_from: date | None
    evidence: str


@dataclass(frozen=True)
class Authority:
    status: str  # "decision_maker" | "needs_approval" | "unknown"
    who: str | None
    evidence: str


@dataclass(frozen=True)
class Need:
    text: str
    clear: bool
    evidence: str


@dataclass(frozen=True)
class Timeline:
    status: str  # "date" | "no_rush" | "unknown"
    target: date | None
    evidence: str


@dataclass(frozen=True)
class Ambiguous:
    question: str
    reason: str
    evidence: str


Reading = Budget | Authority | Need | Timeline | Ambiguous
