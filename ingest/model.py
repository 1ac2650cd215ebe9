"""The document model: what every reader produces and every later stage consumes.

Plain dataclasses, plain values. A Document is a list of blocks in reading order;
a block is a Paragraph or a Table. Every block carries the page it is on and a
locator that stays the same for the same file, so evidence can point back at it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

# Where a block came from inside the file. Headers and footers are kept out of
# Document.blocks (they repeat on every page and would look like headings).
Source = Literal["body", "textbox", "header", "footer", "ocr"]


@dataclass
class Paragraph:
    """One paragraph (DOCX) or one joined run of lines (PDF, TXT).

    `text` is normalised (see ingest.normalize) and, when Word numbers the
    paragraph automatically, starts with the rendered `label` ("一、企业简况").
    The remaining fields are hints for heading detection; a reader leaves a
    hint as None when its format cannot tell.
    """

    text: str
    page: int
    locator: str
    label: str = ""
    style: str | None = None          # Word style name, e.g. "Heading 1", "标题 2"
    outline_level: int | None = None  # 0-based like Word's w:outlineLvl; None = body text
    bold: bool | None = None          # all visible characters bold
    font_size: float | None = None    # points, the paragraph's dominant size
    size_ratio: float | None = None   # font_size / the document's body size
    centered: bool | None = None
    source: Source = "body"
    kind: Literal["paragraph"] = "paragraph"


@dataclass
class Cell:
    """A table cell, listed once even when merged; row/col are its top-left position."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A table: `rows[i]` holds the cells that start in row i, left to right.

    `header_rows` is how many leading rows are column headers. `pages` lists every
    page the table covers when it continues across pages (PDF tables continued on
    the next page are joined into one Table by the reader).
    """

    rows: list[list[Cell]]
    page: int
    locator: str
    header_rows: int = 1
    n_cols: int = 0
    pages: list[int] = field(default_factory=list)
    source: Source = "body"
    kind: Literal["table"] = "table"

    def grid(self) -> list[list[str]]:
        """The table as a full rectangle of strings; a merged cell's text fills its span."""
        n_rows = len(self.rows)
        n_cols = self.n_cols or max(
            (c.col + c.colspan for row in self.rows for c in row), default=0)
        out = [["" for _ in range(n_cols)] for _ in range(n_rows)]
        for row in self.rows:
            for c in row:
                for r in range(c.row, min(c.row + c.rowspan, n_rows)):
                    for k in range(c.col, min(c.col + c.colspan, n_cols)):
                        out[r][k] = c.text
        return out

    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row]

    @property
    def text(self) -> str:
        """Row by row, cells joined by a tab: for searching, not for display."""
        return "\n".join("\t".join(c.text for c in row) for row in self.rows)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """A file read into blocks, with what is known about the file itself."""

    name: str
    sha256: str
    format: str                      # "pdf" | "docx" | "txt" (the sniffed format)
    pages: int
    blocks: list[Block] = field(default_factory=list)
    headers: list[Paragraph] = field(default_factory=list)  # page headers and footers, apart
    warnings: list[str] = field(default_factory=list)
    ocr_pages: int = 0
    unread_pages: list[int] = field(default_factory=list)  # pages with no usable text
    page_note: str = ""              # how exact the page numbers are, for this format

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
