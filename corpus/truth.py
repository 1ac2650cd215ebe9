"""Turn a DocSpec's annotations into a truth file, and check them on the way.

The checks are the point: every percentage in a paragraph must be claimed by
an indicator mention or a distractor, every snippet must stand in its
paragraph, every template section must be accounted for (a heading, an
evidence sentence, or declared missing). A spec that breaks one of these rules
stops the generator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Layout, layout
from .numbering import NUMBERING, shown
from .spec import DocSpec, Heading, Mention, Para, TableSpec, Toc

# --- copied from ../shared/spec/CONTRACT.md -------------------------------------------
AUDIT_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5",
                  "4", "4.1", "4.2", "4.3", "4.4", "4.5", "5", "5.1", "5.2", "5.3",
                  "6", "7", "8", "9"]
SUMMARY_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "4.4",
                    "5", "5.1", "5.2", "6", "6.1", "6.2", "6.3", "7"]
TEMPLATES = {"audit_report": AUDIT_SECTIONS, "work_summary": SUMMARY_SECTIONS}
NUMERIC_KEYS = ["staff_awareness_rate", "material_metering_rate",
                "main_material_utilization_rate", "energy_metering_rate",
                "water_metering_rate", "unit_energy_consumption", "unit_fresh_water",
                "cp_investment_ratio", "rd_investment_ratio", "wastewater_reuse_rate",
                "solid_waste_utilization_rate", "facility_operation_rate",
                "waste_gas_compliance_rate", "wastewater_compliance_rate",
                "solid_waste_disposal_rate", "noise_compliance_rate",
                "low_cost_implementation_rate", "high_cost_implementation_rate"]
FLAG_KEYS = ["wastewater_zero_discharge", "solid_waste_zero_discharge",
             "waste_gas_utilization", "iso14001", "noise_compliant"]
# for these a target is a ceiling ("不高于"), for every other key a floor
LOWER_IS_BETTER = {"unit_energy_consumption", "unit_fresh_water"}
COMPARATORS = {"=", ">=", ">", "<=", "<", "~", "range"}
# rubric item ids: 1–22 as numbered in 附件3, 23–26 the unnumbered rows of 系列3
ITEM_IDS = [str(i) for i in range(1, 27)]

# a percentage, or a number written out as 百分之…
PERCENT = re.compile(r"[0-9０-９][0-9０-９.．]*\s*[%％]|百分之[零一二三四五六七八九十百点]+")
# words that announce a flag; a paragraph holding one must say what it means
FLAG_WORDS = ["零排放", "ISO14001", "ISO 14001", "全部达标", "资源化利用", "HSE"]


class SpecError(Exception):
    pass


@dataclass
class Locatable:
    """Something the PDF pass must find a page for."""

    kind: str            # "para" | "table_row" | "table"
    block: int           # index into spec.blocks
    snippet: str = ""    # para: the text to find; table_row: the row label
    context: str = ""    # para: the whole paragraph, to widen the snippet until unique
    caption: str = ""    # tables: the caption that starts the search


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise SpecError(msg)


def _lint_para(spec: DocSpec, para: Para) -> None:
    where = f"{spec.name}: «{para.text[:40]}…»"
    claimed: list[tuple[int, int]] = []
    for note in [*para.mentions, *para.distractors]:
        n = para.text.count(note.snippet)
        _check(n == 1, f"{where}: snippet «{note.snippet}» occurs {n} times in its paragraph")
        start = para.text.index(note.snippet)
        claimed.append((start, start + len(note.snippet)))
    for m in PERCENT.finditer(para.text):
        _check(any(a <= m.start() and m.end() <= b for a, b in claimed),
               f"{where}: «{m.group()}» is claimed by no mention or distractor")
    for word in FLAG_WORDS:
        if word in para.text:
            flags = [m for m in para.mentions if m.unit == "flag"]
            _check(bool(flags) or any(word in d.snippet for d in para.distractors),
                   f"{where}: «{word}» without a flag mention or distractor")
    for sid, sentence in para.evidence.items():
        _check(sentence in para.text, f"{where}: evidence for {sid} not in the paragraph")
    for m in para.mentions:
        _check_mention(spec, m)


def _check_mention(spec: DocSpec, m: Mention) -> None:
    _check(m.key in NUMERIC_KEYS or m.key in FLAG_KEYS, f"{spec.name}: unknown key {m.key}")
    _check((m.unit == "flag") == (m.key in FLAG_KEYS), f"{spec.name}: {m.key} flag/unit mismatch")
    _check(m.comparator in COMPARATORS, f"{spec.name}: comparator {m.comparator}")
    _check(m.role in {"actual", "target"}, f"{spec.name}: role {m.role}")
    if m.comparator == "range":
        _check(m.low is not None and m.high is not None, f"{spec.name}: range without bounds")


def _mention_entry(m: Mention, page: int, source: str, text: str) -> dict:
    entry = {"key": m.key, "value": m.value, "comparator": m.comparator, "year": m.year,
             "role": m.role, "page": page, "source": source, "text": text, "unit": m.unit,
             "derived": m.derived}
    if m.comparator == "range":
        entry["low"], entry["high"] = m.low, m.high
    return entry


def _cell_value(text: str) -> float | None:
    t = text.strip()
    if not t or t in {"—", "-", "/", "——"}:
        return None
    return float(t)


def build(spec: DocSpec, file_name: str, fmt: str):
    """The truth of `spec` rendered as DOCX, plus what a PDF pass must locate.

    Returns (truth, places): `places` runs parallel to the page-bearing entries so
    that `relocate` can replace DOCX pages with PDF pages.
    """
    template = TEMPLATES[spec.doc_type]
    lay: Layout = layout(spec)
    truth: dict = {"file": file_name, "format": fmt, "doc_type": spec.doc_type,
                   "enterprise": spec.enterprise, "numbering": NUMBERING[spec.numbering]}
    places: dict[str, list[Locatable]] = {"indicators": [], "requirements": []}

    # headings, and the sections they cover
    heading_of = {h.index: h for h in lay.headings}
    truth["headings"] = [h.text for h in lay.headings]
    truth["pages"] = {}
    for h in lay.headings:
        truth["pages"].setdefault(h.text, h.page)
    sections: dict[str, str] = {}
    section_headings: dict[str, str] = {}
    evidence: dict[str, str] = {}
    for i, block in enumerate(spec.blocks):
        if isinstance(block, Heading):
            for sid in block.sections:
                _check(sid in template, f"{spec.name}: section {sid} not in {spec.doc_type}")
                _check(sid not in sections, f"{spec.name}: section {sid} covered twice")
                sections[sid] = "heading"
                section_headings[sid] = heading_of[i].text
    for block in spec.blocks:
        if isinstance(block, Para):
            for sid, sentence in block.evidence.items():
                _check(sid in template, f"{spec.name}: section {sid} not in {spec.doc_type}")
                _check(sid not in sections, f"{spec.name}: section {sid} has a heading and evidence")
                sections[sid] = "body"
                evidence[sid] = sentence
    for sid in spec.missing:
        _check(sid not in sections, f"{spec.name}: {sid} declared missing but covered")
        sections[sid] = "missing"
    unaccounted = [sid for sid in template if sid not in sections]
    _check(not unaccounted, f"{spec.name}: sections neither covered nor declared missing: {unaccounted}")
    truth["sections"] = {sid: sections[sid] for sid in template}
    truth["section_headings"] = {sid: section_headings[sid] for sid in template
                                 if sid in section_headings}
    truth["section_evidence"] = {sid: evidence[sid] for sid in template if sid in evidence}

    # table of contents
    for i, block in enumerate(spec.blocks):
        if isinstance(block, Toc):
            lines = [shown(text) for level, text, _ in lay.toc_entries if level <= block.max_level]
            truth["toc"] = {"page": lay.pages[i], "entries": len(lines), "leader": block.leader}

    # indicators, distractors, the recorded table
    indicators, distractors, requirements = [], [], []
    for i, block in enumerate(spec.blocks):
        page = lay.pages[i]
        if isinstance(block, Para):
            _lint_para(spec, block)
            for m in block.mentions:
                indicators.append(_mention_entry(m, page, "text", shown(m.snippet)))
                places["indicators"].append(Locatable("para", i, m.snippet, block.text))
            for d in block.distractors:
                distractors.append(shown(d.snippet))
                if d.requirement:
                    r = d.requirement
                    _check(r.key in NUMERIC_KEYS, f"{spec.name}: requirement key {r.key}")
                    requirements.append({"key": r.key, "value": r.value, "comparator": r.comparator,
                                         "role": "requirement", "page": page,
                                         "text": shown(d.snippet)})
                    places["requirements"].append(Locatable("para", i, d.snippet, block.text))
        elif isinstance(block, TableSpec):
            _check(all(len(r) == len(block.rows[0]) for r in block.rows),
                   f"{spec.name}: ragged table {block.caption}")
            header = block.rows[block.header_rows - 1]
            for r, row in enumerate(block.rows):
                if r < block.header_rows:
                    continue
                note = block.row_notes.get(r)
                lab = row[block.label_col]
                if note is None:
                    _check(not ("率" in lab and any(_is_number(row[c]) for c in
                                                   [*block.year_cols, *block.target_cols])),
                           f"{spec.name}: table row «{lab}» has rates but no note")
                    continue
                if note.distractor:
                    distractors.append(shown(lab))
                    continue
                cols = [(c, y, "actual") for c, y in block.year_cols.items()] + \
                       [(c, y, "target") for c, y in block.target_cols.items()]
                for c, year, role in sorted(cols):
                    value = _cell_value(row[c])
                    if value is None:
                        continue
                    cmp = ">=" if role == "target" and note.key not in LOWER_IS_BETTER else \
                        "<=" if role == "target" else "="
                    m = Mention(note.key, lab, value, cmp, year, role, note.unit)
                    _check_mention(spec, m)
                    indicators.append(_mention_entry(
                        m, page, "table", f"{shown(lab)} {shown(header[c])} {row[c]}"))
                    places["indicators"].append(
                        Locatable("table_row", i, lab, caption=block.caption or ""))
            if block.truth_table:
                _check("table" not in truth, f"{spec.name}: two truth tables")
                _check(bool(block.caption), f"{spec.name}: the truth table needs a caption")
                truth["table"] = {"page": page, "pages": [page], "header_rows": block.header_rows,
                                  "caption": shown(block.caption),
                                  "cells": [list(r) for r in _grid(block)]}
                last = next(row[block.label_col] for row in reversed(block.rows)
                            if row[block.label_col])
                places["table"] = [Locatable("table", i, block.rows[0][0], caption=block.caption),
                                   Locatable("table", i, last, caption=block.caption)]
    truth["indicators"] = indicators
    truth["distractors"] = distractors
    truth["requirements"] = requirements
    # an undeclared conflict is a slip in the text, not a feature: find them all
    exact: dict[tuple, set] = {}
    for e in indicators:
        if e["role"] == "actual" and e["comparator"] == "=" and e["year"] is not None:
            exact.setdefault((e["key"], e["year"]), set()).add(e["value"])
    declared = {(c["key"], c["year"]) for c in spec.conflicts}
    for (key, year), values in exact.items():
        _check(len(values) == 1 or (key, year) in declared,
               f"{spec.name}: undeclared conflict {key} {year}: {sorted(values)}")
    for c in spec.conflicts:
        found = sorted({e["value"] for e in indicators
                        if e["key"] == c["key"] and e["year"] == c["year"] and e["role"] == "actual"})
        _check(found == sorted(c["values"]), f"{spec.name}: conflict {c} but mentions give {found}")
    truth["conflicts"] = spec.conflicts
    for iid, points in spec.items.items():
        _check(iid in ITEM_IDS, f"{spec.name}: item {iid!r} is no rubric item id")
        _check(isinstance(points, (int, float)) and points >= 0 and float(points * 2).is_integer(),
               f"{spec.name}: item {iid} points {points!r}")
    if spec.items:
        truth["items"] = {iid: spec.items[iid] for iid in sorted(spec.items, key=int)}
    if spec.compare:
        truth["compare"] = spec.compare
    truth["page_count"] = lay.pages[-1] if lay.pages else 1
    truth["page_note"] = "DOCX pages: 1 + explicit page breaks before the block"
    return truth, places


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _grid(t: TableSpec) -> list[list[str]]:
    """The full rectangle Table.grid() gives: a merged cell's text fills its span."""
    grid = [list(r) for r in t.rows]
    for r0, c0, r1, c1 in t.merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r][c] = t.rows[r0][c0]
    return [[shown(x) for x in row] for row in grid]
