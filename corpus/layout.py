"""Walk a DocSpec once: each block's DOCX page, each heading's rendered text.

DOCX pages are counted the way a reader without a layout engine can count them:
1 + the explicit page breaks before the block.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .numbering import label, letter_space, shown
from .spec import DocSpec, Heading, PageBreak, Toc


@dataclass
class PlacedHeading:
    index: int          # index into spec.blocks
    level: int
    written: str        # as typed/rendered in the file, before CJK gaps are closed
    text: str           # as the Document shows it
    page: int
    toc_text: str       # how a table of contents lists it (never letter-spaced)


@dataclass
class Layout:
    pages: list[int] = field(default_factory=list)       # per block
    headings: list[PlacedHeading] = field(default_factory=list)
    toc_entries: list[tuple[int, str, int]] = field(default_factory=list)  # level, text, page


def layout(spec: DocSpec) -> Layout:
    out = Layout()
    page = 1
    counters = [0, 0, 0]
    for i, block in enumerate(spec.blocks):
        out.pages.append(page)
        if isinstance(block, PageBreak):
            page += 1
        elif isinstance(block, Heading):
            if block.number is None:
                counters[block.level - 1] += 1
                for deeper in range(block.level, 3):
                    counters[deeper] = 0
                lab = label(spec.numbering, counters, block.level)
            else:
                lab = block.number
            title = letter_space(block.title) if block.spaced else block.title
            written = lab + title
            out.headings.append(PlacedHeading(i, block.level, written, shown(written), page,
                                              (lab + block.title).replace("\u3000", " ")))
    if any(isinstance(b, Toc) for b in spec.blocks):
        out.toc_entries = [(h.level, h.toc_text, h.page) for h in out.headings]
    return out
