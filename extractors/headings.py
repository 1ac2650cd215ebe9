"""Find the headings of a Chinese report, and its table of contents.

A heading is recognised by its numbering (第一章, 一、, (一), 1., 1.1, (1), ①, "1 标题"),
by a Word heading style or outline level, or, unnumbered, by formatting hints a PDF
reader leaves (bold, larger than the body, centred). What looks like a heading but is
not — a list item that is a sentence, a figure or table caption, a bare number, a
table-of-contents line — is rejected.

Levels follow the position of each numbering style: a style seen for the first time
nests under the heading before it; a style already on the current path closes the
levels below it. So 第一章 > 一、 > (一) > 1. > (1) > ① comes out as levels 1..6, and a
report that uses only 1 / 1.1 / 1.1.1 gets levels 1..3.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Document, Paragraph
from ingest.normalize import close_cjk_gaps, normalize_text

from .facts import Heading, TocEntry

_CN = "一二三四五六七八九十百零〇两"
_CN_SMALL = "一二三四五六七八九十"

# (stack key, public style, pattern). Order matters: the first pattern that matches wins.
_NUMBERING: list[tuple[str, str, re.Pattern[str]]] = [
    (key, style, re.compile(pattern)) for key, style, pattern in [
        ("chapter:篇", "chapter", rf"^第\s*[{_CN}\d]{{1,4}}\s*篇"),
        ("chapter:部分", "chapter", rf"^第\s*[{_CN}\d]{{1,4}}\s*部分"),
        ("chapter:章", "chapter", rf"^第\s*[{_CN}\d]{{1,4}}\s*章"),
        ("chapter:节", "chapter", rf"^第\s*[{_CN}\d]{{1,4}}\s*节"),
        ("cn", "cn", rf"^[{_CN_SMALL}]{{1,3}}\s*[、.]"),
        ("cn_paren", "cn_paren", rf"^[(（]\s*[{_CN_SMALL}]{{1,3}}\s*[)）]\s*[、.]?"),
        ("arabic_paren", "arabic_paren", r"^[(（]\s*\d{1,2}\s*[)）]\s*[、.]?"),
        ("decimal_multi", "decimal_multi",
         r"^\d{1,2}(?:\.\d{1,2}){1,3}(?![\d%％])(?!\s*[万亿千百吨元个米倍台套次人名项tmkKgWh])\.?"),
        ("decimal", "decimal", r"^\d{1,2}\s*[.、](?![\d%％])"),
        ("arabic_half", "arabic_paren", r"^\d{1,2}[)）]"),
        ("circled", "circled", r"^[\u2460-\u2473]"),
        # "1 标题" and "一 企业简况": a number, a space, then a word (not a unit or year).
        ("decimal", "decimal", r"^\d{1,2}\s+(?=[\u4e00-\u9fff])(?![年月日个万元吨项台套次人名家条%])"),
        ("cn", "cn", rf"^[{_CN_SMALL}]{{1,3}}\s+(?=[\u4e00-\u9fff])"),
    ]
]

# Canonical order of the styles that are unambiguously high in an outline: when one of
# these appears for the first time it closes deeper levels instead of nesting under them.
_CANON = {"chapter:篇": 0, "chapter:部分": 1, "chapter:章": 2, "chapter:节": 3, "cn": 4}

_CAPTION = re.compile(rf"^(续?表|附表|图|附图|续表)\s*[\d{_CN_SMALL}]+([-—–.．]\d+)*")
_ONLY_NUMBERS = re.compile(r"^[\s\d.\-—–/·•第页共,，、()（）]*$")
_WORD_HEADING = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d", re.I)
_TOC_TITLE = {"目录", "目次", "contents", "tableofcontents"}
_SENTENCE_END = ("。", "；", ";", "，", ",", "！", "!", "？", "?", "、")
_DATE = re.compile(rf"^[\d{_CN}]{{2,4}}\s*年(\s*[\d{_CN}]{{1,2}}\s*月)?(\s*[\d{_CN}]{{1,3}}\s*日)?$")
_DOC_TITLE = re.compile(r"清洁生产.{0,8}(报告|总结)(书)?$")
_PARENTHESISED = re.compile(r"^[(（][^()（）]*[)）]$")
_ENTERPRISE = re.compile(r"(有限公司|有限责任公司|股份公司|集团公司|公司|厂)$")

MAX_TITLE = 50       # the longest title in 附件2 is 40 characters
MAX_HINT_TITLE = 30  # an unnumbered line must be short to count as a heading


@dataclass
class _Candidate:
    block_index: int
    para: Paragraph
    text: str
    title: str
    numbering: str
    key: str          # what the level stack tracks: "cn", "decimal_multi:2", "word:1", "bold"
    style: str        # Heading.style
    rank: int | None  # an absolute level the file states (Word heading N / outline level)


def _clean(text: str) -> str:
    return close_cjk_gaps(normalize_text(text)).strip()


# What every numbering pattern starts with: 第, a Chinese numeral, a parenthesis, a digit, ①.
_MAY_BE_NUMBERED = re.compile(rf"[第{_CN_SMALL}(（\d\u2460-\u2473]")
# The numbering patterns as one alternation, tried in the same order (the first that matches
# wins, as when they are tried one by one); group n<i> is _NUMBERING[i].
_ANY_NUMBERING = re.compile("|".join(f"(?P<n{i}>{pattern.pattern})"
                                     for i, (_key, _style, pattern) in enumerate(_NUMBERING)))


def split_numbering(text: str) -> tuple[str, str, str, str]:
    """("（一）企业基本信息") -> ("(一)", "企业基本信息", "cn_paren", key); no numbering -> ("", text, "none", "")."""
    text = _clean(text)
    if not _MAY_BE_NUMBERED.match(text):
        return "", text, "none", ""
    m = _ANY_NUMBERING.match(text)
    if not m:
        return "", text, "none", ""
    key, style, _pattern = _NUMBERING[int(m.lastgroup[1:])]
    numbering = m.group(0).strip()
    title = text[m.end():].lstrip(" \t、.:：-—")
    if key == "decimal_multi":
        depth = numbering.rstrip(".").count(".") + 1
        key = f"decimal_multi:{depth}"
    return numbering, title.strip(), style, key


class _Lines:
    """Paragraph texts cleaned and split into numbering and title once per call, however
    many of the passes over the blocks (TOC, candidates, list runs, cover) ask for them."""

    def __init__(self) -> None:
        self._clean: dict[str, str] = {}
        self._split: dict[str, tuple[str, str, str, str]] = {}
        self._leader: dict[str, tuple[str, str] | None] = {}

    def clean(self, text: str) -> str:
        out = self._clean.get(text)
        if out is None:
            out = self._clean[text] = _clean(text)
        return out

    def split(self, text: str) -> tuple[str, str, str, str]:
        out = self._split.get(text)
        if out is None:
            out = self._split[text] = split_numbering(text)
        return out

    def leader(self, text: str) -> tuple[str, str] | None:
        """_leader_line(text): a TOC region asks it of the same lines several times."""
        if text not in self._leader:
            self._leader[text] = _leader_line(text)
        return self._leader[text]


def _word_rank(p: Paragraph) -> int | None:
    if p.style:
        m = _WORD_HEADING.match(p.style.strip())
        if m and m.group(1) != "0":
            return int(m.group(1))
    if p.outline_level is not None and 0 <= p.outline_level < 9:
        return p.outline_level + 1
    return None


def _sentence_like(title: str) -> bool:
    if not title:
        return True
    if "。" in title or title.endswith(_SENTENCE_END):
        return True
    if len(title) > MAX_TITLE:
        return True
    return False


def _has_words(title: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fffA-Za-z]", title))


def _candidate(i: int, p: Paragraph, lines: _Lines) -> _Candidate | None:
    if p.source not in ("body", "ocr"):
        return None
    text = lines.clean(p.text)
    if not text or _ONLY_NUMBERS.match(text) or _CAPTION.match(text):
        return None
    if p.style and _TOC_STYLE.match(p.style.strip()):
        return None
    numbering, title, style, key = lines.split(text)
    rank = _word_rank(p)
    if numbering:
        if not _has_words(title) or _sentence_like(title):
            return None
        return _Candidate(i, p, text, title, numbering, key, style, rank)
    # Unnumbered: only a Word heading style / outline level or formatting hints make it one.
    if rank is None and not _looks_emphasised(p):
        return None
    if not _has_words(text) or _sentence_like(text):
        return None
    limit = MAX_TITLE if rank is not None else MAX_HINT_TITLE
    if len(text) > limit or _DATE.match(text) or "：" in text or ":" in text:
        return None
    if rank is None and (_DOC_TITLE.search(text) or _ENTERPRISE.search(text)
                         or _PARENTHESISED.match(text)):
        return None  # a cover line: the report's title, the enterprise, "(第二轮)"
    if compact_lower(text) in _TOC_TITLE:
        return None
    if rank is not None:
        return _Candidate(i, p, text, text, "", f"word:{rank}", "word_style", rank)
    return _Candidate(i, p, text, text, "", f"bold:{_prominence(p):.1f}", "bold_line", None)


def _prominence(p: Paragraph) -> float:
    """How loudly a line is set: its size against the body, a little more when centred or bold."""
    return (p.size_ratio or 1.0) + (0.1 if p.centered else 0.0) + (0.05 if p.bold else 0.0)


_SPACES = re.compile(r"\s+")


def compact_lower(text: str) -> str:
    return _SPACES.sub("", text).lower()


def _looks_emphasised(p: Paragraph) -> bool:
    if p.size_ratio is not None and p.size_ratio >= 1.15:
        return True
    if p.bold:
        return True
    return False


def _reject_list_runs(cands: list[_Candidate], doc: Document, lines: _Lines) -> list[_Candidate]:
    """Numbered lines that sit next to each other are a list, not headings, when any
    of them reads like a sentence ("1.加强培训，提高员工意识。")."""
    blocks = doc.blocks
    index_of = {c.block_index: c for c in cands}
    rejected: set[int] = set()
    # Runs over the raw blocks: consecutive paragraphs with the same numbering key,
    # including those rejected as sentences (they are what shows the run is a list).
    i = 0
    n = len(blocks)
    while i < n:
        b = blocks[i]
        if not isinstance(b, Paragraph):
            i += 1
            continue
        numbering, title, _style, key = lines.split(b.text)
        if not numbering or key.startswith("chapter") or key == "cn":
            i += 1
            continue
        run = [(i, title)]
        j = i + 1
        while j < n and isinstance(blocks[j], Paragraph):
            nb, nt, _s, nk = lines.split(blocks[j].text)
            if not nb or nk != key:
                break
            run.append((j, nt))
            j += 1
        if len(run) >= 2 and any(_listish(t) for _, t in run):
            rejected.update(k for k, _ in run)
        i = j
    return [c for c in cands if c.block_index not in rejected or _word_rank(c.para) is not None]


def _listish(title: str) -> bool:
    return _sentence_like(title) or ("，" in title or "," in title) or len(title) > 30


def _assign_levels(cands: list[_Candidate]) -> list[int]:
    """Levels from the path of numbering styles above each heading (see the module doc).

    Unnumbered lines found by their formatting nest by prominence: a line set larger
    than the numbered headings after it is their chapter ("企 业 简 况" over "(一)…");
    one set no larger is their peer ("前言" before "一、").
    """
    stack: list[_Candidate] = []
    levels = []

    def is_bold(x: _Candidate) -> bool:
        return x.key.startswith("bold:")

    for c in cands:
        keys = [s.key for s in stack]
        if c.key in keys:
            del stack[keys.index(c.key):]
        elif c.rank is not None:
            while stack and (is_bold(stack[-1]) or
                             (stack[-1].rank is not None and stack[-1].rank >= c.rank)):
                stack.pop()
        elif is_bold(c):
            mine = _prominence(c.para)
            while stack and stack[-1].rank is None and _prominence(stack[-1].para) < mine - 0.05:
                stack.pop()
        else:
            canon = _CANON.get(c.key)
            mine = _prominence(c.para)
            while stack:
                top = stack[-1]
                if is_bold(top):
                    if _prominence(top.para) > mine + 0.05:
                        break
                elif canon is None or _CANON.get(top.key, 99) <= canon:
                    break
                stack.pop()
        stack.append(c)
        levels.append(len(stack))
    return levels


def _display(c: _Candidate) -> str:
    """The heading as shown, without the space a reader may put after a numbering that
    ends in punctuation ("1.\t生产工艺" from Word's numbering tab -> "1.生产工艺")."""
    if c.numbering and c.numbering[-1] in "、.)）" and c.text.startswith(c.numbering):
        return c.numbering + c.text[len(c.numbering):].lstrip()
    return c.text


def _drop_cover_lines(cands: list[_Candidate], doc: Document, toc_blocks: set[int],
                      lines: _Lines) -> list[_Candidate]:
    """Lines set large or bold on the cover (a project's name, a round, a date) are not headings.

    The cover ends where the table of contents starts, or else at the first heading that is
    numbered or in a Word heading style. An unnumbered, unstyled emphasised line before that,
    on a page of its own before that heading's page and with no running text on it, is a
    cover line; one on the page where the body starts (前言, an unnumbered chapter) is kept.
    """
    strong = [c.block_index for c in cands if c.numbering or c.rank is not None]
    ends = ([min(toc_blocks)] if toc_blocks else []) + (strong[:1])
    if not ends:
        return cands
    cover_end = min(ends)
    body_page = getattr(doc.blocks[cover_end], "page", None) or 1
    text_pages = {b.page for b in doc.blocks[:cover_end]
                  if isinstance(b, Paragraph) and len(lines.clean(b.text)) > MAX_HINT_TITLE}
    return [c for c in cands if not (c.style == "bold_line" and c.block_index < cover_end
                                     and c.para.page < body_page and c.para.page not in text_pages)]


def find_headings(doc: Document, toc: TocScan | None = None) -> list[Heading]:
    """The body headings in reading order, table-of-contents lines excluded. `toc`, the
    scan_toc(doc) result when the caller has it already, saves scanning again."""
    lines = _Lines()
    _entries, toc_blocks = toc if toc is not None else _scan_toc(doc, lines)
    cands = []
    for i, b in enumerate(doc.blocks):
        if i in toc_blocks or not isinstance(b, Paragraph):
            continue
        c = _candidate(i, b, lines)
        if c is not None:
            cands.append(c)
    cands = _drop_cover_lines(cands, doc, toc_blocks, lines)
    cands = _reject_list_runs(cands, doc, lines)
    levels = _assign_levels(cands)
    return [
        Heading(text=_display(c), title=c.title, numbering=c.numbering, style=c.style, level=lv,
                page=c.para.page, locator=c.para.locator, block_index=c.block_index)
        for c, lv in zip(cands, levels)
    ]


# ---------------------------------------------------------------- table of contents

# "一、企业简况……………3", "1.1 机构设置 ........ 12", "前言\t1"
_LEADER_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:[.·•…]{2,}|…|-{3,}|_{3,}|\t)\s*(?P<page>\d{1,3})$")
_LEADER_ENTRY = re.compile(r"(?P<title>[^.·•…\t]+?)\s*(?:[.·•…]{2,}|…)\s*(?P<page>\d{1,3})(?!\d)")
_PLAIN_LINE = re.compile(r"^(?P<title>.*?\D)\s+(?P<page>\d{1,3})$")
# What can follow a leader line's title: white space, leaders, the page number.
_LEADER_TAIL = re.compile(r"[\s\d.·•…\-_]*")


