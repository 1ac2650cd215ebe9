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


class _PartScanner:
    """Which keyword parts a sentence contains, in one regular-expression pass.

    A lookahead alternation (longest first) reports at each position the longest part that
    starts there; a shorter part starting at the same place is inside that one, so every part
    contained in a reported one is present too. Gives exactly the parts `part in sentence`
    finds, without testing the hundreds of keywords one by one.
    """

    def __init__(self, parts: list[str]) -> None:
        distinct = sorted(set(parts), key=lambda p: (-len(p), p))
        self.rx = re.compile("(?=(" + "|".join(re.escape(p) for p in distinct) + "))") if distinct else None
        self.inside = {p: frozenset(q for q in distinct if q in p) for p in distinct}

    def parts_in(self, sentence: str) -> frozenset[str]:
        if self.rx is None:
            return frozenset()
        hits = {m.group(1) for m in self.rx.finditer(sentence)}
        if not hits:
            return frozenset()
        return frozenset().union(*(self.inside[h] for h in hits))


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
    compiled = {name: [k for k in (kw.strip() for kw in kws) if k] for name, kws in keyword_sets.items()}
    scan = _PartScanner([p for kws in compiled.values() for kw in kws for p in kw.split("&") if p])
    needs = {kw: frozenset(p for p in kw.split("&") if p) for kws in compiled.values() for kw in kws}
    matches_all = any(not parts for parts in needs.values())     # a keyword of "&" alone
    for page, locator, source, sentence in _units(doc):
        if _TOC_LINE.search(sentence):
            continue
        present = scan.parts_in(sentence)
        if not present and not matches_all:
            continue
        for name, keywords in compiled.items():
            for kw in keywords:
                if needs[kw] <= present:
                    if (locator, sentence) not in seen[name]:
                        seen[name].add((locator, sentence))
                        found[name].append(Evidence(page=page, text=sentence, locator=locator,
                                                    source=source, keyword=kw))
                    break
    return found
