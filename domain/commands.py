"""Parsing the text of ``/deal`` into a command. Pure: no database, no Slack.

Errors carry a catalog message id and its parameters, so the handler can say in the
rep's language exactly what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.i18n import LANGUAGES, N_
from domain.add_words import split_name_amount, trailing_stage
from domain.amounts import Amount, AmountError, amount_error, parse_amount
from domain.dates import DateError, parse_date
from domain.errors import UserError, clean
from domain.next_steps import parse_next_step
from domain.nurture import parse_nurture_day
from domain.preferences import parse_notify
from domain.search import read_search
from domain.stages import StageRef
from domain.text_safety import is_blank

MAX_NAME = 200
MAX_COMPANY = 200
MAX_NOTE = 3000
MAX_TEXT = 4000  # Slack caps command text too; anything longer is not a real command

KEYS = ("stage", "close", "company", "amount")
LIST_FILTERS = ("mine", "all", "stalled", "overdue", "today")
_REF = re.compile(r"^#?(\d{1,9})$")
# A user as Slack escapes a mention (<@U123> or <@U123|anna>), or a bare user id.
_MENTION = re.compile(r"^(?:<@([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>|([UW][A-Z0-9]{2,31}))$")
# A name as typed after @: a handle or a display name (which may hold spaces), no mention markup.
_HANDLE = re.compile(r"^@[^\s<>@|][^<>@|]{0,79}$")
_QUOTES = {'"': '"', "“": "”", "„": "“", "'": "'"}


@dataclass
class DealCommand:
    # modal, help, add, list, show, move, won, lost, note, next, edit, qualify, language, reopen, reassign,
    # find, nurture, archive, unarchive, notify
    action: str
    number: int | None = None
    name: str | None = None
    company: str | None = None
    amount: Amount | None = None
    stage: str | None = None  # the rep's words; matched against the team's stages later
    bare_stage: bool = False  # `stage` is the words after /deal add's amount, not `stage:`: an open stage
    close: date | None = None
    text: str | None = None  # note text, lost reason, or list filter
    extra: dict = field(default_factory=dict)  # a verb's own reading: `next` puts its NextStep here


def tokenize(text: str) -> list[str]:
    """Split on spaces, keeping "quoted phrases" (also key:"quoted value") together."""
    return [token for token, _ in _tokens(text)]


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The tokens, each with whether a quote closed in it (a quoted value ends where its quote does)."""
    tokens, buf, quote, quoted = [], "", None, False
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            else:
                buf += ch
        elif ch in _QUOTES and (not buf or buf.endswith(":")) and ch != "'":
            quote, quoted = _QUOTES[ch], True
        elif ch.isspace():
            if buf:
                tokens.append((buf, quoted))
            buf, quoted = "", False
        else:
            buf += ch
    if quote:
        raise UserError(N_('A quote is not closed. Put the name in straight quotes, like "Acme renewal".'))
    if buf:
        tokens.append((buf, quoted))
    return tokens


def _key_of(token: str) -> str | None:
    """The known key a token starts, if any: only `stage:`, `close:`, `company:` and `amount:` start
    a value, so the colon in a URL or a time (`https://acme.com`, `10:30`) is just part of a word."""
    key, sep, _ = token.partition(":")
    return key.lower() if sep and key.lower() in KEYS else None


def read_keys(text: str) -> tuple[list[str], list[tuple[str, str]], bool]:
    """The words that belong to no key, each key with its value, and whether the line began with a
    quote. An unquoted value runs until the next key or the end of the line (`company:Acme Corp
    close:next friday`); a quoted value ends at its closing quote."""
    bare: list[str] = []
    keys: list[tuple[str, str]] = []
    open_value = False  # the last key's value is unquoted, so the next plain word is more of it
    for token, quoted in _tokens(text):
        key = _key_of(token)
        if key:
            keys.append((key, token.partition(":")[2]))
            open_value = not quoted
        elif open_value and not quoted:
            key, value = keys[-1]
            keys[-1] = (key, f"{value} {token}" if value else token)
        else:
            bare.append(token)
            open_value = False
    starts_quoted = text.lstrip()[:1] in _QUOTES and text.lstrip()[:1] != "'"
    return bare, keys, starts_quoted


