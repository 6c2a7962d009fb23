"""parse and preview of CSV/TSV/TXT files in several encodings and delimiters, checked field by field."""

from __future__ import annotations

import pytest

from tests.importers.importer_samples import record
from vdp.contract import FileFormat
from vdp.errors import VdpError
from vdp.importers import ImportLimits, parse, preview

SHEET = (
    "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"
    "1,Python入门,11,第一课 变量,https://cdn.example.com/py/1.mp4\n"
    "1,Python入门,11,第一课 变量,https://cdn.example.com/py/1.mp4\n"  # a duplicate row: kept, reconciled later
    ",,12,第二课 循环,https://cdn.example.com/py/2.mp4\n"  # empty cells become null
    "2,数据结构,21,二叉树,ftp://files.example.com/tree.mp4\n"
    "2,数据结构,22,链表,\n"
    ",,,,\n"
    "\n"  # a blank line is no row at all
    "3,算法,31,排序,https://cdn.example.com/algo/sort.m3u8?token=a%20b\n"
)
EXPECTED = [
    record("1", "Python入门", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"),
    record("1", "Python入门", "11", "第一课 变量", "https://cdn.example.com/py/1.mp4"),
    record(None, None, "12", "第二课 循环", "https://cdn.example.com/py/2.mp4"),
    record("3", "算法", "31", "排序", "https://cdn.example.com/algo/sort.m3u8?token=a%20b"),
]


@pytest.mark.parametrize(
    ("codec", "reported"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("gbk", "GBK"), ("utf-16", "UTF-16LE"), ("utf-16-be", "UTF-16BE")],
)
def test_chinese_csv_in_each_encoding(write_text, codec, reported):
    path = write_text("课程.csv", SHEET, codec)

    result = parse(path)

    assert result.imported_data == EXPECTED
    assert (result.file_format, result.encoding) == (FileFormat.CSV, reported)
    stats = result.statistics
    assert (stats.total_rows, stats.parsed_rows, stats.skipped_rows) == (7, 4, 3)
    assert stats.skip_reasons == {"invalid_url": 1, "missing_url": 1, "empty_row": 1}
    assert stats.file_size == path.stat().st_size


def test_big5_with_traditional_headers_mapped_by_the_user(write_text):
    # Big5 cannot spell the simplified built-in aliases, so the user maps the traditional headers.
    text = "專欄ID,專欄名稱,課程ID,課程名稱,視頻鏈接\n7,程式設計,71,第一課 變數,https://cdn.example.com/tw/1.mp4\n"
    mapping = {"column_id": "專欄ID", "name": "專欄名稱", "course_id": "課程ID", "course_name": "課程名稱",
               "url": "視頻鏈接"}

    result = parse(write_text("tw.csv", text, "big5"), field_mapping=mapping)

    assert result.encoding == "Big5"
    assert result.imported_data == [record("7", "程式設計", "71", "第一課 變數", "https://cdn.example.com/tw/1.mp4")]


def test_big5_without_a_mapping_has_no_url_column(write_text):
    text = "專欄ID,視頻鏈接\n7,https://cdn.example.com/tw/1.mp4\n"

    result = parse(write_text("tw.csv", text, "big5"))

    assert result.imported_data == []
    assert result.statistics.skip_reasons == {"missing_url": 1}


@pytest.mark.parametrize(
    ("name", "delimiter"), [("semi.csv", ";"), ("tabs.tsv", "\t"), ("pipes.txt", "|"), ("tabs.csv", "\t")]
)
def test_delimiter_is_detected(write_text, name, delimiter):
    rows = [
        ["zl_id", "zl_name", "kc_id", "kc_name", "record_url"],
        ["5", '"Intro, part 1"', "51", '"Hello; world | tab\there"', "https://e.com/a.mp4"],
        ["5", "Intro", "52", "Second", "https://e.com/b.mp4"],
    ]
    text = "".join(delimiter.join(row) + "\r\n" for row in rows)

    result = parse(write_text(name, text))

    assert result.imported_data == [
        record("5", "Intro, part 1", "51", "Hello; world | tab\there", "https://e.com/a.mp4"),
        record("5", "Intro", "52", "Second", "https://e.com/b.mp4"),
    ]


def test_headers_match_case_insensitively_and_trimmed(write_text):
    text = " Column ID ,COLUMNNAME,Course Id, TITLE ,  Link\n9, Col ,91, Lesson ,  https://e.com/v.mp4  \n"

    result = parse(write_text("en.csv", text))

    assert result.imported_data == [record("9", "Col", "91", "Lesson", "https://e.com/v.mp4")]


def test_custom_mapping_adds_to_the_aliases_and_wins_over_them(write_text):
    # 标题 is a built-in course_name alias, but this user says it holds the URL; 地址 is a second URL column.
    text = "系列,标题,地址,课程名称\nS1,https://e.com/1.mp4,,第一课\nS2,,https://e.com/2.mp4,第二课\n"
    mapping = {"name": ["系列"], "video_url": ["标题", "地址"], "unknown_key": ["课程名称"]}

    result = parse(write_text("custom.csv", text), field_mapping=mapping)

    assert result.imported_data == [
        record(None, "S1", None, "第一课", "https://e.com/1.mp4"),
        record(None, "S2", None, "第二课", "https://e.com/2.mp4"),
    ]


def test_the_first_non_empty_url_column_wins(write_text):
    text = "url,链接\n,https://e.com/second.mp4\nhttps://e.com/first.mp4,https://e.com/ignored.mp4\n"

    result = parse(write_text("two-urls.csv", text))

    assert [row.url for row in result.imported_data] == ["https://e.com/second.mp4", "https://e.com/first.mp4"]


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("HTTPS://EXAMPLE.COM/A.MP4", True),
        ("http://127.0.0.1:8080/a.mp4", True),
        ("https://例子.中国/视频 1.mp4", True),
        ("www.example.com/a.mp4", False),
        ("ftp://example.com/a.mp4", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("https://example.com:99999/a", False),
        ("http://[::1/a", False),
        ("https://example.com/a\x07b", False),
        ("https://example.com/" + "a" * 9000, False),
    ],
)
def test_url_validation(write_text, url, valid):
    result = parse(write_text("urls.csv", f"url\n\"{url}\"\n"))

    assert result.statistics.parsed_rows == int(valid)
    assert result.statistics.skip_reasons == ({} if valid else {"invalid_url": 1})


