"""`cpscreen compare PREVIOUS CURRENT`: two submissions of one enterprise side by side.

Two kinds, told apart by the documents' types:
- "rounds" (same type: the previous audit round and this one, 附件1 复审企业需与上一轮评审做对比):
  indicator by indicator the latest actual value of each round, its change and whether that is
  an improvement (the direction is rubric data, rubric/data/<province>/compare.toml), the
  year-by-year values where years are given (a year both rounds state with different values
  is marked restated), outline sections added and dropped, every item's score and the total
  before and after;
- "consistency" (a work summary and an audit report: the same round): every indicator and
  year both state, and where they disagree (`cross_conflicts`, as `batch` finds them).

Works on the contract's JSON results, so saved results compare as fresh ones do. The JSON
shape (`"schema": "cpscreen-compare/1"`) is in docs/json.md.
"""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from typing import Any

from . import cross_check as cc

SCHEMA = "cpscreen-compare/1"
KIND_ROUNDS, KIND_CONSISTENCY = "rounds", "consistency"
BETTER = ("higher", "lower")

# direction of a row: rounds use the first five, consistency the last four (and only_*)
DIRECTION_ZH = {
    "improved": "改善", "worse": "变差", "same": "持平", "changed": "有变化",
    "not_comparable": "无法比较", "only_current": "本轮新增", "only_previous": "本轮未提及",
    "agree": "一致", "disagree": "不一致",
}
KIND_ZH = {KIND_ROUNDS: "两轮审核对比", KIND_CONSISTENCY: "同一轮材料一致性核对"}


@lru_cache(maxsize=4)
def load_directions(province: str = "guangxi") -> tuple[dict[str, str], float]:
    """{key: "higher" | "lower"} and the `same_within` tolerance from compare.toml."""
    from rubric.items import DATA_DIR

    folder = DATA_DIR / province if not os.path.isdir(province) else province
    path = os.path.join(folder, "compare.toml")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}, 1e-6           # no directions: changes are shown without improved / worse
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _bad(str(exc)) from None
    known = _known_keys(folder)
    out: dict[str, str] = {}
    for key, entry in (data.get("indicator") or {}).items():
        if known and key not in known:
            raise _bad(f"indicator {key} is not in indicators.toml")
        better = entry.get("better") if isinstance(entry, dict) else None
        if better not in BETTER:
            raise _bad(f'indicator {key}: better must be "higher" or "lower"')
        out[key] = better
    tol = data.get("same_within", 1e-6)
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or tol < 0:
        raise _bad("same_within must be a number ≥ 0")
    return out, float(tol)


def _bad(detail: str):
    from ingest.errors import ScreenError
    return ScreenError("E012", detail=f"compare.toml: {detail}")


def _known_keys(folder) -> set[str]:
    try:
        from rubric.indicators import load_indicator_specs
        return {s.key for s in load_indicator_specs(folder)}
    except Exception:  # noqa: BLE001 - indicators.toml reports its own errors when a file is screened
        return set()


# ------------------------------------------------------------------------------ entry points

def compare_files(previous: str, current: str, province: str = "guangxi", ocr: bool = True) -> dict:
    """Screen both files and compare them; a file that cannot be read sets `error`."""
    from .pipeline import screen
    from .result import result_json

    results, errors = [], []
    for role, path in (("previous", previous), ("current", current)):
        r = screen(path, ocr=ocr)
        results.append(result_json(r))
        if r.error is not None:
            errors.append((role, r.error))
    if errors:
        return error_result(results[0], results[1], errors)
    return compare_results(results[0], results[1], province)


ROLE_ZH = {"previous": "第一个文件（PREVIOUS）", "current": "第二个文件（CURRENT）"}


def error_result(previous: dict, current: dict, errors: list) -> dict:
    """The compare JSON when a file could not be read: every key present, lists empty."""
    zh = "；".join(f"{ROLE_ZH[role]}无法读取：{err.zh}" for role, err in errors)
    en = "; ".join(f"the {role} file cannot be read: {err.en}" for role, err in errors)
    out = _skeleton(previous, current)
    out["error"] = f"{zh} / {en}"
    out["error_code"] = errors[0][1].code
    return out


