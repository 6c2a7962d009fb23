"""Streams a delimited text file as one sheet, one record at a time (bounded memory at any file size)."""

from __future__ import annotations

import csv
import re
from typing import Iterator, Optional, TextIO

from ._failure import ParseFailure
from ._table import RawRow, Sheet, SkipReason

DELIMITERS = (",", ";", "\t", "|")
_SNIFFED_LINES = 5
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def sniff_delimiter(sample: str) -> str:
    """The original's rule on the first lines: score = fields counted × 2 when every record has the same count;
    a delimiter that splits no record at all scores nothing (a long quoted cell must not make it look regular)."""
    lines = _LINE_BREAK.split(sample)[: _SNIFFED_LINES + 1]
    if len(lines) > 1:
        lines.pop()  # the last piece may be cut short by the sample's end (or is the empty tail after a newline)
    best, best_score = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        counts = [len(record) for record in csv.reader(lines, delimiter=delimiter) if record]
        if max(counts, default=1) == 1:
            continue
        score = sum(counts) * (2 if len(set(counts)) == 1 else 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# From just after an opening quote to its closing quote, `""` being an escaped quote. Possessive, so a pair
# is never split to find a closing quote that is not there.
_QUOTED_REST = re.compile(r'(?:[^"]|"")*+"')


def _ends_inside_quotes(text: str, inside: bool, delimiter: str) -> bool:
    """Whether a quoted field is still open after `text`, read as csv's default dialect does: a quote opens a
    field only at the field's start, and after the closing quote the field goes on literally to the delimiter."""
    pos = 0
    while True:
        if inside:
            closing = _QUOTED_REST.match(text, pos)
            if closing is None:
                return True
            inside, pos = False, closing.end()
        elif text.startswith('"', pos):
            inside, pos = True, pos + 1
            continue
        pos = text.find(delimiter, pos)
        if pos < 0:
            return False
        pos += 1


class _RecordTooLong(Exception):
    pass


class _Records:
    """The logical records of `stream`, one string each (a record spans lines while a quoted field is open), so
    csv.reader parses each record on its own and a bad one costs only itself. A record longer than `limit`
    characters is skipped without being held in memory and reported by raising `_RecordTooLong`; csv.reader
    passes that through and, on the next call, goes on with the next record."""

    def __init__(self, stream: TextIO, delimiter: str, limit: int) -> None:
        self._stream = stream
        self._delimiter = delimiter
        self._limit = limit
        self.line_number = 0

    def __iter__(self) -> "_Records":
        return self

    def __next__(self) -> str:
        piece = self._read()
        if not piece:
            raise StopIteration
        if '"' not in piece and self._ends_line(piece):
            return piece  # the common case: one plain line
        pieces, size, inside = [], 0, False
        while piece:
            size += len(piece)
            if size <= self._limit:
                pieces.append(piece)
            # A line longer than the limit arrives in pieces; its quote state is followed piece by piece, which is
            # only approximate inside a field, and that record is dropped anyway.
            inside = _ends_inside_quotes(piece, inside, self._delimiter)
            if not inside and self._ends_line(piece):
                break
            piece = self._read()
        if size > self._limit:
            raise _RecordTooLong
        return "".join(pieces)

    def _read(self) -> str:
        piece = self._stream.readline(self._limit)
        if self._ends_line(piece):
            self.line_number += 1
        return piece

    def _ends_line(self, piece: str) -> bool:
        # readline stops early only at a line break or at the end of the file.
        return piece.endswith(("\n", "\r")) or 0 < len(piece) < self._limit


def read_text_sheet(stream: TextIO, delimiter: str, max_row_chars: int) -> Optional[Sheet]:
    """The file as a sheet whose header is its first non-blank record; None when the file has no records."""
    source = _Records(stream, delimiter, max_row_chars)
    records = _records(csv.reader(source, delimiter=delimiter), source)
    for _, first in records:
        if isinstance(first, SkipReason):
            raise ParseFailure(f"the header row (line {source.line_number}) cannot be read: {first.description}")
        header = [cell.strip() for cell in first]
        if header:
            header[0] = header[0].lstrip("\ufeff")  # a BOM the codec kept (UTF-16 read without one)
        return Sheet(None, header, records)
    return None


def _records(reader: Iterator[list[str]], source: _Records) -> Iterator[RawRow]:
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            yield source.line_number, SkipReason.ROW_TOO_LARGE
            continue
        except csv.Error as exc:
            too_large = "field larger than field limit" in str(exc)
            yield source.line_number, SkipReason.CELL_TOO_LARGE if too_large else SkipReason.MALFORMED_ROW
            continue
        if record:  # a blank line is no record at all, as in the original's csv crate
            yield source.line_number, [cell.strip() for cell in record]