def _leader_line(text: str) -> tuple[str, str] | None:
    """_LEADER_LINE.match(text) as (title, page), or None.

    The pattern's lazy title makes the engine try every end of the title against the rest of
    the line, which is quadratic on a line of several dotted entries (a third of a second on
    one corpus PDF's contents). Only white space, leaders and digits follow the title, so it
    cannot end before the last other character: the match is made from that character on.
    """
    tail = _LEADER_TAIL.match(text[::-1]).end()
    cut = max(len(text) - tail - 1, 0)
    if "\n" in text[:cut]:
        return None       # the title (`.*?\S`) cannot span a line break
    m = _LEADER_LINE.match(text[cut:])
    if m is None:
        return None
    return text[:cut] + m.group("title"), m.group("page")


def _toc_lines(p: Paragraph, in_region: bool, lines: _Lines) -> list[tuple[str, int | None]] | None:
    """The TOC entries one paragraph holds, or None when it is not a TOC line."""
    text = lines.clean(p.text)
    if not text:
        return None
    style_toc = bool(p.style and _TOC_STYLE.match(p.style.strip()))
    if not text[-1].isdecimal():
        # every line pattern ends in a page number (\d is a decimal digit; the text is stripped)
        return [(text, None)] if style_toc else None
    leader = lines.leader(text)
    if leader and _has_words(leader[0]) and not leader[0].endswith("。"):
        entries = list(_LEADER_ENTRY.finditer(text))
        if len(entries) >= 2 and sum(len(e.group(0)) for e in entries) >= 0.8 * len(text):
            return [(e.group("title").strip(), int(e.group("page"))) for e in entries]
        return [(leader[0].strip(), int(leader[1]))]
    if in_region or style_toc:
        m = _PLAIN_LINE.match(text)
        if m and _has_words(m.group("title")) and len(text) <= 60 and "。" not in text:
            return [(m.group("title").strip(), int(m.group("page")))]
        if style_toc:
            return [(text, None)]
    return None


