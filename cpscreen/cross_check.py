"""A work summary against the audit report of the same enterprise: the same indicator and year
must carry the same value in both.

Works on the contract's JSON results (`cpscreen.result.result_json`), so `batch` can check
results it screened in other processes or in an earlier run. Two statements agree when they
could both be true (`extractors.indicators.find_conflicts` decides, as it does inside one
report: "≥95%" and "98%" agree, "100%" and "98%" do not). Only actual values count (never a
target or a quoted requirement), only in the same unit, and a (key, year) disagrees only when
no statement of one document agrees with any statement of the other: a value the report
itself states twice differently is the report's own conflict, listed under `conflicts`.

`cross_conflicts` entries: {key, year, this_value, other_value, this_page, other_page,
other_file} — "this" is the result they are written into — plus, as additions, `name`,
`unit`, `this_text`, `other_text`, `other_doc_type`.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from ingest.normalize import normalize_text

DOC_TYPES = ("audit_report", "work_summary")


# ------------------------------------------------------------------------------ enterprise names

_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")


def normalise_enterprise(name: str | None) -> str:
    """The name as a key: full-width folded, no spaces or brackets, one legal form.

    "广西某某（集团）有限责任公司" and "广西某某(集团)有限公司" are one enterprise; a
    different place or trade name is not.
    """
    if not name:
        return ""
    text = normalize_text(name)
    text = re.sub(r"[\s()（）【】\[\]“”\"'·]", "", text)
    for form in _LEGAL_FORMS:
        if text.endswith(form):
            text = text[: -len(form)] + "公司"
            break
    return text


# ------------------------------------------------------------------------------ statements

def _as_mention(m: dict):
    from extractors.facts import IndicatorMention

    return IndicatorMention(key=m.get("key", ""), name=m.get("name") or m.get("key", ""),
                            value=float(m.get("value") or 0), unit=m.get("unit") or "",
                            comparator=m.get("comparator") or "=", page=m.get("page") or 0,
                            source=m.get("source") or "text", text=m.get("text") or "",
                            locator=m.get("locator") or "", year=m.get("year"),
                            low=m.get("low"), high=m.get("high"), derived=bool(m.get("derived")),
                            role="actual")


def compatible(a: dict, b: dict) -> bool:
    """Whether two statements of one indicator and year can both be true."""
    from extractors.indicators import find_conflicts

    if (a.get("unit") or "") != (b.get("unit") or ""):
        return True                 # not comparable here: never reported as a disagreement
    return not find_conflicts([_as_mention(a), _as_mention(b)])


def actual_by_key_year(result: dict) -> dict[tuple[str, int | None], list[dict]]:
    """The actual values a result states, by (key, year), in reading order."""
    out: dict[tuple[str, int | None], list[dict]] = {}
    for m in result.get("indicators") or []:
        if (m.get("role") or "actual") != "actual" or not isinstance(m.get("value"), (int, float)):
            continue
        out.setdefault((m.get("key"), m.get("year")), []).append(m)
    return out


def disagreement(these: list[dict], others: list[dict]) -> tuple[dict, dict] | None:
    """The pair to show when no statement of `these` agrees with any of `others`, else None."""
    if not these or not others:
        return None
    for a in these:
        for b in others:
            if compatible(a, b):
                return None
    return these[0], others[0]


def cross_conflicts(this: dict, other: dict, other_file: str | None = None) -> list[dict]:
    """Where `other` states an indicator and year differently from `this`."""
    mine, theirs = actual_by_key_year(this), actual_by_key_year(other)
    out = []
    for (key, year), these in mine.items():
        pair = disagreement(these, theirs.get((key, year), []))
        if pair is None:
            continue
        a, b = pair
        out.append({
            "key": key, "year": year,
            "this_value": _number(a.get("value")), "other_value": _number(b.get("value")),
            "this_page": a.get("page"), "other_page": b.get("page"),
            "other_file": other_file if other_file is not None else other.get("file"),
            # additions
            "name": a.get("name") or key, "unit": a.get("unit") or "",
            "this_comparator": a.get("comparator") or "=", "other_comparator": b.get("comparator") or "=",
            "this_text": a.get("text") or "", "other_text": b.get("text") or "",
            "other_doc_type": other.get("doc_type"),
        })
    return out


def _number(v: Any) -> float | None:
    return None if v is None else round(float(v), 6)


# ------------------------------------------------------------------------------ pairing (batch)

def _latest_year(result: dict) -> int | None:
    years = [m.get("year") for m in result.get("indicators") or []
             if (m.get("role") or "actual") == "actual" and isinstance(m.get("year"), int)]
    return max(years) if years else None


def pair_results(results: dict[str, dict]) -> dict[str, list[str]]:
    """For each result id: the ids of the results it is checked against.

    A work summary pairs with the audit reports of the same enterprise (normalised name); when
    the enterprise has reports of several rounds, only those whose latest data year is the
    summary's are used (a summary is not checked against the previous round's report).
    Results with an error, no enterprise or no document type pair with nothing.
    """
    groups: dict[str, dict[str, list[str]]] = {}
    for rid, r in results.items():
        if r.get("error") or r.get("doc_type") not in DOC_TYPES:
            continue
        name = normalise_enterprise(r.get("enterprise"))
        if not name:
            continue
        groups.setdefault(name, {t: [] for t in DOC_TYPES})[r["doc_type"]].append(rid)
    partners: dict[str, list[str]] = {rid: [] for rid in results}
    for by_type in groups.values():
        for summary in by_type["work_summary"]:
            reports = by_type["audit_report"]
            year = _latest_year(results[summary])
            same_round = [r for r in reports if year is not None and _latest_year(results[r]) == year]
            for report in same_round or reports:
                partners[summary].append(report)
                partners[report].append(summary)
    return partners


def check_all(results: dict[str, dict], names: dict[str, str] | None = None) -> set[str]:
    """Set `cross_conflicts` and `cross_checked` on every result; the ids whose values changed.

    `names` gives the file name to report for a result id (default: the result's `file`).
    Results that could not be read are left as they are.
    """
    names = names or {}
    partners = pair_results(results)
    changed: set[str] = set()
    for rid, r in results.items():
        if r.get("error"):
            continue
        found: list[dict] = []
        checked: list[dict] = []
        for other_id in partners.get(rid, []):
            other = results[other_id]
            other_name = names.get(other_id) or other.get("file") or ""
            checked.append({"file": other_name, "doc_type": other.get("doc_type")})
            found += cross_conflicts(r, other, other_name)
        if r.get("cross_conflicts", []) != found or r.get("cross_checked", []) != checked:
            changed.add(rid)
        r["cross_conflicts"] = found
        r["cross_checked"] = checked
    return changed


def describe(c: dict, fmt=None) -> str:
    """One disagreement in a sentence: 水计量率（2023年）：本文件第4页为100%，x.docx 第3页为98%."""
    from .scoresheet import fmt_number, rubric_meta

    fmt = fmt or fmt_number
    name = rubric_meta().indicator_names.get(c.get("key"), c.get("name") or c.get("key") or "")
    year = f"（{c['year']}年）" if c.get("year") else ""
    unit = "" if c.get("unit") == "flag" else c.get("unit") or ""
    from .scoresheet import DOC_TYPE_SHORT
    kind = DOC_TYPE_SHORT.get(c.get("other_doc_type") or "", "")
    return (f"{name}{year}：本文件{_page(c.get('this_page'))}为{fmt(c.get('this_value'))}{unit}，"
            f"{kind}“{c.get('other_file') or '另一份材料'}”{_page(c.get('other_page'))}为{fmt(c.get('other_value'))}{unit}")


def _page(p) -> str:
    return f"第{p}页" if p else "（页码不详）"


def partners_text(checked: Iterable[dict]) -> str:
    from .scoresheet import DOC_TYPE_SHORT

    return "、".join(f"{DOC_TYPE_SHORT.get(c.get('doc_type') or '', '')}“{c.get('file')}”" for c in checked)