def _side_info(r: dict) -> dict:
    info = {k: r.get(k) for k in ("file", "sha256", "doc_type", "enterprise", "pages", "error")}
    info["score"] = {k: (r.get("score") or {}).get(k) for k in ("auto", "review_max", "max", "pass_line")}
    if r.get("error_code"):
        info["error_code"] = r["error_code"]
    return info


def _skeleton(previous: dict, current: dict) -> dict[str, Any]:
    return {
        "schema": SCHEMA, "kind": None, "error": None,
        "previous": _side_info(previous), "current": _side_info(current),
        "same_enterprise": None, "warnings": [],
        "indicators": [], "sections": None, "items": [], "score": None,
        "cross_conflicts": [], "counts": {},
    }


def compare_results(previous: dict, current: dict, province: str = "guangxi") -> dict:
    """The comparison of two results (the contract's JSON dicts)."""
    directions, tol = load_directions(province)
    out = _skeleton(previous, current)
    types = (previous.get("doc_type"), current.get("doc_type"))
    consistency = all(t in cc.DOC_TYPES for t in types) and types[0] != types[1]
    out["kind"] = KIND_CONSISTENCY if consistency else KIND_ROUNDS
    out["same_enterprise"] = _enterprise_check(previous, current, out["warnings"])
    if previous.get("sha256") and previous.get("sha256") == current.get("sha256"):
        out["warnings"].append("两个文件内容完全相同 / the two files are identical")
    if consistency:
        out["warnings"].append(
            "两份材料类型不同（工作总结与审核报告），按同一轮材料做一致性核对，而非两轮对比 / "
            "the two files are a work summary and an audit report: checked for consistency, "
            "not compared as two rounds")
        out["indicators"] = _consistency_rows(previous, current, directions)
        out["cross_conflicts"] = cc.cross_conflicts(previous, current, current.get("file"))
    else:
        _order_check(previous, current, out["warnings"])
        out["indicators"] = _round_rows(previous, current, directions, tol)
        out["sections"] = _sections(previous, current)
    out["items"] = _items(previous, current)
    out["score"] = _score(previous, current)
    counts: dict[str, int] = {}
    for row in out["indicators"]:
        counts[row["direction"]] = counts.get(row["direction"], 0) + 1
    out["counts"] = counts
    return out


# ------------------------------------------------------------------------------ checks

def _enterprise_check(previous: dict, current: dict, warnings: list[str]) -> bool | None:
    a, b = previous.get("enterprise"), current.get("enterprise")
    if not a or not b:
        which = "、".join(f for f, n in ((previous.get("file"), a), (current.get("file"), b)) if not n)
        warnings.append(f"未能从 {which} 识别企业名称，无法确认两份材料属于同一企业 / "
                        f"no enterprise name found in {which}: cannot confirm that both files "
                        f"belong to one enterprise")
        return None
    if cc.normalise_enterprise(a) == cc.normalise_enterprise(b):
        return True
    warnings.append(f"两份材料的企业名称不同：“{a}”与“{b}”，请确认是否为同一企业 / "
                    f"the two files name different enterprises: {a} and {b}; check that they "
                    f"belong to one enterprise")
    return False


def _order_check(previous: dict, current: dict, warnings: list[str]) -> None:
    a, b = cc._latest_year(previous), cc._latest_year(current)
    if a is not None and b is not None and a > b:
        warnings.append(f"PREVIOUS 的数据年份（{a}年）晚于 CURRENT（{b}年），两个文件的顺序可能颠倒 / "
                        f"PREVIOUS states later years ({a}) than CURRENT ({b}): the files may be "
                        f"in the wrong order")


# ------------------------------------------------------------------------------ indicators

def _indicator_names(province: str = "guangxi") -> dict[str, str]:
    from .scoresheet import rubric_meta
    return rubric_meta(province).indicator_names


def _key_order(previous: dict, current: dict) -> list[str]:
    keys: list[str] = []
    for r in (current, previous):
        for m in r.get("indicators") or []:
            if (m.get("role") or "actual") == "actual" and m.get("key") not in keys:
                keys.append(m.get("key"))
    return keys


def _worst(ms: list[dict], better: str | None) -> dict:
    """Of disagreeing statements, the one least favourable to the enterprise (as scoring does)."""
    if better == "lower":
        return max(ms, key=lambda m: float(m["value"]))
    return min(ms, key=lambda m: float(m["value"]))


