"""A province's whole rule set, loaded once and checked across files.

The three data files of `rubric/data/<province>/` are loaded by their own
loaders; this is where their references to each other are checked (every
indicator key and section id the scoring table names exists), so a reviewer who
edits one file learns at once that another no longer fits.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.indicators import IndicatorSpec
from extractors.outline import OutlineTemplate

from .indicators import load_indicator_specs
from .items import DATA_DIR, Rubric, load_rubric
from .outlines import load_outline_templates


@dataclass(frozen=True)
class Province:
    name: str
    outlines: dict[str, OutlineTemplate]
    indicators: list[IndicatorSpec]
    items: Rubric


@lru_cache(maxsize=4)
def load_province(name: str = "guangxi") -> Province:
    folder = Path(name) if Path(name).is_dir() else DATA_DIR / name
    outlines = load_outline_templates(folder)
    indicators = load_indicator_specs(folder)
    items = load_rubric(folder,
                        indicator_keys={s.key for s in indicators},
                        section_ids={t: {s.id for s in tpl.sections} for t, tpl in outlines.items()})
    return Province(name=name, outlines=outlines, indicators=indicators, items=items)
