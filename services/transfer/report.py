"""What `salesbot import` prints: the columns it found, where each source stage lands, the owners
that match nobody, every rejected row (line, column, value, why) and the counts."""

from __future__ import annotations

from services.transfer.importing import ImportResult

HOW = {"map": "--stage-map", "name": "same name", "synonym": "same meaning", "order": "by order", "none": ""}


def describe(result: ImportResult, dry_run: bool) -> list[str]:
    lines = ["columns: " + ", ".join(f"{k} <- {v!r}" for k, v in result.columns.items())]
    for name, order in result.orders.items():
        lines.append(f"dates in {result.columns[name]!r}: {'month' if order == 'mdy' else 'day'} first")
    if result.landings:
        lines.append("stages:")
        for landing in result.landings:
            where = landing.stage.name if landing.stage else "nowhere: no such stage in --stage-map"
            how = f" ({HOW[landing.how]})" if HOW[landing.how] else ""
            lines.append(f"  {landing.source!r} -> {where}{how}")
    if result.unmatched_owners:
        lines.append(f"owners that match nobody in Slack ({len(result.unmatched_owners)}):")
        lines.extend(f"  {owner!r}" for owner in result.unmatched_owners)
    for rejected in result.rejected:
        lines.extend(f"line {rejected.line}: rejected: {reason}" for reason in rejected.reasons)
    if result.rejected_count > len(result.rejected):
        lines.append(f"…and {result.rejected_count - len(result.rejected)} more rejected rows")
    counts = (
        f"{result.rows} rows read: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.rejected_count} rejected"
    )
    if dry_run:
        lines.append("dry run, nothing written: " + counts)
    elif not result.written:
        lines.append(
            f"nothing imported: {result.rejected_count} rows rejected (mend them, or import the rest "
            f"with --skip-rejected): " + counts
        )
    else:
        span = f" (#{result.numbers[0]}–#{result.numbers[-1]})" if result.numbers else ""
        lines.append(counts + span)
    return lines