def _side(ms: list[dict], better: str | None) -> dict | None:
    if not ms:
        return None
    values = list(dict.fromkeys(round(float(m["value"]), 6) for m in ms))
    conflict = any(not cc.compatible(ms[i], ms[j]) for i in range(len(ms)) for j in range(i + 1, len(ms)))
    m = _worst(ms, better) if conflict else ms[0]
    out = {"value": round(float(m["value"]), 6), "comparator": m.get("comparator") or "=",
           "unit": m.get("unit") or "", "year": m.get("year"), "page": m.get("page"),
           "source": m.get("source"), "text": m.get("text") or "", "values": values,
           "pages": list(dict.fromkeys(x.get("page") for x in ms)), "conflict": conflict}
    if m.get("comparator") == "range":
        out["low"], out["high"] = m.get("low"), m.get("high")
    return out


def _latest(ms: list[dict]) -> list[dict]:
    """The statements of the latest year stated; undated ones only when no year is stated."""
    dated = [m for m in ms if isinstance(m.get("year"), int)]
    if dated:
        year = max(m["year"] for m in dated)
        return [m for m in dated if m["year"] == year]
    return ms


def _direction(prev: dict | None, cur: dict | None, better: str | None, tol: float) -> tuple[str, float | None]:
    if prev is None:
        return "only_current", None
    if cur is None:
        return "only_previous", None
    if prev["unit"] != cur["unit"]:
        return "not_comparable", None
    change = round(cur["value"] - prev["value"], 6)
    if abs(change) <= tol:
        return "same", 0.0
    if better is None:
        return "changed", change
    up = change > 0
    return ("improved" if up == (better == "higher") else "worse"), change


def _round_rows(previous: dict, current: dict, directions: dict[str, str], tol: float) -> list[dict]:
    names = _indicator_names()
    prev_by, cur_by = _by_key(previous), _by_key(current)
    rows = []
    for key in _key_order(previous, current):
        better = directions.get(key)
        p_ms, c_ms = prev_by.get(key, []), cur_by.get(key, [])
        prev, cur = _side(_latest(p_ms), better), _side(_latest(c_ms), better)
        direction, change = _direction(prev, cur, better, tol)
        years = sorted({m["year"] for m in p_ms + c_ms if isinstance(m.get("year"), int)})
        year_rows = []
        for y in years:
            py = _side([m for m in p_ms if m.get("year") == y], better)
            cy = _side([m for m in c_ms if m.get("year") == y], better)
            restated = bool(py and cy and cc.disagreement([m for m in p_ms if m.get("year") == y],
                                                          [m for m in c_ms if m.get("year") == y]))
            year_rows.append({"year": y, "previous": py, "current": cy, "restated": restated})
        rows.append({"key": key, "name": names.get(key, key), "unit": (cur or prev)["unit"],
                     "better": better, "year": None, "previous": prev, "current": cur,
                     "change": change, "direction": direction, "years": year_rows})
    return rows


