"""Keyword evidence: the sentences of a Document that mention what a rubric item asks about.

The rubric names keyword sets (e.g. "balance_tests": 物料平衡, 水平衡, …); this module
finds, for each set, the sentences in paragraphs and table cells that contain one of
its keywords, with the page and locator a reviewer can go back to. It decides nothing:
the scoring engine turns "found" into provisional points.

A keyword is a plain substring; "A&B" means a sentence containing both A and B
(e.g. "清洁生产&培训", so that a training sentence about something else is not taken).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Document, Paragraph, Table

from .text_match import SubstringScanner

# Sentences end at 。；; and line breaks (a table cell or a PDF paragraph may hold several).
_SENTENCE_END = re.compile(r"(?<=[。；;])|\n")
# A table-of-contents line ("5.3 厂容厂貌……………23") names a section; it is no evidence
# that the report covers it.
_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|·{3,}|-{4,}|_{4,})\s*\d+\s*$")


@dataclass
class Evidence:
    """One sentence (or table cell sentence) that supports a finding."""

    page: int
    text: str
    locator: str
    source: str            # "text" (a paragraph) or "table" (a cell); the scoring engine
                           # also lists a matched outline section as "heading"
    keyword: str = ""      # the keyword that matched


def split_sentences(text: str) -> list[str]:
    """Split on 。；; and newlines; keep the ending punctuation; drop empty pieces."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _matches(sentence: str, keyword: str) -> bool:
    return all(part in sentence for part in keyword.split("&") if part)


# The keyword parts a sentence contains, in one pass (a shared helper now; the name stays for
# the test that pins it against plain substring tests).
_PartScanner = SubstringScanner


def _units(doc: Document):
    """(page, locator, source, sentence) for every sentence of the body, in reading order."""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            for sentence in split_sentences(block.text):
                yield block.page, block.locator, "text", sentence
        elif isinstance(block, Table):
            for row in block.rows:
                row_head = row[0].text.strip() if row else ""
                for cell in row:
                    # rows and columns counted from 1 in locators, like pages
                    locator = f"{block.locator}.r{cell.row + 1}.c{cell.col + 1}"
                    for sentence in split_sentences(cell.text):
                        # a cell alone ("是", "已建立") says little: show its row's first cell
                        shown = sentence if cell.col == 0 or not row_head or row_head == sentence \
                            else f"{row_head}：{sentence}"
                        yield block.page, locator, "table", shown


def find_evidence(doc: Document, keyword_sets: dict[str, list[str]]) -> dict[str, list[Evidence]]:
    """For each keyword set, the sentences containing any of its keywords, in reading order.

    Every set name is in the result (an empty list when nothing matched); a sentence
    appears at most once per set, with the first keyword of the set that matched it.
    """
    found: dict[str, list[Evidence]] = {name: [] for name in keyword_sets}
    seen: dict[str, set[tuple[str, str]]] = {name: set() for name in keyword_sets}
    keywords = _Keywords(keyword_sets)
    for page, locator, source, sentence in _units(doc):
        present = keywords.scan.parts_in(sentence)
        if not present and not keywords.match_all:
            continue
        if _is_toc_line(sentence):
            continue
        for name, kw in keywords.first_matches(present):
            if (locator, sentence) not in seen[name]:
                seen[name].add((locator, sentence))
                found[name].append(Evidence(page=page, text=sentence, locator=locator,
                                            source=source, keyword=kw))
    return found


def _is_toc_line(sentence: str) -> bool:
    # _TOC_LINE ends in a number and white space: most sentences fail at their last character
    tail = sentence.rstrip()
    return bool(tail) and tail[-1].isdecimal() and _TOC_LINE.search(sentence) is not None


class _Keywords:
    """The keyword sets, and for a sentence's parts the first keyword of each set whose
    parts are all there."""

    def __init__(self, keyword_sets: dict[str, list[str]]) -> None:
        self.compiled = {name: [k for k in (kw.strip() for kw in kws) if k]
                         for name, kws in keyword_sets.items()}
        self.scan = SubstringScanner(p for kws in self.compiled.values() for kw in kws
                                     for p in kw.split("&") if p)
        self.needs = {kw: frozenset(p for p in kw.split("&") if p)
                      for kws in self.compiled.values() for kw in kws}
        self.match_all = any(not parts for parts in self.needs.values())  # a keyword of "&" alone
        # part -> (set, position of a keyword in the set) for every keyword that needs the part
        self.by_part: dict[str, list[tuple[str, int]]] = {}
        for name, kws in self.compiled.items():
            for i, kw in enumerate(kws):
                for part in self.needs[kw]:
                    self.by_part.setdefault(part, []).append((name, i))

    def first_matches(self, present: frozenset[str]) -> list[tuple[str, str]]:
        """(set name, keyword) for every set with a keyword all of whose parts are present."""
        if self.match_all:
            return self._first_matches_by_trying_all(present)
        first: dict[str, int] = {}
        for part in present:
            for name, i in self.by_part.get(part, ()):
                if i < first.get(name, len(self.compiled[name])) \
                        and self.needs[self.compiled[name][i]] <= present:
                    first[name] = i
        return [(name, self.compiled[name][i]) for name, i in first.items()]

    def _first_matches_by_trying_all(self, present: frozenset[str]) -> list[tuple[str, str]]:
        out = []
        for name, keywords in self.compiled.items():
            for kw in keywords:
                if self.needs[kw] <= present:
                    out.append((name, kw))
                    break
        return out