def test_strict_mode_stops_at_the_first_bad_row(write_text):
    path = write_text("strict.csv", SHEET)

    with pytest.raises(VdpError) as error:
        parse(path, strict=True)

    assert str(error.value) == (
        "Parsing error: File parsing failed: line 5: the video URL is not a valid http(s) URL"
    )


def test_strict_mode_refuses_text_that_does_not_decode(write_text):
    # UTF-8 for the whole detection sample, then a stray Latin-1 byte.
    path = write_text("mixed.csv", "url,zl_name\n" + "https://e.com/a.mp4,好\n" * 4000)
    path.write_bytes(path.read_bytes() + "https://e.com/b.mp4,caf\xe9\n".encode("latin-1"))

    with pytest.raises(VdpError, match=r"^Parsing error: File parsing failed: the file is not valid UTF-8 text"):
        parse(path, strict=True)
    lenient = parse(path)
    assert lenient.statistics.parsed_rows == 4001
    assert lenient.imported_data[-1].name == "caf\ufffd"


def test_max_rows_reads_no_further(write_text):
    result = parse(write_text("cap.csv", SHEET), max_rows=3)

    assert result.imported_data == EXPECTED[:3]
    assert result.statistics.total_rows == 3


def test_a_giant_cell_skips_only_its_row(write_text):
    giant = "x" * (64 * 1024 + 1)
    text = f"name,url\nok,https://e.com/1.mp4\n{giant},https://e.com/2.mp4\nok,https://e.com/3.mp4\n"

    result = parse(write_text("giant.csv", text))

    assert [row.url for row in result.imported_data] == ["https://e.com/1.mp4", "https://e.com/3.mp4"]
    assert result.statistics.skip_reasons == {"cell_too_large": 1}


def test_a_giant_line_is_skipped_unread(write_text):
    text = f"name,url\nok,https://e.com/1.mp4\n{'y' * 5000},https://e.com/2.mp4\nok,https://e.com/3.mp4\n"

    result = parse(write_text("line.csv", text), limits=ImportLimits(max_row_chars=1000))

    assert [row.url for row in result.imported_data] == ["https://e.com/1.mp4", "https://e.com/3.mp4"]
    assert result.statistics.skip_reasons == {"row_too_large": 1}


def test_a_giant_quoted_multiline_cell_does_not_stop_the_import(write_text):
    giant = "\n".join(["z" * 1000] * 200)  # past the csv module's own field limit
    text = f'name,id,url\nok,1,https://e.com/1.mp4\n"{giant}",2,https://e.com/2.mp4\nok,3,https://e.com/3.mp4\n'

    result = parse(write_text("quoted.csv", text))

    assert [row.url for row in result.imported_data] == ["https://e.com/1.mp4", "https://e.com/3.mp4"]
    assert result.statistics.skip_reasons["cell_too_large"] == 1


