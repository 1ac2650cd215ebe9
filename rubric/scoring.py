"""The scoring engine: facts (outline, indicator mentions, conflicts, keyword evidence)
-> an Assessment of every item of the rubric, with the rule applied and its evidence.

Generic: every threshold, point and sentence comes from the rubric data
(rubric/data/<province>/); the engine knows only the part kinds (threshold, flag,
outline_share, evidence) and how parts combine (added up; the best of a group).

Which value counts, for an indicator key:
- only mentions with role "actual" (a target or a quoted requirement never scores);
- the latest year stated for that key; a mention without a year is used only when
  no mention of that key gives a year (an undated "目前…" next to a yearly table
  is too ambiguous to be called the latest);
- the comparator decides whether a level is met: the statement must imply the
  level. "≥95" and "=95" meet "≥95"; "＞90" does not; "＞95" meets "≥95";
  "≥30" does not meet "＞30"; "≤"/"＜" can only meet an upper bound; a range
  meets a minimum by its low end (an upper bound by its high end); "约95%"
  (comparator "~") is scored as if exact but sent to review;
- values that disagree for the chosen year (a Conflict, or chosen mentions with
  different values) send the item to review, scored provisionally on the lower value;
- a value whose unit differs from the unit the thresholds are in goes to review
  with 0 provisional points.
A part with nothing found gives 0; an item with nothing found at all is no_evidence.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extractors.evidence import Evidence
from extractors.facts import Conflict, IndicatorMention, OutlineResult, SectionMatch

from .assessment import Assessment, ItemScore, MissingEntry, ScoreSummary
from .items import Item, Level, Part, Rubric

_EPS = 1e-9
_OP_SIGN = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜"}
_THRESHOLD_MSG = {">=": "threshold_ge", ">": "threshold_gt", "<=": "threshold_le", "<": "threshold_lt"}


@dataclass
class _PartResult:
    points: float
    state: str                     # "auto" | "review" | "none" (nothing found)
    basis: str
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[MissingEntry] = field(default_factory=list)


class _Context:
    def __init__(self, rubric: Rubric, outline: OutlineResult | None,
                 mentions: list[IndicatorMention], conflicts: list[Conflict],
                 evidence: dict[str, list[Evidence]]) -> None:
        self.rubric = rubric
        self.msg = rubric.messages
        self.outline = outline
        self.by_key: dict[str, list[IndicatorMention]] = defaultdict(list)
        for m in mentions:
            self.by_key[m.key].append(m)
        self.conflicts = conflicts
        self.evidence = evidence

    def text(self, name: str, **fields: object) -> str:
        return self.msg[name].format(**fields)


# ------------------------------------------------------------------------- formatting

def fmt_number(x: float) -> str:
    """100.0 -> "100", 95.5 -> "95.5", 1.25 -> "1.25"."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _unit(unit: str | None) -> str:
    return "" if unit in (None, "", "flag") else unit


def value_text(m: IndicatorMention) -> str:
    """How the report stated the value: "≥95%", "约95%", "90%～95%"."""
    u = _unit(m.unit)
    if m.comparator == "range" and m.low is not None and m.high is not None:
        return f"{fmt_number(m.low)}{u}～{fmt_number(m.high)}{u}"
    if m.comparator == "~":
        return f"约{fmt_number(m.value)}{u}"
    return f"{_OP_SIGN.get(m.comparator, '')}{fmt_number(m.value)}{u}"


def level_text(level: Level, unit: str | None) -> str:
    u = _unit(unit)
    # "≥100%" reads oddly where the table says "100%": nothing can exceed it
    if level.op == ">=" and level.value == 100 and u == "%":
        return "100%"
    return f"{_OP_SIGN[level.op]}{fmt_number(level.value)}{u}"


def _pages(ctx: _Context, evidence: list[Evidence]) -> str:
    pages = sorted({e.page for e in evidence if e.page})
    return ctx.text("page", page="、".join(str(p) for p in pages)) if pages else ""


# ------------------------------------------------------------------- choosing the value

