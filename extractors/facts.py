"""The facts extractors hand to the rubric: plain dataclasses, plain values.

Fixed here, apart from the extractors that fill them, so the outline matcher,
the indicator extractor and the scoring engine agree on one shape. Field names
follow ../shared/spec/CONTRACT.md where the contract names them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SectionStatus = Literal["heading", "body", "missing"]
Comparator = Literal["=", ">=", ">", "<=", "<", "~", "range"]
Role = Literal["actual", "target", "requirement"]


@dataclass
class Heading:
    """A heading found in the body (never a table-of-contents line)."""

    text: str            # as in the Document, numbering included: "（一）企业基本信息"
    title: str           # without its numbering: "企业基本信息"
    numbering: str       # the numbering as written: "（一）", "第二章", "1.1", "" if none
    style: str           # numbering style: "chapter", "cn", "cn_paren", "decimal", "decimal_multi",
                         # "arabic_paren", "circled", "word_style", "bold_line", "none"
    level: int           # 1 = top level of this document's outline
    page: int
    locator: str
    block_index: int     # index into Document.blocks


@dataclass
class TocEntry:
    text: str
    title: str
    page_ref: int | None  # the page number the TOC line gives, if any
    page: int             # the page the TOC line is on
    locator: str


@dataclass
class SectionMatch:
    """One required section of a template, and where the report covers it."""

    id: str
    title: str
    status: SectionStatus
    heading: str | None = None     # the matching heading's text (status "heading")
    page: int | None = None
    locator: str | None = None
    evidence: str | None = None    # the sentence that shows the content (status "body")
    score: float = 0.0             # match strength, 0..1, for reviewers and debugging


@dataclass
class OutlineResult:
    template: str                  # "audit_report" | "work_summary"
    sections: list[SectionMatch]
    headings: list[Heading] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class IndicatorMention:
    """One statement of an indicator's value, with the evidence it came from.

    `value` is a number; percentages are in percent (95.5 means 95.5%). Flags
    have unit "flag" and value 1 / 0.5 / 0. `role` keeps targets and quoted
    requirements apart from what the enterprise achieved: scoring uses "actual".
    """

    key: str
    name: str                      # the indicator's Chinese name as the report writes it
    value: float
    unit: str                      # "%", "flag", or the unit of a quantity ("tce/t", "m³/t")
    comparator: Comparator
    page: int
    source: Literal["text", "table"]
    text: str                      # the sentence, or "row / column: cell" for a table
    locator: str
    year: int | None = None
    low: float | None = None       # comparator "range"
    high: float | None = None
    derived: bool = False          # computed, e.g. from "共12项，已实施9项"
    role: Role = "actual"


@dataclass
class Conflict:
    """The same indicator and year stated with different values."""

    key: str
    year: int | None
    values: list[float]
    pages: list[int]
    mentions: list[IndicatorMention] = field(default_factory=list)
