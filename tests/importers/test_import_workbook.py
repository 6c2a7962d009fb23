"""parse and preview of XLSX, XLS and ODS workbooks, and the zip bomb guard."""

from __future__ import annotations

import shutil
import struct
import zipfile

import pytest

from tests.importers.importer_samples import CHINESE_HEADER, record
from vdp.contract import FileFormat
from vdp.errors import VdpError
from vdp.importers import ImportLimits, parse, preview

# Two sheets with different headers; ids typed as numbers; the first sheet leaves the column name empty.
SHEETS = {
    "Python课程": [
        CHINESE_HEADER,
        [1, None, 11.0, "第一课 变量", "https://cdn.example.com/py/1.mp4"],
        [1, "", 12, "第二课 循环", "https://cdn.example.com/py/2.mp4"],
        [1, "", 12, "第二课 循环", "https://cdn.example.com/py/2.mp4"],  # duplicate: kept for reconciliation
        [None, None, None, None, None],
        [2, "自定义专栏", 2.5, "非整数编号", "not a url"],
    ],
    "Data Structures": [
        ["record_url", "Column Name", "kc_name", "zl_id"],
        ["https://cdn.example.com/ds/1.mp4", "数据结构", "二叉树", 3],
        [None, "数据结构", "链表", 3],
    ],
}
EXPECTED = [
    record("1", "Python课程", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"),
    record("1", "Python课程", "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"),
    record("1", "Python课程", "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"),
    record("3", "数据结构", None, "二叉树", "https://cdn.example.com/ds/1.mp4"),
]


@pytest.fixture(params=["xlsx", "xls", "ods"])
def workbook(request, write_xlsx, write_xls, write_ods):
    writer = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}[request.param]
    return writer(f"courses.{request.param}", SHEETS)


def test_every_sheet_is_imported(workbook):
    result = parse(workbook)

    assert result.imported_data == EXPECTED
    assert (result.file_format, result.encoding) == (FileFormat.EXCEL, "UTF-8")
    stats = result.statistics
    assert (stats.total_rows, stats.parsed_rows, stats.skipped_rows) == (7, 4, 3)
    assert stats.skip_reasons == {"empty_row": 1, "invalid_url": 1, "missing_url": 1}
    assert stats.file_size == workbook.stat().st_size


