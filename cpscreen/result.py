"""The contract's JSON result (`"schema": "cpscreen/1"`), built from a ScreenResult.

Every key of ../shared/spec/CONTRACT.md is always present, also on error, so a
program reading the result never has to test for a key. Fields beyond the
contract (role, locator, evidence, enterprise …) are additions, never renames.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import ScreenResult

SCHEMA = "cpscreen/1"


def _section_json(s) -> dict[str, Any]:
    out = {"id": s.id, "title": s.title, "status": s.status, "heading": s.heading, "page": s.page}
    if s.evidence:
        out["evidence"] = s.evidence
    if s.locator:
        out["locator"] = s.locator
    return out


def _number(v: float | None) -> float | None:
    if v is None:
        return None
    return round(float(v), 6)


def _points(v: float | None) -> float | int | None:
    """Scores as the table writes them: 2, not 2.0; 1.5 stays 1.5."""
    if v is None:
        return None
    v = round(float(v), 6)
    return int(v) if v.is_integer() else v


def indicator_json(m) -> dict[str, Any]:
    out = {
        "key": m.key, "name": m.name, "value": _number(m.value), "unit": m.unit,
        "comparator": m.comparator, "year": m.year, "page": m.page, "source": m.source,
        "text": m.text, "derived": bool(m.derived), "role": m.role, "locator": m.locator,
    }
    if m.comparator == "range":
        out["low"] = _number(m.low)
        out["high"] = _number(m.high)
    return out


def conflict_json(c) -> dict[str, Any]:
    return {"key": c.key, "year": c.year, "values": [_number(v) for v in c.values],
            "pages": list(c.pages)}


def item_json(it) -> dict[str, Any]:
    d = asdict(it) if hasattr(it, "__dataclass_fields__") else dict(it)
    out = {"id": d["id"], "title": d["title"], "max": _points(d["max"]), "score": _points(d["score"]),
           "status": d["status"], "basis": d["basis"],
           "evidence": [{"page": e.get("page"), "text": e.get("text")} for e in d.get("evidence", [])]}
    for extra in ("series",):
        if extra in d:
            out[extra] = d[extra]
    return out


def result_json(r: "ScreenResult") -> dict[str, Any]:
    doc = r.document
    a = r.assessment
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "file": r.file,
        "sha256": doc.sha256 if doc else r.sha256,
        "doc_type": r.doc_type,
        "pages": doc.pages if doc else 0,
        "ocr_pages": doc.ocr_pages if doc else 0,
        "error": r.error_message,
        "warnings": list(r.warnings),
        "outline": {
            "template": r.outline.template if r.outline else r.doc_type,
            "sections": [_section_json(s) for s in r.outline.sections] if r.outline else [],
        },
        "indicators": [indicator_json(m) for m in r.mentions],
        "conflicts": [conflict_json(c) for c in r.conflicts],
        "items": [item_json(i) for i in a.items] if a else [],
        "score": _score_json(a),
        "missing": [{"kind": m.kind, "ref": m.ref, "message": m.message} for m in a.missing] if a else [],
    }
    if doc is not None:
        out["format"] = doc.format
        out["unread_pages"] = list(doc.unread_pages)
    if r.enterprise:
        out["enterprise"] = r.enterprise
    if r.error is not None:
        out["error_code"] = r.error.code
    return out


def _score_json(a) -> dict[str, Any]:
    if a is None:
        return {"auto": 0, "review_max": 0, "max": 100, "pass_line": 80}
    s = a.score
    out = {"auto": _points(s.auto), "review_max": _points(s.review_max), "max": _points(s.max),
           "pass_line": _points(s.pass_line)}
    for extra in ("sentence", "can_pass"):
        if hasattr(s, extra):
            out[extra] = getattr(s, extra)
    return out


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
