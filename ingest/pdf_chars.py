"""PDF characters -> text lines: duplicate removal, line grouping, spacing.

Works on pdfplumber's char dicts (x0, x1, top, bottom, doctop, size, fontname,
upright, text). Kept apart from the reader so the rules for what counts as one
line and where a space goes can be read and tested on their own.

The per-character loops of dedupe_chars and group_lines run in C (`ingest._lines_fast`,
built by setup.py) when it is built; the Python functions here (`_dedupe_chars_python`,
`_group_lines_python`) are the fallback and the reference it is tested against, and they
take every page the C code does not take exactly as they would (odd types, NaN).
CPSCREEN_NO_CEXT=1 switches the C path off.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from .cext import import_extension
from .normalize import clean_line

# pdfminer writes "(cid:123)" for a glyph it cannot map to Unicode.
CID_PREFIX = "(cid:"


@dataclass
class Line:
    """One visual line of text (already through clean_line)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float          # dominant character size, rounded to 0.5 pt
    fontname: str        # dominant font, subset prefix removed
    fake_bold: bool      # most characters drawn twice with a small offset
    n_chars: int         # visible characters (no spaces)


def is_cid(char: dict) -> bool:
    return char["text"].startswith(CID_PREFIX)


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> tuple[list[dict], set[int]]:
    """Drop characters drawn twice at (almost) the same place; return (kept, fake_bold_ids).

    See _dedupe_chars_python, the rule itself."""
    if _fast is not None:
        done = _fast.dedupe_chars(chars, tolerance)
        if done is not None:
            return done
    return _dedupe_chars_python(chars, tolerance)


def _dedupe_chars_python(chars: list[dict], tolerance: float = 1.0) -> tuple[list[dict], set[int]]:
    """Drop characters drawn twice at (almost) the same place; return (kept, fake_bold_ids).

    Same rule as pdfplumber's `Page.dedupe_chars()` (same text, upright, font and
    size; within `tolerance` in doctop and x0), but pdfplumber restores the order
    with `chars.index`, which is quadratic in the characters on a page; this keeps
    the original index instead. A kept character whose twin sits at a small but
    non-zero offset was fake-bolded (drawn twice, shifted); its id() is returned
    so the line can be marked bold.
    """
    groups: dict[tuple, list[int]] = {}
    for i, ch in enumerate(chars):
        key = (ch["upright"], ch["text"], ch["fontname"], ch["size"])
        members = groups.get(key)
        if members is None:
            groups[key] = [i]
        else:
            members.append(i)
    dropped: set[int] = set()
    fake_bold: set[int] = set()
    doctop = None
    for members in groups.values():
        if len(members) == 1:
            continue          # most characters: nothing like them anywhere on the page
        if doctop is None:
            doctop = [ch["doctop"] for ch in chars]
        for y_cluster in _index_clusters(members, doctop, tolerance):
            if len(y_cluster) == 1:
                continue      # the same character on another line
            x0 = [chars[i]["x0"] for i in y_cluster]
            at = dict(zip(y_cluster, x0))
            for x_cluster in _index_clusters(y_cluster, at, tolerance):
                if len(x_cluster) == 1:
                    continue
                # the first of (doctop, x0), ties to the first in x order (as min())
                first = min(x_cluster, key=lambda i: (doctop[i], at[i]))
                dropped.update(i for i in x_cluster if i != first)
                fy, fx = doctop[first], at[first]
                if any(abs(at[i] - fx) + abs(doctop[i] - fy) > 0.05 for i in x_cluster):
                    fake_bold.add(id(chars[first]))
    if not dropped:
        return list(chars), fake_bold
    return [ch for i, ch in enumerate(chars) if i not in dropped], fake_bold


def _index_clusters(indices: list[int], value, tolerance: float) -> list[list[int]]:
    """Sort indices by value[i] (stable); consecutive ones within tolerance share a cluster
    (as pdfplumber)."""
    ordered = sorted(indices, key=value.__getitem__)
    clusters: list[list[int]] = []
    last = None
    for i in ordered:
        v = value[i]
        if last is None or v - last > tolerance:
            clusters.append([i])
        else:
            clusters[-1].append(i)
        last = v
    return clusters


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, CJK and full-width punctuation: no spaces around them."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