def test_preview_reads_the_first_sheet_only(workbook):
    result = preview(workbook)

    assert result.headers == CHINESE_HEADER
    assert result.rows == [
        ["1", "", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"],
        ["1", "", "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"],
        ["1", "", "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"],
        ["2", "自定义专栏", "2.5", "非整数编号", "not a url"],
    ]
    assert (result.total_rows, result.encoding) == (4, "UTF-8")
    fields = ["column_id", "column_name", "course_id", "course_name", "video_url"]
    assert result.field_mapping == dict(zip(CHINESE_HEADER, fields))


def test_strict_mode_names_the_sheet_and_row(workbook):
    with pytest.raises(VdpError) as error:
        parse(workbook, strict=True)

    assert str(error.value) == (
        "Parsing error: File parsing failed: sheet 'Python课程', row 6: the video URL is not a valid http(s) URL"
    )


def test_the_header_is_the_first_non_empty_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active["B3"], book.active["C3"] = "标题", "链接"
    book.active["B4"], book.active["C4"] = "第一课", "https://e.com/1.mp4"
    path = tmp_path / "offset.xlsx"
    book.save(path)

    assert parse(path).imported_data == [record(None, "Sheet", None, "第一课", "https://e.com/1.mp4")]


def test_a_workbook_under_another_name_is_still_a_workbook(write_xlsx, tmp_path):
    renamed = tmp_path / "export.dat"
    shutil.copy(write_xlsx("book.xlsx", SHEETS), renamed)

    assert parse(renamed).imported_data == EXPECTED


def test_row_limit_counts_all_sheets(write_xlsx):
    path = write_xlsx("two.xlsx", {"A": [["url"], ["https://e.com/1"], ["https://e.com/2"]], "B": [["url"], ["https://e.com/3"]]})

    with pytest.raises(VdpError, match=r"more than 2 data rows; split it into smaller files$"):
        parse(path, limits=ImportLimits(max_rows=2))
    assert parse(path, limits=ImportLimits(max_rows=3)).statistics.parsed_rows == 3


def test_a_giant_cell_skips_its_row(write_xlsx):
    rows = [["url", "title"], ["https://e.com/1", "x" * 2000], ["https://e.com/2", "ok"]]
    path = write_xlsx("giant.xlsx", {"S": rows})

    result = parse(path, limits=ImportLimits(max_cell_chars=1000))

    assert [row.url for row in result.imported_data] == ["https://e.com/2"]
    assert result.statistics.skip_reasons == {"cell_too_large": 1}


def test_a_file_that_is_not_a_workbook(write_text):
    path = write_text("fake.xlsx", "url\nhttps://e.com/a\n")

    with pytest.raises(VdpError, match=r"^Parsing error: File parsing failed: not a readable spreadsheet"):
        parse(path)
    with pytest.raises(VdpError, match=r"^Parsing error: Failed to preview file: not a readable spreadsheet"):
        preview(path)


def test_a_workbook_over_the_size_limit_is_refused(write_xlsx):
    path = write_xlsx("book.xlsx", SHEETS)

    with pytest.raises(VdpError, match=r"MiB; spreadsheets larger than .* MiB are refused$"):
        parse(path, limits=ImportLimits(max_workbook_bytes=1000))


BOMB_LIMITS = ImportLimits(max_unpacked_bytes=1024 * 1024)
BOMB_MESSAGE = r"unpacks to more than 1 MiB; it looks like a zip bomb and was not opened$"


def test_zip_bomb_is_refused_before_calamine_opens_it(write_xlsx):
    path = write_xlsx("bomb.xlsx", SHEETS)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(2 * 1024 * 1024))  # 2 MiB of zeros deflate to ~2 KiB
    assert path.stat().st_size < 20_000

    with pytest.raises(VdpError, match=r"^Parsing error: File parsing failed: the workbook " + BOMB_MESSAGE):
        parse(path, limits=BOMB_LIMITS)
    with pytest.raises(VdpError, match=r"^Parsing error: Failed to preview file: the workbook " + BOMB_MESSAGE):
        preview(path, limits=BOMB_LIMITS)
    assert parse(path).statistics.parsed_rows == 4  # within the default limit the same file is fine


def test_zip_bomb_that_lies_about_its_sizes_is_refused(write_ods):
    path = write_ods("liar.ods", SHEETS)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padding.bin", bytes(2 * 1024 * 1024))
    _declare_small_sizes(path, "padding.bin")
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("padding.bin").file_size == 1  # the lie the guard must not believe

    with pytest.raises(VdpError, match=BOMB_MESSAGE):
        parse(path, limits=BOMB_LIMITS)


def _declare_small_sizes(path, member: str) -> None:
    """Rewrite `member`'s uncompressed size to 1 byte in both its local header and the central directory."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(name)] == name:
                struct.pack_into("<L", data, start + size_offset, 1)
            start += 4
    path.write_bytes(bytes(data))


def test_a_workbook_that_makes_the_reader_crash_is_an_error_not_a_crash(tmp_path, write_xlsx):
    # Two cells, the second at the last cell of the grid: calamine asks for 512 GiB for the dense range and a
    # failed allocation aborts its process. Only the reader process may die.
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"], book.active["XFD1048576"] = "url", "x"
    path = tmp_path / "far.xlsx"
    book.save(path)

    with pytest.raises(VdpError) as error:
        parse(path)

    assert str(error.value).startswith(
        "Parsing error: File parsing failed: the workbook could not be read: its reader ran out of memory or crashed"
    )
    assert parse(write_xlsx("next.xlsx", {"S": [["url"], ["https://e.com/next.mp4"]]})).statistics.parsed_rows == 1