# scan_toc's result: the entries, and the indices of the blocks that hold them.
TocScan = tuple[list[TocEntry], set[int]]


def scan_toc(doc: Document) -> TocScan:
    """The table-of-contents entries, and the indices of the blocks that hold them.

    find_headings, detect_doc_type and match_outline each scan the document when they are
    not given the result; a caller that makes all three calls can scan once and pass it."""
    return _scan_toc(doc, _Lines())


def _scan_toc(doc: Document, lines: _Lines) -> TocScan:
    entries: list[TocEntry] = []
    toc_blocks: set[int] = set()
    blocks = doc.blocks
    n = len(blocks)
    body_start = next((k for k, b in enumerate(blocks)
                       if isinstance(b, Paragraph) and len(b.text) > 60), n)
    i = 0
    while i < n:
        b = blocks[i]
        if not isinstance(b, Paragraph):
            i += 1
            continue
        is_title = compact_lower(lines.clean(b.text)) in _TOC_TITLE
        found = _toc_lines(b, False, lines) if not is_title else None
        # Without a 目录 title or leaders, numbered lines ending in page numbers before
        # the body starts can still be a table of contents (checked on the whole run below).
        plain_start = (not is_title and found is None and i < body_start
                       and _numbered_entry(_toc_lines(b, True, lines), lines))
        if not is_title and found is None and not plain_start:
            i += 1
            continue
        # A TOC region: starts at 目录 or at a leader line; runs while lines are TOC lines.
        run: list[tuple[int, list[tuple[str, int | None]]]] = []
        start = i
        j = i + 1 if is_title else i
        misses = 0
        while j < n:
            bj = blocks[j]
            got = _toc_lines(bj, True, lines) if isinstance(bj, Paragraph) else None
            if got is None:
                # one stray line (a wrapped entry, a blank-ish line) may sit inside a TOC
                nxt = blocks[j + 1] if j + 1 < n else None
                if (misses == 0 and run and isinstance(nxt, Paragraph)
                        and isinstance(bj, Paragraph) and len(lines.clean(bj.text)) <= 40
                        and _toc_lines(nxt, True, lines) is not None):
                    misses += 1
                    j += 1
                    continue
                break
            misses = 0
            run.append((j, got))
            j += 1
        leader_lines = sum(1 for k, _ in run if lines.leader(lines.clean(blocks[k].text))
                           or _toc_style(blocks[k]))
        multi = any(len(got) >= 2 for _, got in run)
        refs = [page for _, got in run for _, page in got]
        plain_toc = (plain_start and len(run) >= 3 and j - start == len(run)
                     and all(_numbered_entry(got, lines) for _, got in run)
                     and all(a is not None and b is not None and a <= b
                             for a, b in zip(refs, refs[1:])))
        if is_title and run or leader_lines >= 3 or multi or plain_toc or (
                leader_lines >= 2 and len(run) >= 3):
            if is_title:
                toc_blocks.add(start)
            for k in range(start, j):
                toc_blocks.add(k)
            for k, got in run:
                bk = blocks[k]
                for text, page_ref in got:
                    _num, title, _s, _k = lines.split(text)
                    entries.append(TocEntry(text=text, title=title, page_ref=page_ref,
                                            page=bk.page, locator=bk.locator))
            i = j
        else:
            i += 1
    return entries, toc_blocks


def _numbered_entry(got: list[tuple[str, int | None]] | None, lines: _Lines) -> bool:
    return bool(got) and len(got) == 1 and got[0][1] is not None and bool(
        lines.split(got[0][0])[0])


def _toc_style(b) -> bool:
    return isinstance(b, Paragraph) and bool(b.style and _TOC_STYLE.match(b.style.strip()))


def find_toc(doc: Document) -> list[TocEntry]:
    """The table-of-contents lines (目录 page, dotted leaders, page numbers), in order."""
    return scan_toc(doc)[0]
