"""`parse`: every sheet of a file to import records, with skipped rows counted by reason."""

from __future__ import annotations

import os
import time
from collections import Counter
from itertools import islice
from typing import Iterator, Optional, Union

from ..contract import ImportedData, ImportResult, ImportStatistics
from ..errors import ErrorCode, ErrorKind, VdpError
from ._failure import ParseFailure
from ._headers import FieldMapping, HeaderMatcher
from ._limits import DEFAULT_LIMITS, ImportLimits
from ._rows import RowReader
from ._source import open_table
from ._table import SkipReason, Table


def parse(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    max_rows: int = 0,
    field_mapping: Optional[FieldMapping] = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Import records from every sheet. A row without a valid http(s) video URL is skipped and counted under
    its reason, or in `strict` mode stops the import. `max_rows` > 0 reads no more data rows than that."""
    started = time.perf_counter()
    matcher = HeaderMatcher(field_mapping)
    records: list[ImportedData] = []
    skipped: Counter[str] = Counter()
    try:
        with open_table(path, limits, strict=strict) as table:
            outcomes = islice(_outcomes(table, matcher, limits), max_rows or None)
            for place, number, outcome in outcomes:
                if isinstance(outcome, ImportedData):
                    records.append(outcome)
                elif strict and outcome is not SkipReason.EMPTY_ROW:
                    raise ParseFailure(f"{place} {number}: {outcome.description}")
                else:
                    skipped[outcome.value] += 1
    except ParseFailure as exc:
        raise VdpError(ErrorCode.PARSE_ERROR, f"File parsing failed: {exc}", kind=ErrorKind.PARSE) from None
    statistics = ImportStatistics(
        total_rows=len(records) + skipped.total(),
        parsed_rows=len(records),
        skipped_rows=skipped.total(),
        parse_time_ms=round((time.perf_counter() - started) * 1000),
        file_size=table.file_size,
        skip_reasons=dict(skipped),
    )
    return ImportResult(
        imported_data=records, statistics=statistics, file_format=table.format, encoding=table.encoding
    )


def _outcomes(
    table: Table, matcher: HeaderMatcher, limits: ImportLimits
) -> Iterator[tuple[str, int, Union[ImportedData, SkipReason]]]:
    """(where the row is, for messages: place and number; its record or skip reason) for every data row."""
    for sheet in table.sheets:
        reader = RowReader(sheet.header, matcher, sheet.name, limits.max_cell_chars)
        place = f"sheet '{sheet.name}', row" if sheet.name is not None else "line"
        for number, cells in sheet.rows:
            yield place, number, reader.read(cells)
