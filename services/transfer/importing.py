"""Importing deals from another tool's export: decide, then write.

The file is read twice, streamed. The first pass (`scan`) only collects what the file as a whole
decides: its distinct stage and owner values, and each date column's evidence of its order. Then the
owners are asked of Slack (services.transfer.owners), once per distinct value. The second pass
(`apply`) reads every row into a deal with its history and writes them in batches of bulk inserts,
all in ONE transaction: a run that fails, or that meets a rejected row without --skip-rejected,
rolls back and leaves the team as it was. A dry run takes the same path with no write at all: it
reads the team if it exists (the default stages if not) and never creates a row.

A deal's source id (Pipedrive's `Deal - ID`, HubSpot's `Record ID`, Salesforce's `Opportunity ID`,
Odoo's `ID`, our own number) is kept in deal.source_id, unique per team: importing the same file
again updates those deals (counted as updated or unchanged) instead of adding them twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Row, bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, col, select

from bot.db import Database
from bot.i18n import LANGUAGES, translator
from domain.importing.columns import map_columns
from domain.importing.dates import DateEvidence
from domain.importing.rows import DATES, ImportedDeal, Problem, Rejected, RowContext, cell, read_row
from domain.importing.values import OwnerDirectory, StageLanding, land_stages, match_owner
from domain.stages import DEFAULT_STAGES, StageRef, default_stage_name
from models.tables import Deal, StageChange, Team, search_columns
from models.teams import ensure_team, stage_refs, stages
from services.transfer.files import Table, open_table

BATCH = 1000
KEEP_REJECTED = 1000  # rejected rows reported in full; beyond that only counted


@dataclass
class ImportOptions:
    columns: dict[str, str] = field(default_factory=dict)  # --map field=column
    stage_map: dict[str, str] = field(default_factory=dict)  # --stage-map "Proposal Made=proposal"
    owner_map: dict[str, str] = field(default_factory=dict)  # lower-cased cell -> Slack id
    default_owner: str | None = None  # --owner
    date_order: str | None = None  # --date-order mdy|dmy
    dry_run: bool = False
    skip_rejected: bool = False  # import the good rows even when some are rejected


@dataclass
class Scan:
    table: Table
    columns: dict[str, str]
    stage_values: list[str]
    owner_values: list[str]
    evidence: dict[str, DateEvidence]


class ImportRefused(Exception):
    """The file as a whole cannot be imported as it stands (an ambiguous date column)."""


@dataclass
class ImportResult:
    columns: dict[str, str]
    landings: list[StageLanding]
    unmatched_owners: list[str]
    orders: dict[str, str]
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # first and last number created
    written: bool = False  # False for a dry run, and for a run refused for its rejected rows


def scan(path: Path, options: ImportOptions) -> Scan:
    table = open_table(path)
    columns = map_columns(table.headers(), options.columns)
    stage_values: dict[str, None] = {}
    owner_values: dict[str, None] = {}
    evidence = {name: DateEvidence() for name in DATES if name in columns}
    stage_col, owner_col = columns.get("stage"), columns.get("owner")
    for _line, row in table.rows():
        if stage_col and (value := (row.get(stage_col) or "").strip()):
            stage_values.setdefault(value, None)
        if owner_col and (value := (row.get(owner_col) or "").strip()):
            owner_values.setdefault(value, None)
        for name, seen in evidence.items():
            if text := row.get(columns[name]):
                seen.see(text)
    return Scan(table, columns, list(stage_values), list(owner_values), evidence)


def date_orders(found: Scan, chosen: str | None) -> dict[str, str]:
    """Each numeric date column's order. A column its own values leave open takes the order the
    file's other date columns settled (one file, one locale), else --date-order, else a refusal."""
    orders: dict[str, str] = {}  # only columns with numeric dates: the others read the same either way
    open_columns = []
    for name, evidence in found.evidence.items():
        if not evidence.numeric:
            continue
        order, problem = evidence.order(None)
        header = found.columns[name]
        if problem == "mixed":
            raise ImportRefused(
                f"column {header!r} has dates written day first ({evidence.day_first}) and month "
                f"first ({evidence.month_first}): correct the file"
            )
        if order is None:
            open_columns.append(name)
        else:
            orders[name] = order
    settled = set(orders.values())
    for name in open_columns:
        order = chosen or (settled.pop() if len(settled) == 1 else None)
        if order is None:
            header, value = found.columns[name], found.evidence[name].ambiguous
            raise ImportRefused(
                f"column {header!r} reads both ways ({value}): say --date-order mdy "
                f"(month first) or --date-order dmy (day first)"
            )
        orders[name] = order
        settled = {order}
    return orders


@dataclass
class TeamView:
    stages: list[StageRef]
    timezone: str
    exists: bool