def chosen_mentions(mentions: list[IndicatorMention]) -> tuple[list[IndicatorMention], int | None]:
    """The actual mentions of one key that count, and their year (see the module docstring)."""
    actual = [m for m in mentions if m.role == "actual"]
    years = [m.year for m in actual if m.year is not None]
    if years:
        latest = max(years)
        return [m for m in actual if m.year == latest], latest
    return actual, None


def meets(m: IndicatorMention, level: Level, approx_as_exact: bool = False) -> bool | None:
    """Whether the statement implies the level: True, False, or None (approximate)."""
    c = m.comparator
    if c == "~":
        if not approx_as_exact:
            return None
        c = "="
    if level.is_minimum:
        if c in ("<=", "<"):
            return False
        if c == "range":
            v, strict = (m.low if m.low is not None else m.value), False
        else:
            v, strict = m.value, c == ">"
        if level.op == ">=":
            return v >= level.value - _EPS
        return v > level.value + _EPS or (strict and v >= level.value - _EPS)
    if c in (">=", ">"):
        return False
    if c == "range":
        v, strict = (m.high if m.high is not None else m.value), False
    else:
        v, strict = m.value, c == "<"
    if level.op == "<=":
        return v <= level.value + _EPS
    return v < level.value - _EPS or (strict and v <= level.value + _EPS)


def level_reached(m: IndicatorMention, levels: list[Level], approx_as_exact: bool = False) -> Level | None:
    for level in levels:
        if meets(m, level, approx_as_exact):
            return level
    return None


def _points(level: Level | None) -> float:
    return level.points if level else 0.0


def _mention_evidence(ms: list[IndicatorMention]) -> list[Evidence]:
    out, seen = [], set()
    for m in ms:
        if (m.locator, m.text) in seen:
            continue
        seen.add((m.locator, m.text))
        out.append(Evidence(page=m.page, text=m.text, locator=m.locator, source=m.source, keyword=m.key))
    return out


def _conflicting(ctx: _Context, key: str, year: int | None, chosen: list[IndicatorMention]
                 ) -> tuple[bool, list[IndicatorMention], list[float]]:
    """Whether the chosen year's values disagree; the other actual mentions and bare values involved."""
    extra_mentions: list[IndicatorMention] = []
    extra_values: list[float] = []
    found = False
    for c in ctx.conflicts:
        if c.key != key or c.year != year:
            continue
        if c.mentions:
            # a target or a quoted requirement that differs from the actual value is no conflict
            extra_mentions += [m for m in c.mentions if m.role == "actual" and m not in chosen]
        else:
            found = True
            extra_values += list(c.values)
    values = {round(m.value, 6) for m in chosen + extra_mentions}
    return found or len(values) > 1, extra_mentions, extra_values


# ------------------------------------------------------------------------- part kinds

