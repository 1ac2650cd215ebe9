"""PDF characters -> text lines: duplicate removal, line grouping, spacing.

Works on pdfplumber's char dicts (x0, x1, top, bottom, doctop, size, fontname,
upright, text). Kept apart from the reader so the rules for what counts as one
line and where a space goes can be read and tested on their own.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

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

    Same rule as pdfplumber's `Page.dedupe_chars()` (same text, upright, font and
    size; within `tolerance` in doctop and x0), but pdfplumber restores the order
    with `chars.index`, which is quadratic in the characters on a page; this keeps
    the original index instead. A kept character whose twin sits at a small but
    non-zero offset was fake-bolded (drawn twice, shifted); its id() is returned
    so the line can be marked bold.
    """
    groups: dict[tuple, list[tuple[int, dict]]] = {}
    for i, ch in enumerate(chars):
        key = (ch["upright"], ch["text"], ch["fontname"], ch["size"])
        groups.setdefault(key, []).append((i, ch))
    kept: list[tuple[int, dict]] = []
    fake_bold: set[int] = set()
    for members in groups.values():
        if len(members) == 1:
            kept.extend(members)
            continue
        for y_cluster in _chain_clusters(members, lambda m: m[1]["doctop"], tolerance):
            for x_cluster in _chain_clusters(y_cluster, lambda m: m[1]["x0"], tolerance):
                first = min(x_cluster, key=lambda m: (m[1]["doctop"], m[1]["x0"]))
                kept.append(first)
                if len(x_cluster) > 1:
                    fc = first[1]
                    if any(abs(m[1]["x0"] - fc["x0"]) + abs(m[1]["doctop"] - fc["doctop"]) > 0.05
                           for m in x_cluster):
                        fake_bold.add(id(fc))
    kept.sort(key=lambda m: m[0])
    return [m[1] for m in kept], fake_bold


def _chain_clusters(items: list, value, tolerance: float) -> list[list]:
    """Sort by value; consecutive items within tolerance share a cluster (as pdfplumber)."""
    ordered = sorted(items, key=value)
    clusters: list[list] = []
    last = None
    for item in ordered:
        v = value(item)
        if last is None or v - last > tolerance:
            clusters.append([item])
        else:
            clusters[-1].append(item)
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


def group_lines(chars: list[dict], fake_bold: set[int]) -> list[Line]:
    """Group upright characters into visual lines, top to bottom.

    A character joins the current line when it overlaps the line's vertical band
    by at least half of the smaller height; superscripts (m³) overlap enough.
    """
    rows: list[list[dict]] = []
    band_top = band_bottom = 0.0
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        h = max(ch["bottom"] - ch["top"], 0.1)
        if rows:
            overlap = min(band_bottom, ch["bottom"]) - max(band_top, ch["top"])
            if overlap >= 0.5 * min(h, band_bottom - band_top):
                rows[-1].append(ch)
                band_top = min(band_top, ch["top"])
                band_bottom = max(band_bottom, ch["bottom"])
                continue
        rows.append([ch])
        band_top, band_bottom = ch["top"], ch["bottom"]
    lines = []
    for row in rows:
        line = _make_line(row, fake_bold)
        if line is not None:
            lines.append(line)
    return lines


def _make_line(row: list[dict], fake_bold: set[int]) -> Line | None:
    row.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    prev = None
    sizes: Counter = Counter()
    fonts: Counter = Counter()
    n_bold = 0
    for ch in row:
        text = ch["text"]
        if prev is not None and text != " " and parts and parts[-1] != " ":
            gap = ch["x0"] - prev["x1"]
            size = max(min(ch["size"], prev["size"]), 1.0)
            a, b = prev["text"][-1:], text[:1]
            if a and b:
                wide = is_wide(a) or is_wide(b)
                # Latin words are ~0.25 em apart; CJK text is set solid or with
                # justification/autospace gaps well under one em.
                # The tab after a heading number ("1.<tab>生产工艺") is layout, not text.
                if gap > (1.0 if wide else 0.2) * size and not _LABEL.match("".join(parts)):
                    parts.append(" ")
        parts.append(text)
        if text.strip():
            sizes[round(ch["size"] * 2) / 2] += 1
            fonts[ch["fontname"]] += 1
            if id(ch) in fake_bold:
                n_bold += 1
        prev = ch
    n = sum(sizes.values())
    if not n:
        return None
    text = clean_line("".join(parts))
    if not text:
        return None
    visible = [c for c in row if c["text"].strip()]
    return Line(
        text=text,
        x0=min(c["x0"] for c in visible),
        x1=max(c["x1"] for c in visible),
        top=min(c["top"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=sizes.most_common(1)[0][0],
        fontname=font_family(fonts.most_common(1)[0][0]),
        fake_bold=n_bold >= 0.6 * n,
        n_chars=n,
    )


def join_texts(parts: list[str]) -> str:
    """Join cleaned line texts: nothing between CJK, a space between Latin words.

    In mostly-Chinese text only a break between two ASCII letters/digits
    ("ISO" / "14001") gets a space: the normaliser has already folded some
    Chinese punctuation to ASCII (：-> :), which must not gain a space.
    """
    parts = [p for p in parts if p]
    if not parts:
        return ""
    n_wide = sum(1 for p in parts for ch in p if is_wide(ch))
    chinese = n_wide > 0.3 * sum(len(p) for p in parts)
    out = parts[0]
    for part in parts[1:]:
        a, b = out[-1], part[0]
        if is_wide(a) or is_wide(b):
            sep = ""
        elif chinese:
            sep = " " if _ascii_alnum(a) and _ascii_alnum(b) else ""
        else:
            sep = "" if a in "-/" else " "
        out += sep + part
    return out


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
