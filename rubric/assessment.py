"""What the scoring engine hands on: item scores with their basis and evidence,
the score summary, and the list of what is missing.

Field names follow ../shared/spec/CONTRACT.md (`items`, `score`, `missing`);
`cpscreen/result.py` turns these into the JSON result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extractors.evidence import Evidence

ItemStatus = Literal["auto", "review", "no_evidence"]
MissingKind = Literal["section", "indicator", "threshold", "conflict"]


@dataclass
class ItemScore:
    """One row of the scoring table, scored.

    `score` is final for status "auto", provisional for "review" (the rest,
    `max - score`, is open to a reviewer), and 0 for "no_evidence". `basis` says
    in Chinese which rule was applied to which values; `evidence` gives the page
    and sentence (or table cell, or heading) behind it.
    """

    id: str
    title: str
    max: float
    score: float
    status: ItemStatus
    basis: str
    evidence: list[Evidence] = field(default_factory=list)
    series: str = ""
    requirement: str = ""
    rule: str = ""                 # the item's rule in words, from the rubric data
    keys: list[str] = field(default_factory=list)   # indicator keys the item reads

    @property
    def open_points(self) -> float:
        """Points a reviewer can still give: the rest of a review item, else 0."""
        return self.max - self.score if self.status == "review" else 0.0


@dataclass
class ScoreSummary:
    auto: float                    # sum of item scores (review items at their provisional score)
    review_max: float              # points still open to a reviewer
    max: float = 100
    pass_line: float = 80
    sentence: str = ""             # "自动得分 X 分，待人工复核 Y 分，最高可能 X+Y 分，…"

    @property
    def best(self) -> float:
        return self.auto + self.review_max

    @property
    def can_pass(self) -> bool:
        return self.best >= self.pass_line


@dataclass
class MissingEntry:
    """Something an enterprise can fix, as one plain Chinese sentence.

    `ref` is a section id (kind "section") or an indicator key (the other kinds);
    `item` the rubric item it costs points on, when there is one.
    """

    kind: MissingKind
    ref: str
    message: str
    item: str | None = None


@dataclass
class Assessment:
    items: list[ItemScore]
    score: ScoreSummary
    missing: list[MissingEntry] = field(default_factory=list)

    def item(self, item_id: str) -> ItemScore:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)