def _threshold(ctx: _Context, item: Item, part: Part) -> _PartResult:
    chosen, year = chosen_mentions(ctx.by_key.get(part.key, []))
    label = part.label
    if not chosen:
        return _PartResult(0.0, "none", ctx.text("value_missing", label=label))
    year_txt = ctx.text("year", year=year) if year is not None else ""
    ev = _mention_evidence(chosen)
    top = part.levels[0]

    unit_ok = [m for m in chosen if part.unit is None or m.unit == part.unit]
    if not unit_ok:
        m = chosen[0]
        return _PartResult(0.0, "review", ctx.text("value_unit", label=label, value=value_text(m) + year_txt,
                                                   unit=part.unit), ev)
    chosen = unit_ok

    conflict, extra_mentions, extra_values = _conflicting(ctx, part.key, year, chosen)
    if conflict:
        candidates = chosen + extra_mentions
        pts = [_points(level_reached(m, part.levels, approx_as_exact=True)) for m in candidates]
        pts += [_points(level_reached(_bare(part.key, v), part.levels)) for v in extra_values]
        low = min(pts)
        shown = "、".join(ctx.text("page_value", page=m.page, value=value_text(m)) for m in candidates)
        shown += "".join(f"、{fmt_number(v)}{_unit(part.unit)}" for v in extra_values)
        missing = [MissingEntry("conflict", part.key, ctx.text("conflict", label=label, values=shown, item=item.id),
                                item.id)]
        return _PartResult(low, "review", ctx.text("value_conflict", label=label, values=shown, year=year_txt,
                                                   points=fmt_number(low)),
                           ev + _mention_evidence(extra_mentions), missing)

    exact = [m for m in chosen if m.comparator != "~"]
    if not exact:
        m = chosen[0]
        low = min(_points(level_reached(x, part.levels, approx_as_exact=True)) for x in chosen)
        return _PartResult(low, "review", ctx.text("value_approx", label=label, value=value_text(m) + year_txt,
                                                   points=fmt_number(low)), ev)

    # the same value stated more than once (perhaps "≥95%" and "95%"): the weaker statement counts
    reached = [level_reached(m, part.levels) for m in exact]
    best_idx = min(range(len(exact)), key=lambda i: _points(reached[i]))
    m, level = exact[best_idx], reached[best_idx]
    value = value_text(m) + year_txt
    missing: list[MissingEntry] = []
    if level is not top:
        required = level_text(top, part.unit)
        missing.append(MissingEntry(
            "threshold", part.key,
            ctx.text(_THRESHOLD_MSG[top.op], label=label, value=value_text(m), item=item.id, required=required,
                     limit=f"{fmt_number(top.value)}{_unit(part.unit)}"),
            item.id))
    if level is not None:
        basis = ctx.text("level_met", label=label, value=value, required=level_text(level, part.unit),
                         points=fmt_number(level.points))
    else:
        basis = ctx.text("level_not_met", label=label, value=value,
                         required=level_text(part.levels[-1], part.unit))
    state = "auto"
    if level is not top and part.short_review:
        plan = _keyword_hits(ctx, part.short_review)
        if plan:
            state = "review"
            basis = ctx.text("short_review", label=label, value=value, required=level_text(top, part.unit),
                             where=_pages(ctx, plan))
            ev = ev + plan
    return _PartResult(_points(level), state, basis, ev, missing)


def _bare(key: str, value: float) -> IndicatorMention:
    return IndicatorMention(key=key, name=key, value=value, unit="", comparator="=", page=0,
                            source="text", text="", locator="")


def _flag(ctx: _Context, item: Item, part: Part) -> _PartResult:
    chosen, year = chosen_mentions(ctx.by_key.get(part.key, []))
    label = part.label
    if not chosen:
        return _PartResult(0.0, "none", ctx.text("flag_missing", label=label))
    _, extra_mentions, extra_values = _conflicting(ctx, part.key, year, chosen)
    chosen = chosen + extra_mentions
    ev = _mention_evidence(chosen)
    values = sorted({m.value for m in chosen} | set(extra_values))
    low = values[0]
    level = next((lv for lv in part.levels if low >= lv.value - _EPS), None)
    answer = _flag_answer(ctx, low)
    if len(values) > 1:
        shown = "、".join(ctx.text("page_value", page=m.page, value=_flag_answer(ctx, m.value)) for m in chosen)
        missing = [MissingEntry("conflict", part.key, ctx.text("conflict", label=label, values=shown, item=item.id),
                                item.id)]
        return _PartResult(_points(level), "review",
                           ctx.text("value_conflict", label=label, values=shown,
                                    year=ctx.text("year", year=year) if year is not None else "",
                                    points=fmt_number(_points(level))),
                           ev, missing)
    if level is not None:
        return _PartResult(level.points, "auto",
                           ctx.text("flag_met", label=label, answer=answer, points=fmt_number(level.points)), ev)
    return _PartResult(0.0, "auto", ctx.text("flag_not_met", label=label, answer=answer), ev)


def _flag_answer(ctx: _Context, v: float) -> str:
    return ctx.text("flag_yes") if v >= 1 else ctx.text("flag_partial") if v > 0 else ctx.text("flag_no")


def _present(s: SectionMatch) -> bool:
    return s.status in ("heading", "body")