def _by_key(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for (key, _year), ms in cc.actual_by_key_year(result).items():
        out.setdefault(key, []).extend(ms)
    for ms in out.values():
        ms.sort(key=lambda m: (m.get("page") or 0))
    return out


def _consistency_rows(first: dict, second: dict, directions: dict[str, str]) -> list[dict]:
    names = _indicator_names()
    a_by, b_by = cc.actual_by_key_year(first), cc.actual_by_key_year(second)
    order = _key_order(first, second)
    pairs = sorted(set(a_by) | set(b_by),
                   key=lambda ky: (order.index(ky[0]) if ky[0] in order else 99, ky[1] or 0))
    rows = []
    for key, year in pairs:
        better = directions.get(key)
        a_ms, b_ms = a_by.get((key, year), []), b_by.get((key, year), [])
        a, b = _side(a_ms, better), _side(b_ms, better)
        if a is None:
            direction, change = "only_current", None
        elif b is None:
            direction, change = "only_previous", None
        else:
            direction = "disagree" if cc.disagreement(a_ms, b_ms) else "agree"
            change = round(b["value"] - a["value"], 6) if a["unit"] == b["unit"] else None
        rows.append({"key": key, "name": names.get(key, key), "unit": (a or b)["unit"], "better": better,
                     "year": year, "previous": a, "current": b, "change": change,
                     "direction": direction, "years": []})
    return rows


# ------------------------------------------------------------------------------ outline, items, score

def _present(status: str | None) -> bool:
    return status in ("heading", "body")


def _sections(previous: dict, current: dict) -> dict:
    p = {s["id"]: s for s in (previous.get("outline") or {}).get("sections") or []}
    c = {s["id"]: s for s in (current.get("outline") or {}).get("sections") or []}
    template = (current.get("outline") or {}).get("template") or (previous.get("outline") or {}).get("template")
    order = list(c) + [sid for sid in p if sid not in c]
    rows, added, dropped = [], [], []
    for sid in order:
        ps, cs = p.get(sid) or {}, c.get(sid) or {}
        change = ""
        if not _present(ps.get("status")) and _present(cs.get("status")):
            change = "added"
            added.append({"id": sid, "title": cs.get("title"), "heading": cs.get("heading") or cs.get("evidence"),
                          "page": cs.get("page")})
        elif _present(ps.get("status")) and not _present(cs.get("status")):
            change = "dropped"
            dropped.append({"id": sid, "title": ps.get("title"), "heading": ps.get("heading") or ps.get("evidence"),
                            "page": ps.get("page")})
        rows.append({"id": sid, "title": cs.get("title") or ps.get("title"),
                     "previous": ps.get("status"), "current": cs.get("status"),
                     "previous_page": ps.get("page"), "current_page": cs.get("page"), "change": change})
    return {"template": template, "added": added, "dropped": dropped, "rows": rows}


def _items(previous: dict, current: dict) -> list[dict]:
    p = {str(i.get("id")): i for i in previous.get("items") or []}
    c = {str(i.get("id")): i for i in current.get("items") or []}
    order = list(c) + [i for i in p if i not in c]
    rows = []
    for iid in order:
        pi, ci = p.get(iid) or {}, c.get(iid) or {}
        ps, cs = pi.get("score"), ci.get("score")
        change = None
        if isinstance(ps, (int, float)) and isinstance(cs, (int, float)):
            change = _points(cs - ps)
        rows.append({"id": iid, "title": ci.get("title") or pi.get("title"), "max": ci.get("max") or pi.get("max"),
                     "previous": ps, "current": cs, "change": change,
                     "previous_status": pi.get("status"), "current_status": ci.get("status")})
    return rows


def _points(v: float) -> float | int:
    v = round(float(v), 6)
    return int(v) if v.is_integer() else v


def _score(previous: dict, current: dict) -> dict:
    def pick(r: dict) -> dict:
        s = r.get("score") or {}
        return {k: s.get(k) for k in ("auto", "review_max", "max", "pass_line")}
    p, c = pick(previous), pick(current)
    change = _points(c["auto"] - p["auto"]) if isinstance(p["auto"], (int, float)) and \
        isinstance(c["auto"], (int, float)) else None
    return {"previous": p, "current": c, "auto_change": change}


# ------------------------------------------------------------------------------ the command

def cmd_compare(previous: str, current: str, fmt: str = "table", output: str | None = None) -> int:
    """`cpscreen compare`: exit 0 compared, 2 usage, 3 a file (or compare.toml) could not be read."""
    import sys

    from ingest.errors import ScreenError

    from .cli import EXIT_OK, EXIT_UNREADABLE, UsageError, write_output
    from .render_compare import render_compare

    if fmt == "xlsx" and not output:
        raise UsageError("xlsx 格式需要用 -o 指定输出文件 / the xlsx format needs an output file: -o OUT.xlsx")
    try:
        cmp = compare_files(previous, current)
    except ScreenError as err:           # the rubric data is broken: nothing can be compared
        sys.stderr.write(f"{err.zh}\n{err.en}\n")
        return EXIT_UNREADABLE
    write_output(render_compare(cmp, fmt), output)
    if cmp.get("error"):
        if fmt != "table" or output:     # the table on stdout already carries the message
            zh, _, en = cmp["error"].partition(" / ")
            sys.stderr.write(f"{zh}\n{en}\n")
        return EXIT_UNREADABLE
    return EXIT_OK