# A heading number on its own, as Word lays it out before a tab.
_LABEL = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇两\d]{1,4}[章节篇部分条]|[一二三四五六七八九十]{1,3}[、.．]"
                    r"|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(?:\.\d{1,2}){0,3}[.、．]?|[①-⑳])$")

_BOLD_NAME = re.compile(r"bold|heavy|black|semibold|demibold|粗|黑|hei", re.IGNORECASE)
_HEI_NAME = re.compile(r"hei|黑", re.IGNORECASE)


@lru_cache(maxsize=512)
def font_family(fontname: str) -> str:
    """Font name without the subset prefix; GBK names that pdfminer read as Latin-1 decoded."""
    name = fontname.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", fontname) else fontname
    if any(ord(c) > 127 for c in name):
        try:
            name = name.encode("latin-1").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


@lru_cache(maxsize=512)
def bold_by_name(fontname: str) -> bool:
    return bool(_BOLD_NAME.search(font_family(fontname)))


@lru_cache(maxsize=512)
def is_hei_only(fontname: str) -> bool:
    """A Hei (黑体) face without an explicit bold weight: bold only when it is not the body font."""
    fam = font_family(fontname)
    return bool(_HEI_NAME.search(fam)) and not re.search(r"bold|heavy|black|粗", fam, re.IGNORECASE)


_WIDE: dict[str, bool] = {}
_HALF: dict[float, float] = {}     # size -> size rounded to 0.5 pt


def _wide(ch: str) -> bool:
    hit = _WIDE.get(ch)
    if hit is None:
        hit = _WIDE[ch] = is_wide(ch)
    return hit


# _LABEL matches at most 12 characters after leading white space (and a final newline)
_LABEL_MAX = 13


def group_lines(chars: list[dict], fake_bold: set[int]) -> list[Line]:
    """Group upright characters into visual lines, top to bottom (see _group_lines_python)."""
    if _fast is not None:
        done = _fast.group_lines(chars, fake_bold)
        if done is not None:
            return done
    return _group_lines_python(chars, fake_bold)


def _group_lines_python(chars: list[dict], fake_bold: set[int]) -> list[Line]:
    """Group upright characters into visual lines, top to bottom.

    A character joins the current line when it overlaps the line's vertical band
    by at least half of the smaller height; superscripts (m³) overlap enough.
    """
    rows: list[list[dict]] = []
    band_top = band_bottom = 0.0
    ordered = sorted(chars, key=_top_x0)
    for ch, (top, bottom) in zip(ordered, map(_TOP_BOTTOM, ordered)):
        h = bottom - top
        if 0.1 > h:           # max(h, 0.1)
            h = 0.1
        if rows:
            # min(band_bottom, bottom) - max(band_top, top) >= 0.5 * min(h, band height)
            lo = bottom if bottom < band_bottom else band_bottom
            hi = top if top > band_top else band_top
            band_h = band_bottom - band_top
            if lo - hi >= 0.5 * (band_h if band_h < h else h):
                row.append(ch)
                if top < band_top:
                    band_top = top
                if bottom > band_bottom:
                    band_bottom = bottom
                continue
        row = [ch]
        rows.append(row)
        band_top, band_bottom = top, bottom
    lines = []
    for row in rows:
        line = _make_line(row, fake_bold)
        if line is not None:
            lines.append(line)
    return lines


_top_x0 = itemgetter("top", "x0")
_x0 = itemgetter("x0")
_TOP_BOTTOM = itemgetter("top", "bottom")
# the fields _make_line reads, taken from a char dict in one C call
_LINE_FIELDS = itemgetter("text", "x0", "x1", "top", "bottom", "size", "fontname")


