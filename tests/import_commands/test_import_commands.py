"""The import commands through `invoke` on a real app: the original's arguments in, its wire JSON out."""

from __future__ import annotations

import pytest

from tests.importers.importer_samples import CHINESE_HEADER, record
from tests.support.appkit import AppKit
from vdp.errors import VdpError

SHEET = (
    "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"
    "1,Python入门,11,第一课 变量,https://cdn.example.com/py/1.mp4\n"
    ",,12,第二课 循环,https://cdn.example.com/py/2.mp4\n"
    "2,数据结构,21,二叉树,not a url\n"
    "3,算法,31,排序,https://cdn.example.com/algo/sort.m3u8\n"
)
ROWS = [
    record("1", "Python入门", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"),
    record(None, None, "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"),
    record("3", "算法", "31", "排序", "https://cdn.example.com/algo/sort.m3u8"),
]
WIRE_ROWS = [row.model_dump(mode="json") for row in ROWS]


@pytest.mark.parametrize(("codec", "encoding"), [("utf-8", "UTF-8"), ("gbk", "GBK")])
async def test_preview_shows_headers_rows_and_the_guessed_mapping(kit: AppKit, write_text, codec, encoding) -> None:
    path = write_text("课程.csv", SHEET, codec)

    preview = await kit.call("preview_import_data", filePath=str(path), maxRows=2)

    assert preview == {
        "headers": CHINESE_HEADER,
        "rows": [["1", "Python入门", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"],
                 ["", "", "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"]],
        "total_rows": 4,
        "encoding": encoding,
        "field_mapping": {"专栏ID": "column_id", "专栏名称": "column_name", "课程ID": "course_id",
                          "课程名称": "course_name", "视频链接": "video_url"},
    }
    detected = await kit.call("detect_file_encoding", filePath=str(path))
    assert detected["encoding"] == encoding and 0.5 <= detected["confidence"] <= 1.0


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
async def test_import_csv_file_returns_the_rows_field_by_field(kit: AppKit, write_text, codec) -> None:
    path = write_text("课程.csv", SHEET, codec)

    rows = await kit.call("import_csv_file", filePath=str(path), encoding="ignored", fieldMapping=None)

    assert rows == WIRE_ROWS


async def test_import_file_reports_statistics_and_honours_strict_mode_and_max_rows(kit: AppKit, write_text) -> None:
    path = write_text("课程.csv", SHEET)

    result = await kit.call("import_file", filePath=str(path))
    assert result["imported_data"] == WIRE_ROWS
    assert (result["file_format"], result["encoding"]) == ("Csv", "UTF-8")
    stats = result["statistics"]
    assert (stats["total_rows"], stats["parsed_rows"], stats["skipped_rows"]) == (4, 3, 1)
    assert stats["skip_reasons"] == {"invalid_url": 1} and stats["file_size"] == path.stat().st_size

    limited = await kit.call("import_file", filePath=str(path), maxRows=2)
    assert limited["imported_data"] == WIRE_ROWS[:2]

    with pytest.raises(VdpError) as failure:
        await kit.call("import_file", filePath=str(path), strictMode=True)
    assert failure.value.message.startswith("Parsing error: File parsing failed: line 4")


async def test_the_users_mapping_is_added_to_the_built_in_aliases(kit: AppKit, write_text) -> None:
    path = write_text("custom.csv", "Serie,Lektion,Adresse\nS1,Eins,https://e.com/1.mp4\n")
    mapping = {"id": "Serie", "course_name": "Lektion", "video_url": "Adresse"}

    rows = await kit.call("import_csv_file", filePath=str(path), fieldMapping=mapping)
    custom = await kit.call("import_file", filePath=str(path), customFieldMapping={k: [v] for k, v in mapping.items()})

    expected = [record("S1", None, None, "Eins", "https://e.com/1.mp4").model_dump(mode="json")]
    assert rows == expected and custom["imported_data"] == expected


async def test_every_sheet_of_a_workbook_is_imported_with_the_sheet_name_as_column_name(
        kit: AppKit, write_xlsx) -> None:
    path = write_xlsx("courses.xlsx", {
        "Python课程": [CHINESE_HEADER, [1, None, 11, "第一课", "https://e.com/py/1.mp4"]],
        "Data": [["record_url", "Column Name", "kc_name"], ["https://e.com/ds/1.mp4", "数据结构", "二叉树"]],
    })

    rows = await kit.call("import_excel_file", filePath=str(path), sheetName=None)
    preview = await kit.call("preview_import_data", filePath=str(path), maxRows=0)

    assert rows == [record("1", "Python课程", "11", "第一课", "https://e.com/py/1.mp4").model_dump(mode="json"),
                    record(None, "数据结构", None, "二叉树", "https://e.com/ds/1.mp4").model_dump(mode="json")]
    assert preview["headers"] == CHINESE_HEADER and preview["total_rows"] == 1  # the first sheet only
    assert preview["encoding"] == "UTF-8"


async def test_supported_formats_are_the_originals(kit: AppKit) -> None:
    formats = await kit.call("get_supported_formats")

    assert [(f["name"], f["extensions"], f["supports_multiple_sheets"]) for f in formats["formats"]] == [
        ("CSV", ["csv", "tsv", "txt"], False), ("Excel", ["xlsx", "xls", "ods"], True)]
    assert {"UTF-8", "GBK", "Big5", "Shift-JIS"} <= set(formats["encodings"])


async def test_bad_input_gets_the_importers_message(kit: AppKit, write_text, tmp_path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(VdpError) as failure:
        await kit.call("import_file", filePath=str(missing))
    assert failure.value.message == f"IO error: File not found: {missing}"

    with pytest.raises(VdpError) as failure:
        await kit.call("preview_import_data", filePath=str(write_text("fake.xlsx", "not a workbook")))
    assert failure.value.message.startswith("Parsing error: Failed to preview file: ")

    with pytest.raises(VdpError) as failure:
        await kit.call("import_tasks_and_enqueue", filePath=str(missing), layout="sideways")
    assert failure.value.message.startswith("Invalid arguments for import_tasks_and_enqueue: layout")


async def test_a_file_with_too_many_rows_is_refused_and_creates_nothing(kit: AppKit, tmp_path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("url\n" + "https://e.com/v.mp4\n" * 200_001, encoding="utf-8")

    with pytest.raises(VdpError) as failure:
        await kit.call("import_tasks_and_enqueue", filePath=str(path))

    assert failure.value.message == (
        "Parsing error: File parsing failed: the file has more than 200,000 data rows; split it into smaller files")
    assert await kit.call("get_download_tasks") == []