def test_too_many_rows_is_refused(write_text):
    text = "url\n" + "https://e.com/v.mp4\n" * 51
    limits = ImportLimits(max_rows=50)
    path = write_text("many.csv", text)

    with pytest.raises(VdpError) as parse_error:
        parse(path, limits=limits)
    with pytest.raises(VdpError) as preview_error:
        preview(path, limits=limits)

    why = "the file has more than 50 data rows; split it into smaller files"
    assert str(parse_error.value) == f"Parsing error: File parsing failed: {why}"
    assert str(preview_error.value) == f"Parsing error: Failed to preview file: {why}"
    assert parse(path, limits=ImportLimits(max_rows=51)).statistics.parsed_rows == 51


def test_a_file_over_the_size_limit_is_refused(write_text):
    path = write_text("big.csv", "url\n" + "https://e.com/v.mp4\n" * 100)

    with pytest.raises(VdpError, match=r"^Parsing error: File parsing failed: the file is .* MiB; text files"):
        parse(path, limits=ImportLimits(max_text_bytes=1000))


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "missing.csv"
    for operation in (parse, preview):
        with pytest.raises(VdpError) as error:
            operation(missing)
        assert str(error.value) == f"IO error: File not found: {missing}"
    with pytest.raises(VdpError, match=r"^IO error: Is a directory"):
        parse(tmp_path)


def test_empty_file_parses_to_nothing(write_text):
    result = parse(write_text("empty.csv", ""))

    assert result.imported_data == []
    assert result.statistics.total_rows == 0


def test_preview(write_text):
    text = (
        "专栏ID,,课程ID,课程名称,视频链接\n"
        "1,A,11,第一课,https://e.com/1.mp4,extra\n"
        ",,,,\n"
        "2,B,21,第二课,https://e.com/2.mp4\n"
        "3\n"
    )

    result = preview(write_text("p.csv", text, "gbk"), max_rows=2)

    assert result.headers == ["专栏ID", "Column 2", "课程ID", "课程名称", "视频链接", "Column 6"]
    assert result.rows == [
        ["1", "A", "11", "第一课", "https://e.com/1.mp4", "extra"],
        ["2", "B", "21", "第二课", "https://e.com/2.mp4", ""],
    ]
    assert result.total_rows == 3
    assert result.encoding == "GBK"
    assert result.field_mapping == {
        "专栏ID": "column_id", "课程ID": "course_id", "课程名称": "course_name", "视频链接": "video_url",
    }


def test_preview_shows_ten_rows_when_asked_for_none(write_text):
    path = write_text("many.csv", "url\n" + "".join(f"https://e.com/{n}.mp4\n" for n in range(25)))

    result = preview(path, max_rows=0)

    assert len(result.rows) == 10
    assert result.total_rows == 25


def test_preview_of_an_empty_file_offers_the_default_headers(write_text):
    result = preview(write_text("empty.csv", ""))

    assert result.headers == ["专栏ID", "专栏名称", "课程ID", "课程名称", "视频链接"]
    assert (result.rows, result.total_rows, result.encoding) == ([], 0, "UTF-8")
    assert result.field_mapping["视频链接"] == "video_url"


def test_quoted_cells_may_span_lines_and_hold_quotes(write_text):
    text = (
        "kc_name,record_url\n"
        '"Lesson ""one""\nsecond line, still the name",https://e.com/1.mp4\n'
        'Say "hi" here,https://e.com/2.mp4\n'  # a quote inside an unquoted cell is just a character
        '"""quoted"" start",https://e.com/3.mp4\n'
    )

    result = parse(write_text("quotes.csv", text))

    assert [(row.kc_name, row.url) for row in result.imported_data] == [
        ('Lesson "one"\nsecond line, still the name', "https://e.com/1.mp4"),
        ('Say "hi" here', "https://e.com/2.mp4"),
        ('"quoted" start', "https://e.com/3.mp4"),
    ]


def test_an_oversized_multiline_record_is_skipped_and_reading_resumes_after_it(write_text):
    long_cell = "\n".join(["w" * 100] * 30)  # 3 KiB over 30 lines, with a quote pair and a comma inside
    text = f'kc_name,record_url\nok,https://e.com/1.mp4\n"{long_cell}"" ,x",https://e.com/2.mp4\nok,https://e.com/3.mp4\n'

    result = parse(write_text("long-record.csv", text), limits=ImportLimits(max_row_chars=1000))

    assert [row.url for row in result.imported_data] == ["https://e.com/1.mp4", "https://e.com/3.mp4"]
    assert result.statistics.skip_reasons == {"row_too_large": 1}
