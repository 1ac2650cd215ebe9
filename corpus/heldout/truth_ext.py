"""Truth for the held-out specs: `corpus.truth.build`, plus column tables and ambiguous phrasings.

`build` treats a ColumnTable as a table with no row notes (it records nothing
for it); here its cells become indicator entries, placed in block order with a
`Locatable` so the PDF pass finds their pages like any table row. Ambiguous
snippets pass `build`'s lint as distractors and are then moved out of the
distractors into "ambiguous". Extra lint: a per-mille value (‰, 千分之…) must be
claimed too, and the conflict check is run again over the table cells added here.
"""
from __future__ import annotations

import re

from ..numbering import shown
from ..spec import DocSpec, Mention, Para
from ..truth import LOWER_IS_BETTER, Locatable, SpecError, _cell_value, _check, _check_mention, \
    _mention_entry, build
from .spec_ext import Ambiguous, ColumnTable

PER_MILLE = re.compile(r"[0-9０-９][0-9０-９.．]*\s*‰|千分之[零一二三四五六七八九十百点]+")
HELD_OUT_NOTE = ("held out: written without reading extractors/ or rubric/; "
                 "do not tune the tool against it")


def _lint_per_mille(spec: DocSpec, para: Para) -> None:
    spans = []
    for note in [*para.mentions, *para.distractors]:
        start = para.text.index(note.snippet)
        spans.append((start, start + len(note.snippet)))
    for m in PER_MILLE.finditer(para.text):
        _check(any(a <= m.start() and m.end() <= b for a, b in spans),
               f"{spec.name}: «{m.group()}» (per mille) is claimed by no mention or distractor")


def build_heldout(spec: DocSpec, file_name: str, fmt: str, note: str | None = None):
    """`build` plus the held-out extras; `note` marks the set (default: the first set's)."""
    truth, places = build(spec, file_name, fmt)
    entries = list(zip(truth["indicators"], places["indicators"]))
    extra_distractors: list[tuple[int, str]] = []
    for i, block in enumerate(spec.blocks):
        if isinstance(block, Para):
            _lint_per_mille(spec, block)
        if not isinstance(block, ColumnTable):
            continue
        header = block.rows[block.header_rows - 1]
        rows = [(r, y, "actual") for r, y in block.year_rows.items()] + \
               [(r, y, "target") for r, y in block.target_rows.items()]
        for c in range(len(header)):
            if c == block.label_col:
                continue
            col_note = block.col_notes.get(c)
            if col_note is None:
                _check(not ("率" in header[c] and any(_num(block.rows[r][c]) for r, _, _ in rows)),
                       f"{spec.name}: column «{header[c]}» has rates but no note")
                continue
            if col_note.distractor:
                extra_distractors.append((i, shown(header[c])))
                continue
            for r, year, role in sorted(rows):
                value = _cell_value(block.rows[r][c])
                if value is None:
                    continue
                cmp = ">=" if role == "target" and col_note.key not in LOWER_IS_BETTER else \
                    "<=" if role == "target" else "="
                lab = block.rows[r][block.label_col]
                m = Mention(col_note.key, lab, value, cmp, year, role, col_note.unit)
                _check_mention(spec, m)
                entry = _mention_entry(m, _block_page(spec, i), "table",
                                       f"{shown(header[c])} {shown(lab)} {block.rows[r][c]}")
                entries.append((entry, Locatable("table_row", i, lab, caption=block.caption or "")))
    # block order, stable within a block
    entries.sort(key=lambda e: e[1].block)
    truth["indicators"] = [e for e, _ in entries]
    places["indicators"] = [p for _, p in entries]

    # ambiguous phrasings: out of the distractors, into their own list
    ambiguous = []
    for block in spec.blocks:
        if isinstance(block, Para):
            for d in block.distractors:
                if isinstance(d, Ambiguous):
                    truth["distractors"].remove(shown(d.snippet))
                    ambiguous.append({"text": shown(d.snippet), "why": d.why})
    truth["distractors"] += [d for _, d in extra_distractors]

    exact: dict[tuple, set] = {}
    for e in truth["indicators"]:
        if e["role"] == "actual" and e["comparator"] == "=" and e["year"] is not None:
            exact.setdefault((e["key"], e["year"]), set()).add(e["value"])
    declared = {(c["key"], c["year"]) for c in spec.conflicts}
    for (key, year), values in exact.items():
        _check(len(values) == 1 or (key, year) in declared,
               f"{spec.name}: undeclared conflict {key} {year}: {sorted(values)}")

    # keep the field order of the main corpus, with the held-out extras after "requirements"
    out = {}
    for k, v in truth.items():
        out[k] = v
        if k == "requirements":
            out["ambiguous"] = ambiguous
    out["held_out"] = HELD_OUT_NOTE if note is None else note
    return out, places


def _num(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _block_page(spec: DocSpec, index: int) -> int:
    from ..layout import layout
    return layout(spec).pages[index]


__all__ = ["build_heldout", "SpecError"]
