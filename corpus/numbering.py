"""Heading numbering: the label each numbering style gives a heading.

Shared by the DOCX writer (which types the label, or leaves it to Word's
automatic numbering) and by the truth builder (which records the heading as
the Document shows it: label rendered, spaces between CJK characters removed).
"""
from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 23 -> 二十三 (Word's chineseCounting)."""
    if n <= 0 or n >= 100:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


# style -> how levels 1..3 are labelled. "auto" styles are rendered by Word from
# numbering.xml and never typed into the paragraph text.
NUMBERING = {
    "word_auto": "一、 / （一） / 1.  — Word automatic numbering through the heading styles",
    "word_auto_para": "一、 / （一） / 1.  — Word automatic numbering through paragraph numPr",
    "typed": "一、 / （一） / 1.  — typed by hand",
    "chapter": "第一章 / 第一节 / 一、  — typed",
    "chapter_decimal": "第一章 / 1.1 / 1.1.1  — typed",
    "decimal": "1 / 1.1 / 1.1.1  — typed",
    "plain": "no numbering; Word heading styles only",
    "spaced": "letter-spaced chapter titles without numbers / （一） / 1.  — typed",
}

AUTO_STYLES = {"word_auto", "word_auto_para"}


def label(style: str, counters: list[int], level: int) -> str:
    """The label of a heading at `level` (1-based) given the running counters."""
    n = counters[level - 1]
    if style in AUTO_STYLES or style == "typed":
        return [f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}."][level - 1]
    if style == "chapter":
        return [f"第{chinese_number(n)}章　", f"第{chinese_number(n)}节　", f"{chinese_number(n)}、"][level - 1]
    if style == "chapter_decimal":
        if level == 1:
            return f"第{chinese_number(n)}章　"
        return ".".join(str(c) for c in counters[:level]) + " "
    if style == "decimal":
        return ".".join(str(c) for c in counters[:level]) + " "
    if style == "spaced":
        return ["", f"（{chinese_number(n)}）", f"{n}."][level - 1]
    if style == "plain":
        return ""
    raise ValueError(f"unknown numbering style {style!r}")


def letter_space(title: str) -> str:
    return " ".join(title)


# --- how the Document shows text (the rules of docs/interfaces.md; kept
# here rather than imported so the truth does not move when a reader changes) ---
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef，。、；：？！“”‘’（）《》【】"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t]+(?=[{_CJK}{_CJK_PUNCT}])")


def shown(text: str) -> str:
    """Spaces (ideographic ones too) between CJK characters removed, runs of spaces folded.

    Full-width characters are kept as written ("（一）", "９５％"): compare truth and
    Document after passing both through ingest.normalize.normalize_text.
    """
    text = text.replace("\u3000", " ")
    text = _CJK_GAP.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