def parse_ref(token: str | None) -> int:
    m = _REF.match(token or "")
    if not m:
        raise UserError(N_("Give the deal's number, like #12."))
    return int(m.group(1))


_REASSIGN_USAGE = N_("Name the new owner as a Slack mention, like `/deal reassign #12 @anna`.")


def parse_mention(token: str, usage: str = _REASSIGN_USAGE, handles: bool = True) -> str:
    """The user id of a mention, or (with `handles`) "@name" as typed: with the manifest's
    should_escape false, Slack sends `@anna`, not `<@U123|anna>` (services/reassign.py looks the
    name up). A rep's mistake (told `usage`) when it is neither."""
    m = _MENTION.match(token)
    if m:
        return m.group(1) or m.group(2)
    if handles and _HANDLE.match(token):
        return token
    raise UserError(usage)


def parse_deal_command(text: str, today: date) -> DealCommand:
    text = clean(text or "").strip()
    if not text:
        return DealCommand("modal")
    if len(text) > MAX_TEXT:
        raise UserError(
            N_("That command is too long ({length} characters). Keep it under {limit}."),
            length=len(text),
            limit=MAX_TEXT,
        )
    head, _, rest = text.partition(" ")
    verb = head.lower()
    rest = rest.strip()
    if _REF.match(head) and head.startswith("#") and not rest:
        return DealCommand("show", number=parse_ref(head))
    if verb in ("help", "?"):
        return DealCommand("help")
    if verb in ("add", "new"):
        return _parse_add(rest, today)
    if verb == "list":
        return _parse_list(rest)
    if verb in ("show", "card"):
        return DealCommand("show", number=parse_ref(rest))
    if verb in ("language", "taal", "sprache"):
        choice = rest.lower()
        if choice not in (*LANGUAGES, "auto"):
            raise UserError(
                N_("Choose `en`, `nl`, `de`, or `auto` (your Slack language): `/deal language nl`.")
            )
        return DealCommand("language", text=choice)
    if verb in ("find", "search", "zoek", "suche", "finde"):  # `/deal find <words>`: its Search in extra
        return DealCommand("find", text=rest, extra={"search": read_search(rest)})
    if verb in ("notify", "meldingen", "benachrichtigungen"):
        return DealCommand("notify", extra={"change": parse_notify(rest)})
    if verb in ("won", "edit", "qualify"):
        return DealCommand(verb, number=parse_ref(rest))
    if verb == "reopen":  # `/deal reopen #N [stage]`: no stage, the one it was closed from
        ref, _, tail = rest.partition(" ")
        return DealCommand("reopen", number=parse_ref(ref), stage=tail.strip() or None)
    if verb in ("archive", "unarchive"):
        return DealCommand(verb, number=parse_ref(rest))
    if verb == "nurture":  # `/deal nurture #N <day>|off`: close holds the day, None for off
        ref, _, tail = rest.partition(" ")
        return DealCommand("nurture", number=parse_ref(ref), close=parse_nurture_day(tail, today))
    if verb == "reassign":
        ref, _, who = rest.partition(" ")
        return DealCommand("reassign", number=parse_ref(ref), extra={"to": parse_mention(who.strip())})
    if verb in ("next", "volgende", "nächster", "naechster"):
        ref, _, tail = rest.partition(" ")
        return DealCommand("next", number=parse_ref(ref), extra={"step": parse_next_step(tail, today)})
    if verb in ("move", "lost", "note"):
        ref, _, tail = rest.partition(" ")
        number, tail = parse_ref(ref), tail.strip()
        if verb == "move":
            if not tail:
                raise UserError(N_("Say which stage to move the deal to, like `/deal move #12 proposal`."))
            return DealCommand("move", number=number, stage=tail)
        if verb == "note":
            if not tail:
                raise UserError(
                    N_("Write the note after the deal number, like `/deal note #12 Called the CFO`.")
                )
            if len(tail) > MAX_NOTE:
                raise UserError(
                    N_("That note is too long ({length} characters). Keep it under {limit}."),
                    length=len(tail),
                    limit=MAX_NOTE,
                )
            return DealCommand("note", number=number, text=tail)
        if len(tail) > 300:
            raise UserError(N_("That reason is too long. Keep it under {limit} characters."), limit=300)
        return DealCommand("lost", number=number, text=tail or None)
    raise UserError(N_("I don't know `{verb}`. Try `/deal help`."), verb=head[:40])


