"""detect_encoding on real files: BOMs, UTF-16 without BOM, UTF-8, and the short Chinese files generic detectors
miss."""

from __future__ import annotations

import codecs

import pytest

from vdp.errors import VdpError
from vdp.importers import detect_encoding

HEADER = "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"
ROWS = (
    "1,Python入门,11,第一课 变量与类型,https://cdn.example.com/py/1.mp4\n"
    "1,Python入门,12,第二课 条件和循环,https://cdn.example.com/py/2.mp4\n"
    "2,数据结构,21,二叉树的遍历,https://cdn.example.com/ds/1.mp4\n"
)
TRADITIONAL = (
    "專欄ID,專欄名稱,課程ID,課程名稱,視頻鏈接\n"
    "1,程式設計入門,11,第一課 變數與型別,https://cdn.example.com/1.mp4\n"
    "1,程式設計入門,12,第二課 條件與迴圈,https://cdn.example.com/2.mp4\n"
)
JAPANESE = (
    "講座ID,講座名,コースID,コース名,動画リンク\n"
    "1,プログラミング入門,11,第一回 変数について,https://cdn.example.com/1.mp4\n"
)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16LE"), ("utf-16-be", "UTF-16BE")],
)
def test_a_bom_is_certain(write_text, encoding, expected):
    text = HEADER + ROWS
    data = codecs.BOM_UTF16_BE + text.encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)
    path = write_text("bom.csv", "")
    path.write_bytes(data)

    detection = detect_encoding(path)

    assert (detection.encoding, detection.confidence) == (expected, 1.0)


@pytest.mark.parametrize(("codec", "expected"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_utf16_without_bom_is_recognised_by_its_zero_bytes(write_text, codec, expected):
    detection = detect_encoding(write_text("u16.csv", HEADER + ROWS, codec))

    assert detection.encoding == expected
    assert 0.8 <= detection.confidence < 1.0


def test_ascii_is_utf8_with_full_confidence(write_text):
    detection = detect_encoding(write_text("ascii.csv", "url\nhttps://example.com/a.mp4\n", "ascii"))

    assert (detection.encoding, detection.confidence, detection.language) == ("UTF-8", 1.0, None)


def test_chinese_utf8(write_text):
    detection = detect_encoding(write_text("utf8.csv", HEADER + ROWS))

    assert detection.encoding == "UTF-8"
    assert detection.confidence == 0.99


def test_utf8_cut_by_the_sample_end_is_still_utf8(write_text):
    # The 64 KiB sample ends inside the three bytes of 中: that is not a decoding error.
    prefix = "url,名称\n"  # 11 bytes
    text = prefix + "a" * (65535 - 11) + "中文,https://example.com/x.mp4\n"
    path = write_text("long.csv", text)
    assert path.read_bytes()[65535] >= 0x80  # the boundary really splits a character

    assert detect_encoding(path).encoding == "UTF-8"


def test_a_stray_byte_in_utf8_text_lowers_confidence_but_stays_utf8(write_text):
    path = write_text("stray.csv", HEADER + ROWS * 20)
    path.write_bytes(path.read_bytes() + "2,caf\xe9,99,x,https://e.com/x.mp4\n".encode("cp1252"))

    detection = detect_encoding(path)

    assert detection.encoding == "UTF-8"
    assert 0.5 < detection.confidence <= 0.8  # a clean UTF-8 file of the same text scores 0.99


def test_gbk_header_row_alone(write_text):
    # One short header line: valid GBK, Big5 and Shift-JIS bytes alike (charset-normalizer calls it cp949).
    detection = detect_encoding(write_text("header.csv", HEADER, "gbk"))

    assert (detection.encoding, detection.language) == ("GBK", "zh-CN")
    assert 0.5 < detection.confidence < 0.9


def test_gbk_with_rows_is_more_certain_than_the_header_alone(write_text):
    alone = detect_encoding(write_text("header.csv", HEADER, "gbk"))
    full = detect_encoding(write_text("full.csv", HEADER + ROWS, "gbk"))

    assert (full.encoding, full.language) == ("GBK", "zh-CN")
    assert alone.confidence < full.confidence <= 0.99


def test_two_ambiguous_words_give_low_confidence(write_text):
    # 名称,链接 in GBK is also common Big5 text: the guess stays GBK but says it is unsure.
    detection = detect_encoding(write_text("tiny.csv", "名称,链接\n", "gbk"))

    assert detection.encoding == "GBK"
    assert detection.confidence < 0.5


def test_gb18030_only_characters(write_text):
    row = "1,表情😀专栏,11,第一课,https://e.com/a\n"
    detection = detect_encoding(write_text("gb18030.csv", HEADER + row, "gb18030"))

    assert (detection.encoding, detection.language) == ("GB18030", "zh-CN")


def test_big5(write_text):
    detection = detect_encoding(write_text("big5.csv", TRADITIONAL, "big5"))

    assert (detection.encoding, detection.language) == ("Big5", "zh-TW")
    assert detection.confidence > 0.8


def test_shift_jis(write_text):
    detection = detect_encoding(write_text("sjis.csv", JAPANESE, "shift_jis"))

    assert (detection.encoding, detection.language) == ("Shift_JIS", "ja")
    assert detection.confidence > 0.8


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("name,url\nCafé crème à la française,https://e.com/a.mp4\nNaïve façade,https://e.com/b.mp4\n", "cp1252"),
        ("nazwa,url\nZażółć gęślą jaźń – źródło,https://e.com/a.mp4\nŚwięto łąki,https://e.com/b.mp4\n", "cp1250"),
    ],
)
def test_western_legacy_text_falls_back_to_the_generic_detector(write_text, text, codec):
    path = write_text("latin.csv", text, codec)

    detection = detect_encoding(path)

    assert detection.encoding not in ("UTF-8", "GBK", "GB18030", "Big5", "Shift_JIS")
    assert path.read_bytes().decode(detection.encoding) == text
    assert 0 < detection.confidence <= 0.6


def test_empty_file_is_utf8(write_text):
    assert detect_encoding(write_text("empty.csv", "")).encoding == "UTF-8"


def test_a_workbook_reports_utf8(write_xlsx):
    detection = detect_encoding(write_xlsx("book.xlsx", {"S": [["url"], ["https://e.com/a"]]}))

    assert (detection.encoding, detection.confidence) == ("UTF-8", 1.0)


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.csv"

    with pytest.raises(VdpError) as error:
        detect_encoding(missing)

    assert str(error.value) == f"IO error: File not found: {missing}"