def _outline_share(ctx: _Context, item: Item, part: Part) -> _PartResult:
    outline = ctx.outline
    if outline is None or not outline.sections:
        return _PartResult(0.0, "none", ctx.text("share_missing", label=part.label))
    total = len(outline.sections)
    found = sum(1 for s in outline.sections if _present(s))
    share = found * 100.0 / total
    probe = _bare("outline_share", share)
    level = level_reached(probe, part.levels)
    fields = dict(label=part.label, total=total, found=found, share=fmt_number(round(share, 1)))
    if level is not None:
        basis = ctx.text("share_met", required=level_text(level, "%"), points=fmt_number(level.points), **fields)
    else:
        basis = ctx.text("share_not_met", required=level_text(part.levels[-1], "%"), **fields)
    return _PartResult(_points(level), "auto", basis)


def _keyword_hits(ctx: _Context, set_names: list[str]) -> list[Evidence]:
    """Hits of several keyword sets, interleaved so each set shows, at most max_evidence."""
    lists = [ctx.evidence.get(name, []) for name in set_names]
    out: list[Evidence] = []
    seen = set()
    for i in range(max((len(x) for x in lists), default=0)):
        for hits in lists:
            if i < len(hits) and (hits[i].locator, hits[i].text) not in seen:
                seen.add((hits[i].locator, hits[i].text))
                out.append(hits[i])
                if len(out) >= ctx.rubric.max_evidence:
                    return out
    return out


def _evidence_part(ctx: _Context, item: Item, part: Part) -> _PartResult:
    sections: list[SectionMatch] = []
    if ctx.outline is not None:
        wanted = part.sections.get(ctx.outline.template, [])
        sections = [s for s in ctx.outline.sections if s.id in wanted and _present(s)]
    mentions = [m for key in part.keys for m in ctx.by_key.get(key, []) if m.role == "actual"]
    hits = _keyword_hits(ctx, part.evidence)
    ev = [Evidence(page=s.page or 0, text=s.heading or s.evidence or s.title, locator=s.locator or "",
                   source="heading", keyword=s.id) for s in sections]
    ev += _mention_evidence(mentions) + hits
    if not ev:
        return _PartResult(0.0, "none", ctx.text("evidence_missing", label=part.label))
    where = "、".join(ctx.text("section", id=s.id) for s in sections)
    pages = _pages(ctx, _mention_evidence(mentions) + hits)
    where = "，".join(x for x in (where, pages) if x)
    points = _round_half(part.points * part.provisional)
    return _PartResult(points, "review", ctx.text("evidence_found", label=part.label, where=where,
                                                  points=fmt_number(points)), ev)


def _round_half(x: float) -> float:
    """Down to a multiple of 0.5: provisional points never exceed what the data says."""
    return int(x * 2 + _EPS) / 2


_KINDS = {"threshold": _threshold, "flag": _flag, "outline_share": _outline_share, "evidence": _evidence_part}


# ------------------------------------------------------------------------------ items

def score_item(ctx: _Context, item: Item) -> tuple[ItemScore, list[MissingEntry]]:
    total = 0.0
    states: list[str] = []
    bases: list[str] = []
    evidence: list[Evidence] = []
    missing: list[MissingEntry] = []
    for group in item.groups():
        results = [(_KINDS[p.kind](ctx, item, p), p) for p in group]
        found = [(r, p) for r, p in results if r.state != "none"]
        missing += _missing_keys(ctx, item, group)
        group_max = max(p.max_points for p in group)
        best = max((r.points for r, _ in found), default=0.0)
        total += best
        if not found:
            states.append("none")
            bases += [r.basis for r, _ in results]
            missing += _missing_indicator(ctx, item, group)
            continue
        states.append("review" if any(r.state == "review" for r, _ in found) else "auto")
        # of alternatives, say nothing about the ones the report does not mention
        for r, _ in found:
            bases.append(r.basis)
            evidence += r.evidence
            # a shortfall matters only when the group as a whole falls short
            missing += [m for m in r.missing if m.kind != "threshold" or best < group_max]
    score = min(total, item.points)
    if all(s == "none" for s in states):
        status, score = "no_evidence", 0.0
    elif "review" in states:
        status = "review"
    else:
        status = "auto"
    basis = "；".join(bases)
    if item.note:
        basis += f"；{item.note}"
    return ItemScore(id=item.id, title=item.title, max=item.points, score=score, status=status, basis=basis,
                     evidence=_dedupe(evidence), series=item.series, requirement=item.requirement,
                     rule=item.rule, keys=item.indicator_keys), missing


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    out, seen = [], set()
    for e in evidence:
        if (e.locator, e.text) not in seen:
            seen.add((e.locator, e.text))
            out.append(e)
    return out


