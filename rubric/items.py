"""The scoring table (附件3) as data: load `rubric.toml` + `items.toml` and check them.

    from rubric.items import load_rubric, validate
    rubric = load_rubric("guangxi")                 # structure checked
    validate(rubric, indicator_keys, section_ids)   # references checked too

Every problem found is reported at once, in Chinese and English, as
`ScreenError("E012", detail=...)`: a reviewer who edits a threshold should be told
exactly which line of the data is wrong, not see a traceback.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import ScreenError

DATA_DIR = Path(__file__).parent / "data"

PART_KINDS = ("threshold", "flag", "outline_share", "evidence")
MIN_OPS = (">=", ">")
MAX_OPS = ("<=", "<")

# Message templates the engine fills (rubric.toml [messages]); all must be present.
REQUIRED_MESSAGES = (
    "score_sentence", "can_pass", "cannot_pass", "already_pass",
    "level_met", "level_not_met", "value_missing", "value_approx", "value_conflict",
    "value_unit", "short_review", "flag_met", "flag_not_met", "flag_missing", "flag_yes",
    "flag_partial", "flag_no", "share_met", "share_not_met", "share_missing",
    "evidence_found", "evidence_missing", "year", "page", "page_value", "section",
    "missing_section", "missing_indicator", "missing_flag", "or",
    "threshold_ge", "threshold_gt", "threshold_le", "threshold_lt", "conflict",
)

_ITEM_FIELDS = {"id", "series", "title", "requirement", "points", "rule", "note", "part"}
_PART_FIELDS = {
    "threshold": {"kind", "key", "label", "unit", "levels", "group", "short_review"},
    "flag": {"kind", "key", "label", "levels", "group"},
    "outline_share": {"kind", "label", "levels", "group"},
    "evidence": {"kind", "label", "points", "provisional", "evidence", "sections", "keys",
                 "key_labels", "group"},
}


@dataclass
class Level:
    op: str          # ">=", ">" (a minimum) or "<=", "<" (a maximum)
    value: float
    points: float

    @property
    def is_minimum(self) -> bool:
        return self.op in MIN_OPS


@dataclass
class Part:
    """One rule inside an item; an item's score is the sum of its parts (best of a group)."""

    kind: str
    label: str
    key: str | None = None                     # threshold, flag
    unit: str | None = None                    # threshold: the unit the levels are in
    levels: list[Level] = field(default_factory=list)   # highest points first
    group: str | None = None                   # parts sharing a group are alternatives
    short_review: list[str] = field(default_factory=list)  # evidence sets, see items.toml
    points: float = 0.0                        # evidence: the part's points
    provisional: float = 0.5                   # evidence: share of points given when found
    evidence: list[str] = field(default_factory=list)      # evidence: keyword set names
    sections: dict[str, list[str]] = field(default_factory=dict)  # template -> section ids
    keys: list[str] = field(default_factory=list)          # evidence: indicator keys shown
    key_labels: list[str] = field(default_factory=list)    # their Chinese names

    @property
    def max_points(self) -> float:
        if self.kind == "evidence":
            return self.points
        return max((lv.points for lv in self.levels), default=0.0)

    @property
    def indicator_keys(self) -> list[str]:
        return ([self.key] if self.key else []) + list(self.keys)


@dataclass
class Item:
    id: str
    series: str
    title: str
    requirement: str
    points: float
    rule: str
    parts: list[Part]
    note: str = ""

    def groups(self) -> list[list[Part]]:
        """The parts as groups of alternatives, in data order (an ungrouped part alone)."""
        out: list[list[Part]] = []
        index: dict[str, int] = {}
        for part in self.parts:
            if part.group is None:
                out.append([part])
            elif part.group in index:
                out[index[part.group]].append(part)
            else:
                index[part.group] = len(out)
                out.append([part])
        return out

    @property
    def parts_max(self) -> float:
        return sum(max(p.max_points for p in g) for g in self.groups())

    @property
    def indicator_keys(self) -> list[str]:
        return [k for p in self.parts for k in p.indicator_keys]


@dataclass
class Series:
    id: str
    title: str
    points: float


@dataclass
class Rubric:
    province: str
    name: str
    table: str
    max_points: float
    pass_line: float
    series: list[Series]
    items: list[Item]
    keyword_sets: dict[str, list[str]]
    templates: dict[str, str]            # outline template -> appendix name ("附件2")
    messages: dict[str, str]
    max_evidence: int = 5
    path: str = ""

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def indicator_keys(self) -> set[str]:
        return {k for it in self.items for k in it.indicator_keys}


# ------------------------------------------------------------------------------- loading