def team_view(db: Database, team_id: str) -> TeamView:
    """The team's stages as the import matches them, without writing: a team (or a database) not
    made yet has the default stages, with ids no row has."""
    if _exists(db):
        try:
            with db.read() as s:
                team = s.get(Team, team_id)
                if team is not None:
                    return TeamView(stage_refs(stages(s, team_id)), team.timezone, True)
        except (OperationalError, ProgrammingError):
            pass  # not migrated yet: a dry run does not migrate
    defaults = [StageRef(-1 - i, key, name, kind) for i, (key, name, kind, *_) in enumerate(DEFAULT_STAGES)]
    return TeamView(defaults, Team.model_fields["timezone"].default, False)


def _exists(db: Database) -> bool:
    """False for a SQLite file not made yet: opening it would create it, and a dry run creates nothing."""
    database = make_url(db.url).database
    return not db.is_sqlite or not database or database == ":memory:" or Path(database).exists()


def _shown_names(refs: list[StageRef]) -> dict[int, list[str]]:
    languages = [translator(lang) for lang in LANGUAGES]
    return {s.id: [t(s.name) for t in languages] for s in refs if default_stage_name(s.key, s.name)}


def _context(found: Scan, view: TeamView, people: OwnerDirectory, options: ImportOptions, now: datetime):
    landings = land_stages(found.stage_values, view.stages, _shown_names(view.stages), options.stage_map)
    owners = {value: match_owner(value, options.owner_map, people) for value in found.owner_values}
    kinds = {kind: next(s for s in view.stages if s.kind == kind) for kind in ("open", "won", "lost")}
    ctx = RowContext(
        columns=found.columns,
        landings=landings,
        owners=owners,
        default_owner=options.default_owner,
        orders=date_orders(found, options.date_order),
        tz=ZoneInfo(view.timezone),
        now=now,
        first_open=kinds["open"],
        won=kinds["won"],
        lost=kinds["lost"],
    )
    result = ImportResult(
        columns=found.columns,
        landings=list(landings.values()),
        unmatched_owners=[v for v, owner in owners.items() if owner is None],
        orders=ctx.orders,
    )
    return ctx, result


def apply(
    db: Database, team_id: str, found: Scan, people: OwnerDirectory, now: datetime, options: ImportOptions
) -> ImportResult:
    """Read every row and, unless it is a dry run, write them (one transaction; see the module)."""
    if options.dry_run:
        view = team_view(db, team_id)
        ctx, result = _context(found, view, people, options, now)
        if view.exists:
            with db.read() as s:
                _run(s, team_id, found, ctx, result, now, write=False)
        else:
            _run(None, team_id, found, ctx, result, now, write=False)
        return result
    with db.write() as s:
        ensure_team(s, team_id, now)
        ctx, result = _context(found, team_view_in(s, team_id), people, options, now)
        _run(s, team_id, found, ctx, result, now, write=True)
        if result.rejected_count and not options.skip_rejected:
            s.rollback()  # nothing half-imported: the team stays as it was
            result.created = result.updated = 0
            result.numbers = []
            return result
        result.written = True
    return result


def team_view_in(s: Session, team_id: str) -> TeamView:
    team = s.get(Team, team_id)
    assert team is not None
    return TeamView(stage_refs(stages(s, team_id)), team.timezone, True)


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _run(s: Session | None, team_id, found: Scan, ctx: RowContext, result: ImportResult, now, write: bool):
    seen: dict[str, int] = {}  # source id -> the line that had it first
    for batch in _batches(found.table.rows(), BATCH):
        good: list[ImportedDeal] = []
        for line, row in batch:
            result.rows += 1
            read = read_row(line, row, ctx)
            if isinstance(read, ImportedDeal) and (source_id := read.source_id):
                if source_id in seen:
                    why = f"the same id as line {seen[source_id]}"
                    read = Rejected(line, [Problem(ctx.columns.get("source_id", "id"), source_id, why)])
                else:
                    seen[source_id] = line
            if isinstance(read, Rejected):
                result.rejected_count += 1
                if len(result.rejected) < KEEP_REJECTED:
                    result.rejected.append(read)
            else:
                good.append(read)
        existing = _existing(s, team_id, [d.source_id for d in good if d.source_id]) if s else {}
        new = [d for d in good if d.source_id not in existing]
        changed = [(existing[d.source_id], d) for d in good if d.source_id in existing]
        changed = [(row, d) for row, d in changed if _differs(row, d)]
        result.updated += len(changed)
        result.unchanged += len(good) - len(new) - len(changed)
        result.created += len(new)
        if write and changed:
            assert s is not None
            _update(s, team_id, changed, now)
        if write and new:
            assert s is not None
            numbers = _insert(s, team_id, new, now)
            result.numbers = [result.numbers[0] if result.numbers else numbers[0], numbers[-1]]


FIELDS = (
    "name",
    "company",
    "amount_cents",
    "currency",
    "stage_id",
    "owner_id",
    "close_date",
    "notes",
    "lost_reason",
    "created_at",
    "closed_at",
)
DEALS = Deal.__table__  # type: ignore[attr-defined]