def _missing_indicator(ctx: _Context, item: Item, group: list[Part]) -> list[MissingEntry]:
    """One sentence per group of alternatives the report says nothing about."""
    if group[0].kind == "evidence":
        return []  # its indicator keys are listed by _missing_keys
    if group[0].kind == "outline_share":
        return []  # the outline's missing sections are listed on their own
    names = ctx.text("or").join(p.label for p in group)
    numeric = [p for p in group if p.kind == "threshold"]
    ref = (numeric or group)[0].key
    template = "missing_indicator" if numeric else "missing_flag"
    return [MissingEntry("indicator", ref, ctx.text(template, names=names, item=item.id), item.id)]


def _missing_keys(ctx: _Context, item: Item, group: list[Part]) -> list[MissingEntry]:
    """Indicators an evidence part shows the reviewer (e.g. 单位产品能耗) that the report does not state."""
    out = []
    for part in group:
        if part.kind != "evidence":
            continue
        for key, name in zip(part.keys, part.key_labels or part.keys):
            if not any(m.role == "actual" for m in ctx.by_key.get(key, [])):
                out.append(MissingEntry("indicator", key, ctx.text("missing_indicator", names=name, item=item.id),
                                        item.id))
    return out


def _missing_sections(ctx: _Context) -> list[MissingEntry]:
    if ctx.outline is None:
        return []
    appendix = ctx.rubric.templates.get(ctx.outline.template, "")
    return [MissingEntry("section", s.id, ctx.text("missing_section", title=s.title, appendix=appendix, id=s.id))
            for s in ctx.outline.sections if s.status == "missing"]


def summary(rubric: Rubric, items: list[ItemScore]) -> ScoreSummary:
    auto = sum(it.score for it in items)
    review = sum(it.open_points for it in items)
    best = auto + review
    msg = rubric.messages
    sentence = msg["score_sentence"].format(auto=fmt_number(auto), review=fmt_number(review),
                                            best=fmt_number(best))
    pass_line = fmt_number(rubric.pass_line)
    if auto >= rubric.pass_line - _EPS:
        sentence += msg["already_pass"].format(pass_line=pass_line)
    elif best >= rubric.pass_line - _EPS:
        sentence += msg["can_pass"].format(pass_line=pass_line)
    else:
        sentence += msg["cannot_pass"].format(pass_line=pass_line)
    return ScoreSummary(auto=auto, review_max=review, max=rubric.max_points, pass_line=rubric.pass_line,
                        sentence=sentence)


def score(rubric: Rubric, outline: OutlineResult | None, mentions: list[IndicatorMention],
          conflicts: list[Conflict], evidence: dict[str, list[Evidence]]) -> Assessment:
    """Score every item of the rubric from the facts; see the module docstring for the rules."""
    ctx = _Context(rubric, outline, mentions, conflicts, evidence)
    items: list[ItemScore] = []
    missing = _missing_sections(ctx)
    for item in rubric.items:
        scored, item_missing = score_item(ctx, item)
        items.append(scored)
        missing += item_missing
    return Assessment(items=items, score=summary(rubric, items), missing=_unique(missing))


def _unique(entries: list[MissingEntry]) -> list[MissingEntry]:
    out, seen = [], set()
    for e in entries:
        if (e.kind, e.ref, e.message) not in seen:
            seen.add((e.kind, e.ref, e.message))
            out.append(e)
    return out