def _data_dir(source: str | Path) -> Path:
    path = Path(source)
    if path.is_dir():
        return path
    if isinstance(source, str) and (DATA_DIR / source).is_dir():
        return DATA_DIR / source
    raise ScreenError("E012", detail=f"找不到评分规则数据目录 {source} / no rubric data folder {source}")


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ScreenError("E012", detail=f"缺少文件 {path} / missing file {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScreenError("E012", detail=f"{path.name} 格式错误（{exc}） / {path.name} is not valid TOML ({exc})") from None


def load_rubric(source: str | Path = "guangxi", indicator_keys: set[str] | None = None,
                section_ids: dict[str, set[str]] | None = None) -> Rubric:
    """Load a province's rubric (a name under rubric/data/, or a folder) and check it.

    The structure is always checked; references to indicator keys and outline
    sections are checked too when the known keys and section ids are given.
    """
    folder = _data_dir(source)
    meta = _read_toml(folder / "rubric.toml")
    data = _read_toml(folder / "items.toml")
    problems: list[str] = []
    rubric = _build(meta, data, folder, problems)
    if problems:
        _raise(folder, problems)
    problems = check_structure(rubric)
    if indicator_keys is not None or section_ids is not None:
        problems += check_references(rubric, indicator_keys, section_ids)
    if problems:
        _raise(folder, problems)
    return rubric


def _raise(folder: Path, problems: list[str]) -> None:
    raise ScreenError("E012", detail=f"{folder}: " + "；".join(problems))


def _num(value, where: str, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{where} 应为数字：{value!r} / {where} must be a number: {value!r}")
        return 0.0
    return float(value)


def _build(meta: dict, data: dict, folder: Path, problems: list[str]) -> Rubric:
    for name in ("province", "name", "max_points", "pass_line"):
        if name not in meta:
            problems.append(f"rubric.toml 缺少 {name} / rubric.toml lacks {name}")
    series = [Series(id=str(s.get("id", "")), title=str(s.get("title", "")),
                     points=_num(s.get("points"), f"系列 {s.get('id')} points", problems))
              for s in meta.get("series", [])]
    items = []
    for raw in data.get("item", []):
        item_id = str(raw.get("id", "?"))
        where = f"第{item_id}项 / item {item_id}"
        unknown = set(raw) - _ITEM_FIELDS
        if unknown:
            problems.append(f"{where}：未知字段 {sorted(unknown)} / unknown fields {sorted(unknown)}")
        for name in ("id", "series", "title", "requirement", "points"):
            if name not in raw:
                problems.append(f"{where}：缺少 {name} / lacks {name}")
        parts = [_build_part(p, where, problems) for p in raw.get("part", [])]
        items.append(Item(id=item_id, series=str(raw.get("series", "")), title=str(raw.get("title", "")),
                          requirement=str(raw.get("requirement", "")),
                          points=_num(raw.get("points", 0), f"{where} points", problems),
                          rule=str(raw.get("rule", "")), note=str(raw.get("note", "")), parts=parts))
    keyword_sets = {str(k): list(v) if isinstance(v, list) else v
                    for k, v in data.get("evidence", {}).items()}
    return Rubric(
        province=str(meta.get("province", "")), name=str(meta.get("name", "")),
        table=str(meta.get("table", "")),
        max_points=_num(meta.get("max_points", 0), "max_points", problems),
        pass_line=_num(meta.get("pass_line", 0), "pass_line", problems),
        series=series, items=items, keyword_sets=keyword_sets,
        templates={str(k): str(v) for k, v in meta.get("templates", {}).items()},
        messages={str(k): str(v) for k, v in meta.get("messages", {}).items()},
        max_evidence=int(meta.get("max_evidence", 5)), path=str(folder))


def _build_part(raw: dict, where: str, problems: list[str]) -> Part:
    kind = raw.get("kind")
    if kind not in PART_KINDS:
        problems.append(f"{where}：未知的规则类型 {kind!r}（可用 {', '.join(PART_KINDS)}） / "
                        f"unknown part kind {kind!r} (known: {', '.join(PART_KINDS)})")
        return Part(kind=str(kind), label=str(raw.get("label", "")))
    unknown = set(raw) - _PART_FIELDS[kind]
    if unknown:
        problems.append(f"{where}：{kind} 规则有未知字段 {sorted(unknown)} / "
                        f"unknown fields in a {kind} part: {sorted(unknown)}")
    levels = []
    for lv in raw.get("levels", []):
        if not isinstance(lv, dict) or set(lv) != {"op", "value", "points"}:
            problems.append(f"{where}：分档应写成 {{op, value, points}}：{lv!r} / "
                            f"a level must be {{op, value, points}}: {lv!r}")
            continue
        levels.append(Level(op=str(lv["op"]), value=_num(lv["value"], f"{where} value", problems),
                            points=_num(lv["points"], f"{where} points", problems)))
    sections = raw.get("sections", {})
    return Part(
        kind=kind, label=str(raw.get("label", "")),
        key=raw.get("key"), unit=raw.get("unit"), levels=levels, group=raw.get("group"),
        short_review=list(raw.get("short_review", [])),
        points=_num(raw.get("points", 0), f"{where} points", problems),
        provisional=_num(raw.get("provisional", 0.5), f"{where} provisional", problems),
        evidence=list(raw.get("evidence", [])),
        sections={str(t): [str(s) for s in ids] for t, ids in sections.items()}
        if isinstance(sections, dict) else {},
        keys=list(raw.get("keys", [])), key_labels=list(raw.get("key_labels", [])))


# ---------------------------------------------------------------------------- validation

def validate(rubric: Rubric, indicator_keys: set[str], section_ids: dict[str, set[str]]) -> None:
    """Check the rubric's structure and that every indicator key and outline section it
    names exists. Raises ScreenError("E012") listing every problem."""
    problems = check_structure(rubric) + check_references(rubric, indicator_keys, section_ids)
    if problems:
        _raise(Path(rubric.path or rubric.province), problems)


def check_structure(rubric: Rubric) -> list[str]:
    """Sums, orderings and names inside the rubric; a list of bilingual problems."""
    problems: list[str] = []
    if rubric.pass_line > rubric.max_points:
        problems.append(f"合格线 {_fmt(rubric.pass_line)} 高于满分 {_fmt(rubric.max_points)} / "
                        f"pass line {_fmt(rubric.pass_line)} above the maximum {_fmt(rubric.max_points)}")
    missing_msgs = [m for m in REQUIRED_MESSAGES if m not in rubric.messages]
    if missing_msgs:
        problems.append(f"rubric.toml [messages] 缺少 {missing_msgs} / [messages] lacks {missing_msgs}")

    series_ids = [s.id for s in rubric.series]
    if len(set(series_ids)) != len(series_ids):
        problems.append(f"系列编号重复 {series_ids} / duplicate series ids {series_ids}")
    series_total = sum(s.points for s in rubric.series)
    if rubric.series and series_total != rubric.max_points:
        problems.append(f"各系列分值合计 {_fmt(series_total)}，应为 {_fmt(rubric.max_points)} / "
                        f"series points add up to {_fmt(series_total)}, not {_fmt(rubric.max_points)}")

    ids = [it.id for it in rubric.items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"评分项编号重复 {dupes} / duplicate item ids {dupes}")
    total = sum(it.points for it in rubric.items)
    if total != rubric.max_points:
        problems.append(f"各评分项分值合计 {_fmt(total)}，应为 {_fmt(rubric.max_points)} / "
                        f"item points add up to {_fmt(total)}, not {_fmt(rubric.max_points)}")
    for s in rubric.series:
        s_total = sum(it.points for it in rubric.items if it.series == s.id)
        if s_total != s.points:
            problems.append(f"系列{s.id}（{s.title}）各项合计 {_fmt(s_total)}，应为 {_fmt(s.points)} / "
                            f"series {s.id} items add up to {_fmt(s_total)}, not {_fmt(s.points)}")

    for it in rubric.items:
        problems += _check_item(rubric, it, set(series_ids))

    for name, kws in rubric.keyword_sets.items():
        if not isinstance(kws, list) or not kws or not all(isinstance(k, str) and k.strip() for k in kws):
            problems.append(f"关键词组 {name} 应为非空的字符串列表 / keyword set {name} must be a "
                            f"non-empty list of strings")
    return problems


def _check_item(rubric: Rubric, it: Item, series_ids: set[str]) -> list[str]:
    problems: list[str] = []
    where = f"第{it.id}项 / item {it.id}"
    if it.series not in series_ids:
        problems.append(f"{where}：系列 {it.series!r} 不存在 / unknown series {it.series!r}")
    if it.points <= 0:
        problems.append(f"{where}：分值应大于 0 / points must be above 0")
    if not it.parts:
        problems.append(f"{where}：没有评分规则 / no parts")
    for p in it.parts:
        problems += _check_part(rubric, p, where, it.points)
    if it.parts and it.parts_max > it.points:
        problems.append(f"{where}：各分项最高合计 {_fmt(it.parts_max)}，超过本项分值 {_fmt(it.points)} / "
                        f"parts add up to {_fmt(it.parts_max)}, more than the item's {_fmt(it.points)}")
    for group in it.groups():
        kinds = {p.kind for p in group}
        if "evidence" in kinds and len(group) > 1:
            problems.append(f"{where}：人工复核分项不能与其他分项互为替代 / an evidence part cannot "
                            f"share a group")
    return problems


def _check_part(rubric: Rubric, p: Part, where: str, item_points: float) -> list[str]:
    problems: list[str] = []
    if p.kind not in PART_KINDS:
        return problems  # reported while building
    where = f"{where}「{p.label or p.kind}」"
    if not p.label:
        problems.append(f"{where}：缺少 label / lacks a label")
    if p.kind in ("threshold", "flag") and not p.key:
        problems.append(f"{where}：缺少指标 key / lacks an indicator key")
    if p.kind == "evidence":
        if p.points <= 0:
            problems.append(f"{where}：分值应大于 0 / points must be above 0")
        if p.points > item_points:
            problems.append(f"{where}：分值 {_fmt(p.points)} 超过本项分值 {_fmt(item_points)} / "
                            f"points {_fmt(p.points)} above the item's {_fmt(item_points)}")
        if not 0 <= p.provisional <= 1:
            problems.append(f"{where}：provisional 应在 0 到 1 之间 / provisional must be within 0..1")
        if not (p.evidence or p.sections or p.keys):
            problems.append(f"{where}：没有任何证据来源 / no evidence, sections or keys")
        if p.key_labels and len(p.key_labels) != len(p.keys):
            problems.append(f"{where}：key_labels 与 keys 数量不一致 / key_labels and keys differ in length")
    else:
        problems += _check_levels(p, where, item_points)
    for name in p.evidence + p.short_review:
        if name not in rubric.keyword_sets:
            problems.append(f"{where}：关键词组 {name!r} 未定义 / keyword set {name!r} is not defined")
    return problems


def _check_levels(p: Part, where: str, item_points: float) -> list[str]:
    problems: list[str] = []
    if not p.levels:
        return [f"{where}：没有分档 / no levels"]
    for lv in p.levels:
        if lv.op not in MIN_OPS + MAX_OPS:
            problems.append(f"{where}：比较符 {lv.op!r} 无效（可用 >=、>、<=、<） / invalid op {lv.op!r}")
        if lv.points <= 0 or lv.points > item_points:
            problems.append(f"{where}：分档分值 {_fmt(lv.points)} 应在 0 与本项分值 {_fmt(item_points)} 之间 / "
                            f"level points {_fmt(lv.points)} must be within 0..{_fmt(item_points)}")
        if p.kind in ("flag", "outline_share") and lv.op != ">=":
            problems.append(f"{where}：{p.kind} 规则只能用 >= / a {p.kind} part takes only >=")
    if problems:
        return problems
    if len({lv.is_minimum for lv in p.levels}) > 1:
        return [f"{where}：分档不能同时有下限和上限 / levels mix minimums and maximums"]
    for hi, lo in zip(p.levels, p.levels[1:]):
        stricter = _stricter(hi, lo)
        if not stricter or hi.points <= lo.points:
            problems.append(
                f"{where}：分档顺序错误（{hi.op}{_fmt(hi.value)} 得{_fmt(hi.points)}分 应比 "
                f"{lo.op}{_fmt(lo.value)} 得{_fmt(lo.points)}分 更严、分更高） / levels out of order: "
                f"{hi.op}{_fmt(hi.value)} ({_fmt(hi.points)} points) must be stricter and worth more than "
                f"{lo.op}{_fmt(lo.value)} ({_fmt(lo.points)} points)")
    return problems


def _stricter(hi: Level, lo: Level) -> bool:
    """Whether meeting `hi` implies meeting `lo` and not the other way round."""
    if hi.is_minimum:
        return hi.value > lo.value or (hi.value == lo.value and hi.op == ">" and lo.op == ">=")
    return hi.value < lo.value or (hi.value == lo.value and hi.op == "<" and lo.op == "<=")


def check_references(rubric: Rubric, indicator_keys: set[str] | None,
                     section_ids: dict[str, set[str]] | None) -> list[str]:
    problems: list[str] = []
    for it in rubric.items:
        where = f"第{it.id}项 / item {it.id}"
        for p in it.parts:
            if indicator_keys is not None:
                for key in p.indicator_keys:
                    if key not in indicator_keys:
                        problems.append(f"{where}：指标 {key!r} 不在指标表中 / unknown indicator key {key!r}")
            if section_ids is not None:
                for template, ids in p.sections.items():
                    if template not in section_ids:
                        problems.append(f"{where}：提纲 {template!r} 不存在 / unknown outline template {template!r}")
                        continue
                    for sid in ids:
                        if sid not in section_ids[template]:
                            problems.append(f"{where}：{template} 提纲中没有章节 {sid!r} / "
                                            f"no section {sid!r} in the {template} outline")
    if section_ids is not None:
        for template in rubric.templates:
            if template not in section_ids:
                problems.append(f"rubric.toml [templates]：提纲 {template!r} 不存在 / "
                                f"unknown outline template {template!r}")
    return problems


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