def _make_line(row: list[dict], fake_bold: set[int]) -> Line | None:
    row.sort(key=_x0)
    parts: list[str] = []
    sizes: dict[float, int] = {}
    fonts: dict[str, int] = {}
    n_bold = 0
    label_possible = True      # can the text so far still be a heading number alone?
    x0 = x1 = top = bottom = None
    wide_of, half_of = _WIDE, _HALF
    prev_text = ""
    prev_x1 = prev_size = 0.0
    first = True
    for ch, (text, cx0, cx1, ctop, cbottom, csize, font) in zip(row, map(_LINE_FIELDS, row)):
        # parts[-1] is always the previous character's text (a space goes in before a text)
        if not first and text != " " and prev_text != " ":
            a, b = prev_text[-1:], text[:1]
            if a and b:
                gap = cx0 - prev_x1
                size = prev_size if prev_size < csize else csize    # min(), ties as min()
                if size < 1.0:
                    size = 1.0
                wide = wide_of.get(a)
                if wide is None:
                    wide = _wide(a)
                if not wide:
                    wide = wide_of.get(b)
                    if wide is None:
                        wide = _wide(b)
                # Latin words are ~0.25 em apart; CJK text is set solid or with
                # justification/autospace gaps well under one em.
                # The tab after a heading number ("1.<tab>生产工艺") is layout, not text.
                if gap > (1.0 if wide else 0.2) * size:
                    label = False
                    if label_possible:
                        so_far = "".join(parts)
                        if len(so_far.lstrip()) > _LABEL_MAX:
                            label_possible = False     # the text only grows
                        else:
                            label = _LABEL.match(so_far) is not None
                    if not label:
                        parts.append(" ")
        first = False
        parts.append(text)
        prev_text, prev_x1, prev_size = text, cx1, csize
        if text.strip():
            key = half_of.get(csize)
            if key is None:
                key = half_of[csize] = round(csize * 2) / 2
            sizes[key] = sizes.get(key, 0) + 1
            fonts[font] = fonts.get(font, 0) + 1
            if fake_bold and id(ch) in fake_bold:
                n_bold += 1
            if x0 is None:
                x0, x1, top, bottom = cx0, cx1, ctop, cbottom
            else:
                # min()/max() over the visible characters, first extreme kept
                if cx0 < x0:
                    x0 = cx0
                if cx1 > x1:
                    x1 = cx1
                if ctop < top:
                    top = ctop
                if cbottom > bottom:
                    bottom = cbottom
    n = sum(sizes.values())
    if not n:
        return None
    text = clean_line("".join(parts))
    if not text:
        return None
    return Line(
        text=text,
        x0=x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=_most_common(sizes),
        fontname=font_family(_most_common(fonts)),
        fake_bold=n_bold >= 0.6 * n,
        n_chars=n,
    )


def _most_common(counts: dict):
    """Counter.most_common(1)[0][0]: the first key (in insertion order) with the top count."""
    best, best_n = None, -1
    for key, n in counts.items():
        if n > best_n:
            best, best_n = key, n
    return best


def join_texts(parts: list[str]) -> str:
    """Join cleaned line texts: nothing between CJK, a space between Latin words.

    In mostly-Chinese text only a break between two ASCII letters/digits
    ("ISO" / "14001") gets a space: the normaliser has already folded some
    Chinese punctuation to ASCII (：-> :), which must not gain a space.
    """
    parts = [p for p in parts if p]
    if not parts:
        return ""
    chinese = _count_wide(parts) > 0.3 * sum(map(len, parts))
    out = parts[0]
    for part in parts[1:]:
        a, b = out[-1], part[0]
        if _wide(a) or _wide(b):
            sep = ""
        elif chinese:
            sep = " " if _ascii_alnum(a) and _ascii_alnum(b) else ""
        else:
            sep = "" if a in "-/" else " "
        out += sep + part
    return out


def _count_wide(parts: list[str]) -> int:
    """How many characters of the parts are wide: a lookup per character in the cache that
    _make_line has filled (the characters of a line have all been looked at by then)."""
    text = "".join(parts)
    try:
        return sum(map(_WIDE.__getitem__, text))
    except KeyError:
        for ch in set(text):
            _wide(ch)
        return sum(map(_WIDE.__getitem__, text))


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _load_fast():
    """ingest._lines_fast bound to this module's rules, or None: not built, or switched off."""
    fast = import_extension("_lines_fast")
    if fast is None:
        return None
    fast.configure(_LABEL.match, _LABEL_MAX, _WIDE, _wide, clean_line, font_family, Line)
    return fast


# the C path, or None for the Python one (tests set it to None to compare the two)
_fast = _load_fast()
