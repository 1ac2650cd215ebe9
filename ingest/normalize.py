"""The one text normalisation every reader applies.

Not NFKC: NFKC turns m³ into m3 and ℃ into °C, which changes units a reviewer
reads. We fold only what breaks matching: full-width ASCII (９５％ -> 95%),
the ideographic space, Kangxi radicals and CJK radical supplements that some
PDF fonts emit instead of the ordinary characters (⼀ U+2F00 -> 一), and stray
control characters.
"""
from __future__ import annotations

import re
import unicodedata

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
del _FULLWIDTH[0xFF0C]     # the Chinese comma ， stays (see below); "，" -> "," would be a CJK-text change


def _radical_map() -> dict[int, int]:
    # Kangxi radicals (U+2F00–2FDF) and CJK radicals supplement (U+2E80–2EFF)
    # decompose to ordinary unified ideographs under NFKC; take only those.
    table = {}
    for cp in list(range(0x2F00, 0x2FE0)) + list(range(0x2E80, 0x2F00)):
        ch = chr(cp)
        target = unicodedata.normalize("NFKC", ch)
        if target != ch and len(target) == 1:
            table[cp] = ord(target)
    return table


_TABLE = {**_FULLWIDTH, **_radical_map()}
# Characters full-width folding would wrongly turn into ASCII in CJK text are kept:
# the full-width parentheses and colon are folded too (headings use both forms and
# matching treats them alike); Chinese punctuation such as 、。，“” is untouched.
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\ufeff\u00ad]")


def _char_class(codepoints) -> str:
    """A regular-expression class of the code points, as ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)


# Every character normalize_text changes: its folding table and the control characters it
# drops. Most text holds none, and one search for them is many times cheaper than
# translate()'s lookup of every character.
_CHANGED = re.compile(f"[{_char_class(_TABLE)}]|{_CONTROL.pattern}")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef，。、；：？！“”‘’（）《》【】"
# A space between two CJK characters (or CJK and CJK punctuation) is an artefact
# of PDF text extraction or of letter-spaced headings ("企 业 简 况"), never meaning.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t]+(?=[{_CJK}{_CJK_PUNCT}])")


_SPACE_RUN = re.compile(r"[ \t]{2,}")


def normalize_text(text: str) -> str:
    """Fold look-alikes to ordinary characters; keep m³, ℃, ‰ and Chinese punctuation."""
    if not _CHANGED.search(text):
        return text
    return _CONTROL.sub("", text.translate(_TABLE))


def close_cjk_gaps(text: str) -> str:
    """Remove spaces that stand between two CJK characters."""
    if " " not in text and "\t" not in text:
        return text
    return _CJK_GAP.sub("", text)


def clean_line(text: str) -> str:
    """normalize_text, close CJK gaps, fold runs of spaces, strip."""
    text = close_cjk_gaps(normalize_text(text))
    return _SPACE_RUN.sub(" ", text).strip()
