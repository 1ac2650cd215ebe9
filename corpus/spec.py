"""The small language the sample documents are written in.

A sample document is a `DocSpec`: a list of blocks (cover, table of contents,
heading, paragraph, table, page break) together with what a careful reviewer
would say about each block — the indicator mentions a paragraph holds, the
sentences that look like indicators but are not, the outline sections a heading
or a sentence covers. The DOCX writer renders the blocks; `corpus.truth` turns
the annotations into the truth files. Writing the annotation next to the
sentence it describes is what keeps the truth honest: there is no second place
where the two can drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Comparator = Literal["=", ">=", ">", "<=", "<", "~", "range"]


@dataclass
class Mention:
    """One indicator mention a reviewer would file under a contract key.

    `snippet` is the text as it stands in the paragraph (it must occur there);
    `text` in the truth file is the snippet as the Document shows it.
    """

    key: str
    snippet: str
    value: float
    comparator: str = "="
    year: int | None = None
    role: str = "actual"           # actual | target
    unit: str = "%"
    low: float | None = None
    high: float | None = None
    derived: bool = False


def M(key: str, snippet: str, value: float, cmp: str = "=", year: int | None = None,
      role: str = "actual", unit: str = "%", derived: bool = False) -> Mention:
    return Mention(key, snippet, float(value), cmp, year, role, unit, derived=derived)


def T(key: str, snippet: str, value: float, cmp: str = ">=", year: int | None = None,
      unit: str = "%") -> Mention:
    """A target (审核目标), not an achieved value."""
    return Mention(key, snippet, float(value), cmp, year, "target", unit)


def RANGE(key: str, snippet: str, low: float, high: float, year: int | None = None,
          role: str = "actual") -> Mention:
    # value carries the low end: the conservative reading when a threshold is checked
    return Mention(key, snippet, float(low), "range", year, role, "%", float(low), float(high))


def FLAG(key: str, snippet: str, value: float, year: int | None = None) -> Mention:
    return Mention(key, snippet, float(value), "=", year, "actual", "flag")


def DERIVED(key: str, snippet: str, value: float, year: int | None = None) -> Mention:
    return Mention(key, snippet, float(value), "=", year, "actual", "%", derived=True)


@dataclass
class Requirement:
    """A quoted requirement ("《审核表》要求…95%以上"): a number that is no indicator."""

    key: str
    value: float
    comparator: str = ">="


@dataclass
class Distractor:
    snippet: str
    requirement: Requirement | None = None


def D(snippet: str) -> Distractor:
    return Distractor(snippet)


def REQ(snippet: str, key: str, value: float, cmp: str = ">=") -> Distractor:
    return Distractor(snippet, Requirement(key, float(value), cmp))


@dataclass
class Cover:
    lines: list[tuple[str, float, bool]]   # (text, size in pt, bold)


@dataclass
class Toc:
    """A typed table of contents: paragraphs that look like headings.

    `leader` "dots" types runs of "…" between title and page number;
    "tab" uses a right tab stop with a dot leader, as Word's own TOC does.
    """

    leader: Literal["dots", "tab"] = "dots"
    max_level: int = 2
    title: str = "目  录"


@dataclass
class Heading:
    level: int                       # 1 = chapter
    title: str                       # without numbering (the writer numbers it)
    sections: list[str] = field(default_factory=list)  # template ids this heading covers
    number: str | None = None        # typed numbering override, e.g. "第一章"
    spaced: bool = False             # letter-spaced: "企 业 简 况"


def H(level: int, title: str, *sections: str, number: str | None = None,
      spaced: bool = False) -> Heading:
    return Heading(level, title, list(sections), number, spaced)


@dataclass
class Para:
    text: str
    mentions: list[Mention] = field(default_factory=list)
    distractors: list[Distractor] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)   # section id -> sentence
    align: str | None = None         # "center" | "right"
    bold: bool = False
    indent: bool = True              # first-line indent of two characters


def P(text: str, *notes: Union[Mention, Distractor], evidence: dict[str, str] | None = None,
      **kw) -> Para:
    return Para(text,
                [n for n in notes if isinstance(n, Mention)],
                [n for n in notes if isinstance(n, Distractor)],
                dict(evidence or {}), **kw)


@dataclass
class TableRowNote:
    """What a reviewer reads in one table row: an indicator per year column, or a distractor.

    Whether a cell is an actual value or a target is the column's business
    (TableSpec.year_cols / target_cols)."""

    key: str | None = None           # contract key, or None
    distractor: bool = False
    unit: str = "%"


@dataclass
class TableSpec:
    rows: list[list[str]]            # the full grid, a merged cell's text in its top-left cell
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    header_rows: int = 1
    caption: str | None = None       # a paragraph placed above the table
    row_notes: dict[int, TableRowNote] = field(default_factory=dict)
    year_cols: dict[int, int | None] = field(default_factory=dict)   # column -> year (actual values)
    target_cols: dict[int, int | None] = field(default_factory=dict)  # column -> year (target values)
    truth_table: bool = False        # the table recorded in truth["table"]
    label_col: int = 0               # the column that names a row
    widths_cm: list[float] | None = None


@dataclass
class PageBreak:
    pass


Block = Union[Cover, Toc, Heading, Para, TableSpec, PageBreak]


@dataclass
class DocSpec:
    name: str                        # file stem, e.g. "a01_sugar_audit"
    doc_type: str                    # audit_report | work_summary
    enterprise: str
    numbering: str                   # how headings are numbered, see docx_writer.NUMBERING
    blocks: list[Block]
    missing: list[str] = field(default_factory=list)   # sections deliberately absent
    pdf: bool = False
    description: str = ""            # what the document exercises (README)
    conflicts: list[dict] = field(default_factory=list)
    title: str = ""                  # core properties title
    footer_page_numbers: bool = False
    heading_styles: bool = True      # typed headings: in Word heading styles, or bold Normal text
    center_chapters: bool = False    # centre level-1 headings
    # the points a reviewer applying rubric/data/guangxi/items.toml by hand gives the items the
    # numbers decide (item id -> points); written to the truth as "items"
    items: dict[str, float] = field(default_factory=dict)
    # for the document pairs of `cpscreen compare` and the batch cross-check: what comparing this
    # document with its partner must find (written to the truth as "compare", only when given)
    compare: dict = field(default_factory=dict)
