"""Opening another tool's export for reading, honestly: its encoding (UTF-8 with or without a BOM,
UTF-16, else what charset-normalizer finds, typically cp1252 from Excel on Windows), its delimiter
(comma, semicolon, tab or bar), or the first sheet of an .xlsx workbook (openpyxl, read-only).

Rows are streamed, never read whole, so a 100,000-row file costs no more memory than a small one;
a `Table` can be read more than once (the import reads it twice: once to decide, once to write).
A file that cannot be read raises `FileProblem` with one line that says why.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from charset_normalizer import from_bytes

from domain.importing.cells import guard

SAMPLE = 64 * 1024
DELIMITERS = ",;\t|"
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
csv.field_size_limit(1_000_000)  # a long notes cell is fine; anything longer is not a CRM export


class FileProblem(Exception):
    """The file cannot be read at all; the message says why, in one line."""


@dataclass
class Table:
    path: Path
    kind: str  # csv or xlsx
    encoding: str | None = None
    delimiter: str | None = None

    def headers(self) -> list[str]:
        for _line, cells in self._cells():
            return [c.strip() for c in cells]
        raise FileProblem("the file is empty")

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {header: cell}) for every row after the header that is not blank."""
        headers: list[str] | None = None
        for line, cells in self._cells():
            if headers is None:
                headers = [c.strip() for c in cells]
                continue
            if any(c.strip() for c in cells):
                yield line, dict(zip(headers, cells, strict=False))

    def _cells(self) -> Iterator[tuple[int, list[str]]]:
        if self.kind == "xlsx":
            yield from _xlsx_rows(self.path)
            return
        assert self.encoding and self.delimiter
        with self.path.open(newline="", encoding=self.encoding) as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error as exc:
                raise FileProblem(f"line {reader.line_num}: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise FileProblem(
                    f"after line {reader.line_num} the file is not {self.encoding} text ({exc.reason})"
                ) from exc


def open_table(path: Path) -> Table:
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE)
    except OSError as exc:
        raise FileProblem(exc.strerror or str(exc)) from exc
    if not sample.strip():
        raise FileProblem("the file is empty")
    if sample.startswith(ZIP):
        return _check_xlsx(Table(path, "xlsx"))
    if sample.startswith(OLE):
        raise FileProblem("an old binary .xls workbook: save it as .xlsx or CSV first")
    encoding = _encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    return Table(path, "csv", encoding, _delimiter(text))


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        raise FileProblem("a binary file, not a CSV or .xlsx export")
    # Not UTF-8: a Western export is cp1252 (Excel on Windows; a superset of Latin-1's letters)
    # whenever it decodes as such. Short samples fool statistical detection (it takes "Müller" for
    # cp850), so charset-normalizer only decides what cp1252 cannot read.
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None:
        raise FileProblem("not text in any encoding that could be recognised")
    return best.encoding


def _delimiter(text: str) -> str:
    lines = text.splitlines()
    try:
        return csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","  # one column: any delimiter reads it


def _check_xlsx(table: Table) -> Table:
    try:
        import openpyxl

        openpyxl.load_workbook(table.path, read_only=True, data_only=True).close()
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook; all mean the same
        raise FileProblem(f"a ZIP file that is not a readable .xlsx workbook ({type(exc).__name__})") from exc
    return table


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_text(v) for v in values]
    finally:
        book.close()


def _text(value) -> str:
    """A workbook cell as the text a CSV export would hold: dates in ISO, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(path: Path, header: list[str], rows) -> int:
    """Our own CSV: UTF-8, comma, CRLF as the csv module writes, formula-like cells quoted;
    returns the rows written."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([guard(c) for c in row])
            count += 1
    return count
