"""Two things the held-out documents need that corpus/spec.py has no words for.

- `ColumnTable`: a year-by-year table turned on its side — one row per year,
  one column per indicator (the layout many reports use for 近三年 data).
  Notes belong to columns, years to rows.
- `AMB`: a phrasing a careful reviewer cannot file with confidence. It is
  neither an indicator nor a distractor; the truth lists it under "ambiguous"
  and README.md says why.

Both are turned into truth by corpus/heldout/truth_ext.py around the main
corpus's own `corpus.truth.build`, which stays untouched.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..spec import Distractor, TableRowNote, TableSpec


@dataclass
class ColumnTable(TableSpec):
    col_notes: dict[int, TableRowNote] = field(default_factory=dict)   # column -> note
    year_rows: dict[int, int | None] = field(default_factory=dict)     # row -> year (actual)
    target_rows: dict[int, int | None] = field(default_factory=dict)   # row -> year (target)


@dataclass
class Ambiguous(Distractor):
    why: str = ""


def AMB(snippet: str, why: str) -> Ambiguous:
    return Ambiguous(snippet, None, why)
