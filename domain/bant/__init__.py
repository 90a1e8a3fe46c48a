"""BANT qualification (Budget, Authority, Need, Timeline): reading a rep's answers and scoring them.

Pure: no I/O and no clock (callers pass ``today``). Answers may be English, Dutch or German.
- lexicon: the words per language (calendar_words: those for dates); periods: dates and periods;
  text: normalising one answer;
- readings: what a reader returns; readers: one reader per question; message: several answers
  in one message;
- score: stored answers, their points and verdict; flow: the conversation as a state machine.
"""

from domain.bant.message import read_message
from domain.bant.readers import (
    read_authority,
    read_budget,
    read_control,
    read_need,
    read_quick,
    read_timeline,
)
from domain.bant.readings import QUESTIONS, Ambiguous, Authority, Budget, Need, Reading, Timeline
from domain.bant.score import DISQUALIFY, QUALIFIED, SKIPPED, Answer, Score, clean_text, score

__all__ = [
    "DISQUALIFY",
    "QUALIFIED",
    "QUESTIONS",
    "SKIPPED",
    "Ambiguous",
    "Answer",
    "Authority",
    "Budget",
    "Need",
    "Reading",
    "Score",
    "Timeline",
    "clean_text",
    "read_authority",
    "read_budget",
    "read_control",
    "read_message",
    "read_need",
    "read_quick",
    "read_timeline",
    "score",
]
