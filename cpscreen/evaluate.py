"""`cpscreen eval [CORPUS]`: how well cpscreen does against the corpus truth.

For each sample with a truth file (corpus/truth/<file>.json, see
docs/interfaces.md) it screens the sample and compares: body headings found,
the one truth table, outline section statuses, indicator mentions (precision,
recall, F1, comparator agreement, page agreement, distractors extracted) and
the rubric items the numbers decide. Prints a row per document and the totals.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import Table
from ingest.normalize import normalize_text


def _norm(text: str) -> str:
    """Compare as the readers write: the one normalisation, then no white space."""
    return re.sub(r"\s+", "", normalize_text(text or ""))


@dataclass
class Tally:
    headings_tp: int = 0
    headings_truth: int = 0
    headings_found: int = 0
    tables_ok: int = 0
    tables_truth: int = 0
    sections_ok: int = 0
    sections_truth: int = 0
    false_missing: int = 0
    ind_tp: int = 0
    ind_pred: int = 0
    ind_truth: int = 0
    comparator_ok: int = 0
    page_ok: int = 0
    distractor_hits: int = 0
    distractors: int = 0
    items_ok: int = 0
    items_truth: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
            else:
                getattr(self, name).extend(value)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def compare(result, truth: dict) -> tuple[Tally, list[str]]:
    """Compare one ScreenResult with its truth; return the tally and the differences."""
    t = Tally()
    diffs: list[str] = []
    if result.error is not None:
        t.errors.append(f"{truth.get('file')}: {result.error}")
        return t, [str(result.error)]

    # headings
    if "headings" in truth and result.outline is not None:
        found = [_norm(h.text) for h in result.outline.headings]
        want = [_norm(h) for h in truth["headings"]]
        t.headings_truth += len(want)
        t.headings_found += len(found)
        remaining = list(found)
        for h in want:
            if h in remaining:
                remaining.remove(h)
                t.headings_tp += 1
            else:
                diffs.append(f"heading not found: {h}")
        for h in remaining:
            diffs.append(f"extra heading: {h}")

    # the one truth table
    if truth.get("table"):
        t.tables_truth += 1
        want = [[_norm(c) for c in row] for row in truth["table"]["cells"]]
        grids = [[[_norm(c) for c in row] for row in b.grid()]
                 for b in result.document.blocks if isinstance(b, Table)]
        if want in grids:
            t.tables_ok += 1
        else:
            diffs.append("truth table not found cell for cell")

    # outline sections
    if "sections" in truth and result.outline is not None:
        got = {s.id: s.status for s in result.outline.sections}
        for sid, status in truth["sections"].items():
            t.sections_truth += 1
            if got.get(sid) == status:
                t.sections_ok += 1
            else:
                diffs.append(f"section {sid}: want {status}, got {got.get(sid)}")
                if got.get(sid) == "missing":
                    t.false_missing += 1

    # indicators
    if "indicators" in truth:
        want = list(truth["indicators"])
        pred = list(result.mentions)
        t.ind_truth += len(want)
        t.ind_pred += len(pred)
        unmatched = list(pred)
        for w in want:
            hit = next((m for m in unmatched if m.key == w["key"] and _close(m.value, w["value"])
                        and m.year == w.get("year") and m.role == w.get("role", "actual")), None)
            if hit is None:
                diffs.append(f"indicator missed: {w['key']} {w['value']} {w.get('year')} "
                             f"{w.get('role', 'actual')} p{w.get('page')}: {w.get('text', '')[:40]}")
                continue
            unmatched.remove(hit)
            t.ind_tp += 1
            if hit.comparator == w.get("comparator", "="):
                t.comparator_ok += 1
            else:
                diffs.append(f"comparator {w['key']} {w['value']}: want {w.get('comparator')}, got {hit.comparator}")
            if w.get("page") is None or hit.page == w["page"]:
                t.page_ok += 1
            else:
                diffs.append(f"page {w['key']} {w['value']}: want {w['page']}, got {hit.page}")
        for m in unmatched:
            diffs.append(f"indicator extra: {m.key} {m.value:g} {m.year} {m.role} p{m.page}: {m.text[:50]}")
        # A distractor is "extracted" when a mention that matches no truth entry
        # quotes it: a true mention's sentence may well contain a distractor too.
        for d in truth.get("distractors", []):
            t.distractors += 1
            dn = _norm(d)
            if any(dn in _norm(m.text) or (_norm(m.text) and _norm(m.text) in dn) for m in unmatched
                   if m.unit != "flag"):
                t.distractor_hits += 1
                diffs.append(f"distractor extracted: {d[:50]}")

    # rubric items decided by the numbers
    if truth.get("items") and result.assessment is not None:
        got = {str(i.id): i.score for i in result.assessment.items}
        for iid, pts in truth["items"].items():
            t.items_truth += 1
            if got.get(str(iid)) is not None and _close(got[str(iid)], pts):
                t.items_ok += 1
            else:
                diffs.append(f"item {iid}: want {pts}, got {got.get(str(iid))}")
    return t, diffs


def figures(t: Tally) -> dict:
    p = _ratio(t.ind_tp, t.ind_pred)
    r = _ratio(t.ind_tp, t.ind_truth)
    f1 = 2 * p * r / (p + r) if p and r else None
    return {
        "headings_recall": _ratio(t.headings_tp, t.headings_truth),
        "headings_precision": _ratio(t.headings_tp, t.headings_found),
        "tables": _ratio(t.tables_ok, t.tables_truth),
        "section_accuracy": _ratio(t.sections_ok, t.sections_truth),
        "false_missing": t.false_missing,
        "indicator_precision": p, "indicator_recall": r, "indicator_f1": f1,
        "comparator_accuracy": _ratio(t.comparator_ok, t.ind_tp),
        "page_accuracy": _ratio(t.page_ok, t.ind_tp),
        "distractor_hits": t.distractor_hits, "distractors": t.distractors,
        "item_accuracy": _ratio(t.items_ok, t.items_truth),
        "errors": len(t.errors),
    }


def _fmt(v) -> str:
    return "  -  " if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def default_corpus() -> Path:
    from importlib.resources import files
    return Path(str(files("corpus")))


def run_eval(corpus: str | None, as_json: bool = False, verbose: bool = False) -> int:
    from .pipeline import screen

    root = Path(corpus) if corpus else default_corpus()
    truth_dir = root / "truth"
    samples = root / "samples"
    if not truth_dir.is_dir():
        sys.stderr.write(f"找不到语料真值目录 / no truth folder: {truth_dir}\n")
        return 2
    total = Tally()
    rows = []
    for tf in sorted(truth_dir.glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        path = samples / truth["file"]
        result = screen(path, doc_type=None)
        tally, diffs = compare(result, truth)
        if truth.get("doc_type") and result.doc_type != truth["doc_type"]:
            diffs.append(f"doc_type: want {truth['doc_type']}, got {result.doc_type}")
        total.add(tally)
        rows.append({"file": truth["file"], **figures(tally), "diffs": diffs})
    summary = figures(total)
    if as_json:
        print(json.dumps({"documents": rows, "total": summary}, ensure_ascii=False, indent=2))
        return 0
    cols = ("section_accuracy", "false_missing", "headings_recall", "tables",
            "indicator_precision", "indicator_recall", "comparator_accuracy", "distractor_hits", "item_accuracy")
    short = ("sections", "f.miss", "head.R", "table", "ind.P", "ind.R", "comp", "distr", "items")
    print(f"{'document':34}" + "".join(f"{s:>9}" for s in short))
    for row in rows:
        print(f"{row['file'][:34]:34}" + "".join(f"{_fmt(row[c]):>9}" for c in cols))
        if verbose:
            for d in row["diffs"]:
                print(f"    {d}")
    print(f"{'TOTAL':34}" + "".join(f"{_fmt(summary[c]):>9}" for c in cols))
    print(f"indicators: P {_fmt(summary['indicator_precision'])} R {_fmt(summary['indicator_recall'])} "
          f"F1 {_fmt(summary['indicator_f1'])} | comparator {_fmt(summary['comparator_accuracy'])} "
          f"| page {_fmt(summary['page_accuracy'])} | distractor hits {summary['distractor_hits']}/{summary['distractors']}")
    print(f"outline: section accuracy {_fmt(summary['section_accuracy'])}, false missing {summary['false_missing']}"
          f" | headings recall {_fmt(summary['headings_recall'])} precision {_fmt(summary['headings_precision'])}"
          f" | tables {_fmt(summary['tables'])} | items {_fmt(summary['item_accuracy'])}"
          f" | errors {summary['errors']}")
    return 0