def _existing(s: Session, team_id: str, source_ids: list[str]) -> dict[str, Row]:
    """The team's deals with these source ids, as plain rows (loading a thousand ORM objects costs
    more than the whole rest of a batch)."""
    if not source_ids:
        return {}
    columns = [DEALS.c[name] for name in ("id", "source_id", "version", "last_activity_at", *FIELDS)]
    # The ids as literals: psycopg prepares a statement it runs often, and PostgreSQL's generic plan
    # for a thousand-parameter IN list compares every row with every id (0.6 s a batch, not 5 ms).
    wanted: BindParameter[list[str]] = bindparam("ids", expanding=True, literal_execute=True)
    query = sa_select(*columns).where(DEALS.c.team_id == team_id, DEALS.c.source_id.in_(wanted))
    return {row.source_id: row for row in s.execute(query, {"ids": source_ids})}


def _values(deal: ImportedDeal, currency: str) -> dict:
    values = {name: getattr(deal, name) for name in FIELDS}
    values["currency"] = deal.currency or currency
    return values


def _differs(row: Row, deal: ImportedDeal) -> bool:
    wanted = _values(deal, row.currency)
    return any(getattr(row, name) != value for name, value in wanted.items())


def _update(s: Session, team_id: str, changed: list[tuple[Row, ImportedDeal]], now: datetime) -> None:
    """Bring an earlier import's deals up to date with the file (one executemany); a new stage is a
    stage change at the time the file gives (its close), else now."""
    names = [*FIELDS, *search_columns(None, None, None), "updated_at", "last_activity_at", "version"]
    statement = (
        update(DEALS)
        .where(DEALS.c.id == bindparam("deal_id"))
        .values({n: bindparam("v_" + n) for n in names})
    )
    params = []
    moves = []
    for row, deal in changed:
        values = {
            **_values(deal, row.currency),
            **search_columns(deal.name, deal.company, deal.notes),  # a bulk write: the ORM's events miss it
            "updated_at": now,
            "last_activity_at": max(row.last_activity_at, deal.last_activity_at),
            "version": row.version + 1,
        }
        params.append({"deal_id": row.id, **{"v_" + n: values[n] for n in names}})
        if row.stage_id != deal.stage_id:
            moves.append(
                {
                    "team_id": team_id,
                    "deal_id": row.id,
                    "from_stage_id": row.stage_id,
                    "to_stage_id": deal.stage_id,
                    "user_id": "import",
                    "at": deal.closed_at or now,
                }
            )
    s.execute(statement, params)
    _bulk(s, StageChange.__table__, moves)  # type: ignore[attr-defined]


def _insert(s: Session, team_id: str, deals: list[ImportedDeal], now: datetime) -> list[int]:
    """Bulk-insert new deals and their history; returns their numbers. The numbers are reserved in
    one bump of the team's counter (its row lock serialises this with deals made in Slack)."""
    s.flush()
    bumped, currency = s.exec(
        update(Team)
        .where(col(Team.id) == team_id)
        .values(next_deal_number=col(Team.next_deal_number) + len(deals))
        .returning(col(Team.next_deal_number), col(Team.currency))
    ).one()
    first = bumped - len(deals)
    rows = [
        {
            "team_id": team_id,
            "number": first + i,
            "source_id": d.source_id,
            "created_by": "import",
            "updated_at": now,
            "last_activity_at": d.last_activity_at,
            "version": 1,
            **_values(d, currency),
            **search_columns(d.name, d.company, d.notes),  # a bulk insert (COPY): the ORM's events miss it
        }
        for i, d in enumerate(deals)
    ]
    _bulk(s, Deal.__table__, rows)  # type: ignore[attr-defined]
    # The numbers are the team's and unique: they say which id each new deal got.
    ids = dict(
        s.execute(
            select(col(Deal.number), col(Deal.id)).where(
                col(Deal.team_id) == team_id, col(Deal.number).between(first, first + len(deals) - 1)
            )
        ).all()
    )
    changes = [
        {
            "team_id": team_id,
            "deal_id": ids[row["number"]],
            "from_stage_id": a,
            "to_stage_id": b,
            "user_id": "import",
            "at": at,
        }
        for row, d in zip(rows, deals, strict=True)
        for a, b, at in d.history()
    ]
    _bulk(s, StageChange.__table__, changes)  # type: ignore[attr-defined]
    return [r["number"] for r in rows]


def _bulk(s: Session, table, rows: list[dict]) -> None:
    """Insert rows in the session's transaction: COPY on PostgreSQL (several times faster than
    multi-row INSERTs for a thousand rows), executemany on SQLite."""
    if not rows:
        return
    connection = s.connection()
    if connection.dialect.name != "postgresql":
        s.execute(insert(table), rows)
        return
    names = list(rows[0])
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def owner_values(found: Scan) -> list[str]:
    return found.owner_values


__all__ = ["ImportOptions", "ImportRefused", "ImportResult", "apply", "cell", "scan"]
