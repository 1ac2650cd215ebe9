"""What the HTML and Excel renderers share: the 附件3 table rows and the reviewer's view of a result.

The renderers read only the contract's JSON dict (`cpscreen.result.result_json`), so a
result saved by a batch renders the same as a fresh one. What the JSON does not carry — the
series of 附件3, each item's 要求 text and the indicator keys it reads, the indicators'
standard names — comes from the rubric data through the rubric's own loaders.

Document text is never trusted: highlighting splits a sentence into `Segment`s (plain text
plus a flag), and the template escapes every segment; no HTML is built here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

DOC_TYPE_ZH = {"audit_report": "清洁生产审核报告", "work_summary": "清洁生产工作总结"}
DOC_TYPE_SHORT = {"audit_report": "审核报告", "work_summary": "工作总结"}
SECTION_STATUS_ZH = {"heading": "有标题", "body": "正文有（无标题）", "missing": "缺失"}
ITEM_STATUS_ZH = {"auto": "自动评分", "review": "待人工复核", "no_evidence": "未找到依据"}
ROLE_ZH = {"actual": "实际值", "target": "目标值", "requirement": "引用要求"}
SOURCE_ZH = {"text": "正文", "table": "表格", "heading": "章节标题"}
MISSING_KIND_ZH = {"section": "缺少章节", "indicator": "缺少指标", "threshold": "未达标",
                   "conflict": "数值不一致"}
COMPARATOR_SIGN = {"=": "", ">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "~": "约", "range": ""}
FLAG_ZH = {1.0: "是", 0.5: "部分", 0.0: "否"}
SERIES_ZH_NUM = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五"}

TABLE_TITLE = "广西壮族自治区清洁生产企业审核表"
PASS_NOTE = "说明：验收评分80分以上为合格。"


# --------------------------------------------------------------------------- rubric metadata

@dataclass
class ItemMeta:
    id: str
    series: str
    title: str
    requirement: str
    points: float
    keys: list[str] = field(default_factory=list)
    outline_based: bool = False     # scored on the outline (附件3 item 1): its evidence is the checklist


@dataclass
class SeriesMeta:
    id: str
    title: str
    points: float

    @property
    def label(self) -> str:
        """As 附件3 prints it: 基本条件（30分）."""
        return f"{self.title}（{fmt_number(self.points)}分）"


@dataclass
class RubricMeta:
    series: list[SeriesMeta]
    items: dict[str, ItemMeta]
    indicator_names: dict[str, str]
    max_points: float = 100
    pass_line: float = 80


@lru_cache(maxsize=4)
def rubric_meta(province: str = "guangxi") -> RubricMeta:
    """The rubric data the JSON does not carry, through the rubric's loaders.

    When the data cannot be loaded (a reviewer's edit broke it) the renderers still work
    from the JSON alone: the series then come from the items' `series` field and the 要求
    column stays empty.
    """
    try:
        from rubric.items import load_rubric
        rb = load_rubric(province)
        series = [SeriesMeta(s.id, s.title, s.points) for s in rb.series]
        items = {it.id: ItemMeta(it.id, it.series, it.title, it.requirement, it.points,
                                 list(dict.fromkeys(it.indicator_keys)),
                                 any(p.kind == "outline_share" for p in it.parts)) for it in rb.items}
        meta = RubricMeta(series, items, {}, rb.max_points, rb.pass_line)
    except Exception:  # noqa: BLE001 - a broken rubric must not stop a report from rendering
        meta = RubricMeta([], {}, {})
    try:
        from rubric.indicators import load_indicator_specs
        meta.indicator_names = {s.key: s.name for s in load_indicator_specs()}
    except Exception:  # noqa: BLE001 - names are a nicety; the key is shown instead
        pass
    return meta


# --------------------------------------------------------------------------- formatting

def fmt_number(x: Any) -> str:
    """100.0 -> "100", 95.5 -> "95.5"; anything else as text."""
    if isinstance(x, bool) or x is None:
        return "" if x is None else str(x)
    if isinstance(x, (int, float)):
        if float(x).is_integer():
            return str(int(x))
        return f"{x:.4f}".rstrip("0").rstrip(".")
    return str(x)


def value_text(m: dict) -> str:
    """How a mention's value reads: "≥95%", "约95%", "90%～95%", "是"."""
    unit = m.get("unit") or ""
    if unit == "flag":
        return FLAG_ZH.get(float(m.get("value") or 0), fmt_number(m.get("value")))
    if m.get("comparator") == "range" and m.get("low") is not None and m.get("high") is not None:
        return f"{fmt_number(m['low'])}{unit}～{fmt_number(m['high'])}{unit}"
    sign = COMPARATOR_SIGN.get(m.get("comparator") or "=", m.get("comparator") or "")
    return f"{sign}{fmt_number(m.get('value'))}{unit}"


# --------------------------------------------------------------------------- highlighting

@dataclass
class Segment:
    text: str
    mark: bool = False


def _number_pattern(value: float, unit: str) -> re.Pattern | None:
    if value is None:
        return None
    text = fmt_number(value)
    if "." in text:
        whole, frac = text.split(".")
        number = re.escape(whole) + r"\." + re.escape(frac) + "0*"
    else:
        number = re.escape(text) + r"(?:\.0+)?"
    if unit in ("%", ""):
        tail = r"(?:\s*[%％])?"
    elif unit == "flag":
        return None
    else:
        tail = r"(?:\s*" + re.escape(unit) + ")?"
    return re.compile(r"(?<![\d.])" + number + r"(?![\d])" + tail)


def _mention_spans(text: str, m: dict) -> list[tuple[int, int]]:
    """Where in `text` the mention's value stands (after its name when the name is there)."""
    name = m.get("name") or ""
    name_at = text.find(name) if name else -1
    unit = m.get("unit") or ""
    if unit == "flag":
        return [(name_at, name_at + len(name))] if name_at >= 0 else []
    values = [m.get("low"), m.get("high")] if m.get("comparator") == "range" else [m.get("value")]
    spans = []
    start = name_at + len(name) if name_at >= 0 else 0
    for v in values:
        pattern = _number_pattern(v, unit) if isinstance(v, (int, float)) else None
        if pattern is None:
            continue
        hit = pattern.search(text, start) or pattern.search(text)
        if hit:
            spans.append(hit.span())
            start = hit.end()
    if not spans and name_at >= 0:      # a derived value is not in the text: point at the name
        spans.append((name_at, name_at + len(name)))
    return spans


def highlight(text: str, mentions: list[dict]) -> list[Segment]:
    """`text` cut into segments, the mentions' values marked."""
    text = text or ""
    spans = sorted(s for m in mentions for s in _mention_spans(text, m) if s[1] > s[0])
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        if a > pos:
            out.append(Segment(text[pos:a]))
        out.append(Segment(text[a:b], True))
        pos = b
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


_SPACE = re.compile(r"\s+")


def _squeezed(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def _same_sentence(a: str, b: str) -> bool:
    """a and b without white space: one is the other, or holds it."""
    return bool(a and b) and (a == b or a in b or b in a)


class _MentionIndex:
    """The mentions an evidence sentence is compared with: those of its own page, and of the
    item's indicators when it has some, each sentence squeezed once.
    (Comparing every pair made the HTML and the workbook of a 200-page report cost seconds:
    800 evidence sentences times 1,350 mentions, and a DOCX has few, long pages.)"""

    def __init__(self, mentions: list[dict]) -> None:
        self._by_page: dict = {}
        self._by_page_key: dict = {}
        for m in mentions:
            entry = (m, _squeezed(m.get("text")))
            try:
                self._by_page.setdefault(m.get("page"), []).append(entry)
                self._by_page_key.setdefault((m.get("page"), m.get("key")), []).append(entry)
            except TypeError:       # a page or key that is no number or name: never equal
                continue

    def same_sentence(self, page, sentence: str, keys) -> list[dict]:
        try:
            if keys:
                found = [e for k in dict.fromkeys(keys) for e in self._by_page_key.get((page, k), ())]
            else:
                found = self._by_page.get(page, [])
        except TypeError:
            return []
        return [m for m, text in found if _same_sentence(text, sentence)]


# --------------------------------------------------------------------------- the views

@dataclass
class EvidenceView:
    page: int | None
    text: str
    segments: list[Segment]


@dataclass
class ItemRow:
    """One row of 附件3 as the renderers show it."""

    id: str
    number: str                 # the 序号 column: the id, "（23）" for the rows 附件3 leaves unnumbered
    series: str
    series_label: str
    series_first: bool          # the first row of its series (the merged cell starts here)
    series_span: int            # rows in the series
    title: str
    requirement: str
    max: float
    score: float
    status: str
    status_zh: str
    basis: str
    evidence: list[EvidenceView]
    outline_based: bool = False


@dataclass
class MentionView:
    key: str
    key_name: str               # the indicator's standard name
    name: str                   # as the report writes it
    year: int | None
    value: str
    role: str
    role_zh: str
    page: int | None
    source_zh: str
    segments: list[Segment]
    derived: bool
    conflict: bool
    raw: dict


@dataclass
class StatementView:
    """One of the differing statements of a conflict: its value, where it stands, its sentence."""

    value: str
    page: int | None
    source_zh: str
    text: str
    segments: list[Segment]
    file: str = ""              # cross-document conflicts: the file it stands in ("" = this one)


@dataclass
class ConflictView:
    key: str
    key_name: str
    year: int | None
    values: str
    pages: str
    statements: list[StatementView] = field(default_factory=list)
    side_by_side: str = ""      # "第4页 92.6% ↔ 第6页 90.8%"
    items: str = ""             # the 附件3 items the indicator scores: "第17项"
    other_file: str = ""        # cross-document conflicts: the other file
    other_doc_type: str = ""


def is_conflict(m: dict, conflicts: list[dict]) -> bool:
    for c in conflicts:
        if c.get("key") != m.get("key"):
            continue
        if "year" in c and c.get("year") != m.get("year"):
            continue
        values = {round(float(v), 6) for v in c.get("values", []) if isinstance(v, (int, float))}
        if isinstance(m.get("value"), (int, float)) and round(float(m["value"]), 6) in values:
            return True
    return False


def item_rows(result: dict, meta: RubricMeta | None = None) -> list[ItemRow]:
    meta = meta or rubric_meta()
    mention_index = _MentionIndex(result.get("indicators") or [])
    items = {str(it.get("id")): it for it in result.get("items") or []}
    order = list(meta.items) or list(items)
    order += [i for i in items if i not in order]
    series_meta = {s.id: s for s in meta.series}
    rows: list[ItemRow] = []
    for item_id in order:
        it = items.get(item_id, {})
        im = meta.items.get(item_id)
        series = (im.series if im else str(it.get("series", ""))) or ""
        sm = series_meta.get(series)
        keys = im.keys if im else []
        evidence = []
        for e in it.get("evidence") or []:
            same = mention_index.same_sentence(e.get("page"), _squeezed(e.get("text")), keys)
            evidence.append(EvidenceView(e.get("page"), e.get("text") or "", highlight(e.get("text") or "", same)))
        status = it.get("status", "no_evidence" if not it else "")
        unnumbered = item_id.isdigit() and int(item_id) > 22
        rows.append(ItemRow(
            id=item_id, number=f"（{item_id}）" if unnumbered else item_id, series=series,
            series_label=sm.label if sm else series, series_first=False, series_span=1,
            title=(im.title if im else "") or it.get("title", ""),
            requirement=im.requirement if im else "",
            max=it.get("max", im.points if im else 0), score=it.get("score", 0) or 0,
            status=status, status_zh=ITEM_STATUS_ZH.get(status, status), basis=it.get("basis", "") or "",
            evidence=evidence, outline_based=bool(im and im.outline_based)))
    # the series cells are merged down their items, as in 附件3
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1].series == rows[i].series:
            j += 1
        rows[i].series_first, rows[i].series_span = True, j - i + 1
        i = j + 1
    return rows


def mention_views(result: dict, meta: RubricMeta | None = None) -> list[MentionView]:
    """Every indicator mention, grouped by indicator (in order of first appearance), then year."""
    meta = meta or rubric_meta()
    mentions = result.get("indicators") or []
    conflicts = result.get("conflicts") or []
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        first.setdefault(m.get("key"), i)
    order = sorted(range(len(mentions)), key=lambda i: (first[mentions[i].get("key")],
                                                        mentions[i].get("year") or 0, i))
    out = []
    for i in order:
        m = mentions[i]
        role = m.get("role") or "actual"
        out.append(MentionView(
            key=m.get("key", ""), key_name=meta.indicator_names.get(m.get("key"), m.get("key", "")),
            name=m.get("name", ""), year=m.get("year"), value=value_text(m), role=role,
            role_zh=ROLE_ZH.get(role, role), page=m.get("page"),
            source_zh=SOURCE_ZH.get(m.get("source"), m.get("source") or ""),
            segments=highlight(m.get("text") or "", [m]), derived=bool(m.get("derived")),
            conflict=is_conflict(m, conflicts), raw=m))
    return out


def _page_text(page) -> str:
    return f"第{page}页" if page else "页码不详"


def _items_of_key(key: str, meta: RubricMeta) -> str:
    ids = [iid for iid, im in meta.items.items() if key in im.keys]
    return "、".join(f"第{i}项" for i in ids)


def conflict_statements(result: dict, c: dict) -> list[dict]:
    """The mentions behind a conflict (same key and year, actual, one of its values), in order."""
    values = {round(float(v), 6) for v in c.get("values", []) if isinstance(v, (int, float))}
    out = []
    for m in result.get("indicators") or []:
        if m.get("key") != c.get("key") or (m.get("role") or "actual") != "actual":
            continue
        if "year" in c and m.get("year") != c.get("year"):
            continue
        if isinstance(m.get("value"), (int, float)) and round(float(m["value"]), 6) in values:
            out.append(m)
    return out


def conflict_views(result: dict, meta: RubricMeta | None = None) -> list[ConflictView]:
    """Each value stated differently inside the report: the statements side by side, with pages."""
    meta = meta or rubric_meta()
    out = []
    for c in result.get("conflicts") or []:
        statements = [StatementView(value_text(m), m.get("page"), SOURCE_ZH.get(m.get("source"), m.get("source") or ""),
                                    m.get("text") or "", highlight(m.get("text") or "", [m]))
                      for m in conflict_statements(result, c)]
        if not statements:       # a result without its mentions: the values and pages as listed
            unit = ""
            pages = list(c.get("pages", []))
            for i, v in enumerate(c.get("values", [])):
                page = pages[i] if i < len(pages) and len(pages) == len(c.get("values", [])) else None
                statements.append(StatementView(f"{fmt_number(v)}{unit}", page, "", "", []))
        out.append(ConflictView(
            key=c.get("key", ""), key_name=meta.indicator_names.get(c.get("key"), c.get("key", "")),
            year=c.get("year"), values="、".join(fmt_number(v) for v in c.get("values", [])),
            pages="、".join(str(p) for p in c.get("pages", [])),
            statements=statements,
            side_by_side=" ↔ ".join(f"{_page_text(st.page)} {st.value}" for st in statements),
            items=_items_of_key(c.get("key", ""), meta)))
    return out


def cross_conflict_views(result: dict, meta: RubricMeta | None = None) -> list[ConflictView]:
    """The values another document of the same enterprise states differently (`cross_conflicts`)."""
    meta = meta or rubric_meta()
    out = []
    for c in result.get("cross_conflicts") or []:
        unit = c.get("unit") or ""
        this = {"value": c.get("this_value"), "unit": unit, "comparator": c.get("this_comparator") or "="}
        other = {"value": c.get("other_value"), "unit": unit, "comparator": c.get("other_comparator") or "="}
        other_file = c.get("other_file") or ""
        other_kind = DOC_TYPE_SHORT.get(c.get("other_doc_type") or "", "另一份材料")
        statements = [
            StatementView(value_text(this), c.get("this_page"), "本文件", c.get("this_text") or "",
                          highlight(c.get("this_text") or "", [dict(this, name=c.get("name"))])),
            StatementView(value_text(other), c.get("other_page"), other_kind, c.get("other_text") or "",
                          highlight(c.get("other_text") or "", [dict(other, name=c.get("name"))]), other_file),
        ]
        out.append(ConflictView(
            key=c.get("key", ""), key_name=meta.indicator_names.get(c.get("key"), c.get("name") or c.get("key", "")),
            year=c.get("year"), values=f"{fmt_number(c.get('this_value'))}、{fmt_number(c.get('other_value'))}",
            pages=f"{c.get('this_page') or ''}、{c.get('other_page') or ''}", statements=statements,
            side_by_side=(f"本文件{_page_text(c.get('this_page'))} {statements[0].value} ↔ "
                          f"{other_kind}“{other_file}”{_page_text(c.get('other_page'))} {statements[1].value}"),
            items=_items_of_key(c.get("key", ""), meta), other_file=other_file,
            other_doc_type=c.get("other_doc_type") or ""))
    return out


def section_rows(result: dict) -> list[dict]:
    out = []
    for s in (result.get("outline") or {}).get("sections") or []:
        status = s.get("status", "")
        found = s.get("heading") if status == "heading" else s.get("evidence") if status == "body" else ""
        out.append({"id": s.get("id", ""), "title": s.get("title", ""), "status": status,
                    "status_zh": SECTION_STATUS_ZH.get(status, status), "found": found or "",
                    "page": s.get("page"), "sub": "." in str(s.get("id", ""))})
    return out


def missing_rows(result: dict) -> list[dict]:
    return [{"kind": m.get("kind", ""), "kind_zh": MISSING_KIND_ZH.get(m.get("kind"), m.get("kind", "")),
             "ref": m.get("ref", ""), "message": m.get("message", "")} for m in result.get("missing") or []]


def score_numbers(result: dict) -> dict:
    s = result.get("score") or {}
    auto = s.get("auto") or 0
    review = s.get("review_max") or 0
    pass_line = s.get("pass_line", 80)
    return {"auto": fmt_number(auto), "review": fmt_number(review), "best": fmt_number(auto + review),
            "max": fmt_number(s.get("max", 100)), "pass_line": fmt_number(pass_line),
            "can_pass": s.get("can_pass", auto + review >= pass_line),
            "passed": auto >= pass_line,
            "sentence": s.get("sentence") or f"自动得分 {fmt_number(auto)} 分，待人工复核 {fmt_number(review)} 分"}
