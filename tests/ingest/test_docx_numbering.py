"""Number formats and counter rules of ingest.docx_numbering, without a file."""
from lxml import etree

from ingest.docx_numbering import Numbering, chinese_number, format_number
from ingest.docx_styles import StyleSheet

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_chinese_counting():
    expected = {1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十",
                21: "二十一", 99: "九十九", 100: "一百", 101: "一百零一", 110: "一百一十",
                1005: "一千零五", 10001: "一万零一"}
    for n, text in expected.items():
        assert chinese_number(n) == text, n
        assert format_number(n, "chineseCounting") == text
        assert format_number(n, "chineseCountingThousand") == text


def test_other_formats():
    assert format_number(1, "ideographTraditional") == "甲"
    assert format_number(10, "ideographTraditional") == "癸"
    assert format_number(1, "decimalEnclosedCircle") == "①"
    assert format_number(20, "decimalEnclosedCircle") == "⑳"
    assert format_number(21, "decimalEnclosedCircle") == "21"
    assert format_number(3, "upperLetter") == "C"
    assert format_number(27, "upperLetter") == "AA"
    assert format_number(2, "lowerLetter") == "b"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(14, "lowerRoman") == "xiv"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(7, "decimal") == "7"
    assert format_number(3, "decimalZero") == "03"
    assert format_number(5, "none") == ""
    assert format_number(11, "chineseLegalSimplified") == "壹拾壹"
    assert format_number(8, "someFutureFormat") == "8"


def _numbering(body: str) -> Numbering:
    root = etree.fromstring(f'<w:numbering xmlns:w="{W_NS}">{body}</w:numbering>')
    return Numbering(root, StyleSheet())


def _lvl(ilvl, fmt, text, start=1, extra=""):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def test_counters_reset_lower_levels_and_render_patterns():
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%1.%2")
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    seq = [(0,), (1,), (1,), (0,), (1,)]
    labels = [numbering.advance("1", lv[0]) for lv in seq]
    # %1 of "%1.%2" keeps level 0's own format (chineseCounting) unless isLgl
    assert labels == [("一、", ""), ("一.1", " "), ("一.2", " "), ("二、", ""), ("二.1", " ")]


def test_is_legal_makes_all_levels_decimal():
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%1.%2", extra="<w:isLgl/>")
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    numbering.advance("1", 0)
    numbering.advance("1", 0)
    assert numbering.advance("1", 1) == ("2.1", " ")


def test_unknown_num_and_bullets_give_no_label():
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="0">' + _lvl(0, "bullet", "\u2022")
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    assert numbering.advance("1", 0) is None
    assert numbering.advance("99", 0) is None
    assert numbering.advance("1", 5) is None


def test_suffix_space_and_nothing():
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl(0, "decimal", "%1.", extra='<w:suff w:val="space"/>')
        + _lvl(1, "decimal", "%1.%2", extra='<w:suff w:val="nothing"/>')
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    assert numbering.advance("1", 0) == ("1.", " ")
    assert numbering.advance("1", 1) == ("1.1", "")
