"""The qualification's end-to-end tests share these: starting one in the DM, making a manager, and
reading what the qualification stored."""

from __future__ import annotations

from sqlmodel import select

from models.qualification_tables import Qualification, QualificationAnswer
from models.tables import Deal, Team
from tests.chat import Chat, add, buttons


async def start(bench, words: str, user: str = "UALICE") -> Chat:
    """`user` adds a deal (`/deal add <words>`, their first: #1) and starts qualifying it: the chat,
    once the first question is in the DM."""
    await add(bench, words, user)
    chat = Chat(bench, user)
    await chat.command("qualify #1")
    await bench.slack.wait_for(lambda: chat.dms())
    return chat


def make_manager(bench, user: str) -> None:
    with bench.db.write() as s:
        team = s.get(Team, "T0LOCAL")
        team.manager_ids = user
        s.add(team)


def answers(db, number=1) -> dict[str, QualificationAnswer]:
    with db.read() as s:
        deal = s.exec(select(Deal).where(Deal.team_id == "T0LOCAL", Deal.number == number)).one()
        qual = s.exec(select(Qualification).where(Qualification.deal_id == deal.id)).one()
        rows = s.exec(select(QualificationAnswer).where(QualificationAnswer.qualification_id == qual.id))
        return {r.question: r for r in rows}


def qualification(db, number=1) -> Qualification:
    with db.read() as s:
        return s.exec(
            select(Qualification).where(
                Qualification.team_id == "T0LOCAL", Qualification.deal_number == number
            )
        ).one()


async def closed_questions(chat):
    """Every question but the open one has lost its buttons (the last close may trail the post)."""

    def all_closed():
        asked = [
            m
            for m in chat.dms()
            if any(b.get("block_id", "").startswith("qualify:") for b in m.blocks) or m.history
        ]
        open_ = [m for m in asked if buttons(m) & {"qualify_yes", "qualify_skip"}]
        return len(open_) <= 1 and (not open_ or open_[0] is chat.last())

    return await chat.bench.slack.wait_for(all_closed)