def _parse_list(rest: str) -> DealCommand:
    word = rest.strip()
    if not word:
        return DealCommand("list", text="mine")
    if word.lower() in LIST_FILTERS:
        return DealCommand("list", text=word.lower())
    return DealCommand("list", text="stage", stage=word)


def _parse_add(
    rest: str, today: date, stages: list[StageRef] | None = None, shown: dict[int, str] | None = None
) -> DealCommand:
    """`stages`: the team's, whose names and aliases a bare last word may be; None before they are
    known (services.deals.add reads the command again with them: with_team_stages)."""
    bare, keys, quoted_name = read_keys(rest)
    cmd = DealCommand("add", extra={"typed": rest})
    for key, value in keys:
        if not value:
            raise UserError(
                N_("`{key}:` needs a value, like `{key}:{example}`."), key=key, example=_EXAMPLES[key]
            )
        _set_key(cmd, key, value, today)
    if not bare:
        raise UserError(N_('Give the deal a name, like `/deal add "Acme renewal" 50k`.'))
    if cmd.stage is None:
        bare, cmd.stage = trailing_stage(bare, quoted_name, stages, shown)
        cmd.bare_stage = cmd.stage is not None
    if quoted_name:
        cmd.name = bare[0]
        if len(bare) > 1:
            if cmd.amount is not None:
                raise UserError(N_("I read two amounts. Give one."))
            cmd.amount = _amount(" ".join(bare[1:]))
    else:
        cmd.name, amount = split_name_amount(bare)
        if amount is not None:
            if cmd.amount is not None:
                raise UserError(N_("I read two amounts. Give one."))
            cmd.amount = amount
    cmd.name = cmd.name.strip()
    if not cmd.name:
        raise UserError(N_('Give the deal a name, like `/deal add "Acme renewal" 50k`.'))
    check_name(cmd.name)
    return cmd


INVISIBLE_NAME = N_("That name has nothing visible in it. Type a name people can read.")


_EXAMPLES = {"stage": "proposal", "close": "2026-12-15", "company": "Acme", "amount": "50k"}


def check_name(name: str) -> None:
    if is_blank(name):  # zero-width and format characters only: a deal nobody could tell apart
        raise UserError(INVISIBLE_NAME)
    if len(name) > MAX_NAME:
        raise UserError(
            N_("That name is too long ({length} characters). Keep it under {limit}."),
            length=len(name),
            limit=MAX_NAME,
        )


def _set_key(cmd: DealCommand, key: str, value: str, today: date) -> None:
    if key == "stage":
        cmd.stage = value
    elif key == "company":
        if len(value) > MAX_COMPANY:
            raise UserError(
                N_("That company name is too long. Keep it under {limit} characters."), limit=MAX_COMPANY
            )
        cmd.company = value
    elif key == "amount":
        cmd.amount = _amount(value)
    else:
        cmd.close = close_date(value, today)


def close_date(value: str, today: date) -> date:
    try:
        return parse_date(value, today)
    except DateError as exc:
        if exc.reason == "out_of_range":
            raise UserError(
                N_("The close date {date} is out of range. Use a date between 2000 and 2100."),
                date=value[:40],
            ) from exc
        raise UserError(
            N_("I can't read the date `{date}`. Try 2026-12-15 or 15 Dec 2026."), date=value[:40]
        ) from exc


def _amount(text: str) -> Amount:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise amount_error(exc, text) from exc


def with_team_stages(
    cmd: DealCommand, stages: list[StageRef], today: date, shown: dict[int, str] | None = None
) -> DealCommand:
    """`/deal add` read again knowing the team's stages (a renamed one, one the team added: `Acme 50k
    Pilot`), when the first reading gave it no stage; else the command as it was. `shown`: each
    stage's name as the rep sees it, by id."""
    if cmd.action != "add" or cmd.stage is not None or "typed" not in cmd.extra:
        return cmd
    return _parse_add(cmd.extra["typed"], today, stages, shown)
