"""Indicator mentions: every rubric indicator a report states, with value, comparator, year
and the sentence or table cell it came from.

    specs = rubric.indicators.load_indicator_specs()
    mentions = extract_indicators(doc, specs)
    conflicts = find_conflicts(mentions)

How a sentence is read:
1. Terms. Every name of every indicator (aliases, subject + head such as 危险废物 + 安全处置率,
   joint names such as 废水废气达标率) is found with spaCy's PhraseMatcher over the jieba
   tokens, with a character scan behind it for the rare term jieba cuts differently in
   context. Words that look like indicators but are not (产能利用率, 去除率, 占比 …, and any
   other "…率") are found too: they take their own values, so a value after them is never
   given to a real indicator. A bare head (达标率, 处置率) is read as an indicator only when a
   subject of it (废水, 危险废物) stands just before it in the sentence.
2. Values (extractors.values). A term takes the nearest value after it, before the next term,
   within its clause or a following clause that continues it ("…，均达到100%"), never a
   delta ("提高了5%"), a "from" value ("由85%提高到95%" gives 95) or a number of another kind
   (万吨, 项, 年). "A和B分别为x和y" pairs in order, and so does one joint name
   ("能源、水、物料计量器具配备率依次为a、b、c"); when the counts differ nothing is taken.
   "A、B达标率均为100%" gives both.
3. Years and roles. The year is the one the sentence gives for the value ("2023年…",
   "2021—2023年…分别为…" gives one mention per year). Targets (目标, 计划, 力争, 预计) get role
   "target"; requirements quoted from standards or the 审核表 (要求, 应达到, "…，2分") are
   dropped: scoring uses only what the enterprise achieved.
   A year written after the value ("98.5%（2023年）") is the value's year.
4. Derived rates: implementation rates from 方案 counts, compliance rates from monitoring
   counts ("监测24次，其中23次达标"), each marked derived.
Tables are read by header: indicator in the row header and years (or 目标/实际) in the column
header, or the transpose (years or 审核前/目标/实际 down the first column); a name split between
row and column ("能源计量器具" × "配备率") is joined; a caption's single year dates an undated
table. A cell holding a sentence is read like text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from ingest.model import Document, Paragraph, Table

from . import nlp
from .facts import Conflict, IndicatorMention
from .regex_scan import AnyPattern, WordFinder, word_end_gate
from .values import (QUANTITY_AMOUNT, QUANTITY_UNIT, ParsedValue, as_percent, canonical_unit, find_values,
                     parse_value, unit_family)

__all__ = ["IndicatorSpec", "IndicatorMention", "Conflict", "extract_indicators", "find_conflicts",
           "find_terms", "split_sentences"]


@dataclass
class IndicatorSpec:
    """One indicator as the rubric data describes it (see rubric/data/*/indicators.toml)."""

    key: str
    name: str
    aliases: list[str]
    kind: str                      # "rate" | "quantity" | "flag"
    unit: str
    item: str
    subjects: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    shared_aliases: list[str] = field(default_factory=list)   # names stating several keys at once
    blockers: list[str] = field(default_factory=list)         # terms that are not indicators
    yes: list[str] = field(default_factory=list)              # flag patterns: value 1
    partial: list[str] = field(default_factory=list)          # 0.5
    no: list[str] = field(default_factory=list)               # 0
    schemes: list[str] = field(default_factory=list)          # 方案 kinds, for derived rates
    patterns: list[str] = field(default_factory=list)         # regular expressions for names too
    share_of: list[str] = field(default_factory=list)         # "X占…的N%": what X is (regex)
    share_base: list[str] = field(default_factory=list)       # and what it is a share of (regex)
    dated: bool = True                                         # flags: does a year apply to it


# -- the term index -------------------------------------------------------------------------

@dataclass
class _Term:
    keys: tuple[str, ...]
    head: str = ""          # the head the term ends with, for coordination ("废水、废气达标率")
    kind: str = "term"      # "term" | "head" | "blocker"


@dataclass
class _Hit:
    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    kind: str
    head: str = ""


class _Index:
    def __init__(self, specs: list[IndicatorSpec]):
        self.specs = {s.key: s for s in specs}
        self.terms: dict[str, _Term] = {}
        self.head_keys: dict[str, list[str]] = {}
        self.subject_keys: dict[str, list[str]] = {}
        numeric = [s for s in specs if s.kind in ("rate", "quantity")]
        all_heads = sorted({h for s in numeric for h in s.heads}, key=len, reverse=True)
        for s in numeric:
            for h in s.heads:
                self.head_keys.setdefault(h, []).append(s.key)
            for sub in s.subjects:
                self.subject_keys.setdefault(sub, []).append(s.key)
        generated: dict[str, set[str]] = {}
        for s in numeric:
            for sub in s.subjects:
                for h in s.heads:
                    for form in (sub + h, sub + "的" + h):
                        generated.setdefault(form, set()).add(s.key)
        for form, keys in generated.items():
            if len(keys) == 1:
                self.terms[form] = _Term(tuple(keys), head=self._head_of(form, all_heads))
        for s in numeric:
            for a in s.aliases:
                self.terms[a] = _Term((s.key,), head=self._head_of(a, all_heads))
        joint: dict[str, list[str]] = {}
        for s in numeric:
            for a in s.shared_aliases:
                joint.setdefault(a, []).append(s.key)
        for a, keys in joint.items():
            self.terms[a] = _Term(tuple(sorted(set(keys), key=list(self.specs).index)),
                                  head=self._head_of(a, all_heads))
        for h, keys in self.head_keys.items():
            if h not in self.terms:
                self.terms[h] = _Term(tuple(keys), head=h, kind="head")
        for s in specs:
            for b in s.blockers:
                if b not in self.terms:
                    self.terms[b] = _Term((), kind="blocker")
        self.term_tuple = tuple(sorted(self.terms, key=lambda t: (-len(t), t)))
        # every occurrence of every term (over 1,900) from the few places a term can end
        self.term_finder = WordFinder(self.term_tuple)
        # the character pairs inside terms: a term can only span a gap of white space whose
        # two sides make one of them (see _spaced_occurrences); None when a term holds white
        # space itself and the count argument there does not hold
        self.term_pairs = None if any(_SPACE.search(t) for t in self.term_tuple) else \
            frozenset(t[i:i + 2] for t in self.term_tuple for i in range(len(t) - 1))
        # the terms and heads that can become an indicator: a sentence without one (and
        # without a pattern's name) names none, whatever else it holds
        self.naming_terms = frozenset(t for t, term in self.terms.items() if term.kind != "blocker")
        # found where one of them can end (…达标率, …能耗): a sentence without such a place has none
        self.naming_end_rx = word_end_gate(self.naming_terms)
        self.patterns = [(re.compile(p), s.key) for s in numeric for p in s.patterns]
        self.pattern_gate = AnyPattern(rx.pattern for rx, _ in self.patterns)
        self.shares = [(s.key, re.compile("|".join(f"(?:{p})" for p in s.share_of)),
                        re.compile("|".join(f"(?:{p})" for p in s.share_base))) for s in numeric if s.share_of]
        self.share_subject_gate = AnyPattern(p for s in numeric if s.share_of for p in s.share_of)
        self.subject_lengths = sorted({len(sub) for sub in self.subject_keys}, reverse=True)
        self.flags = []
        for s in specs:
            if s.kind == "flag":
                self.flags.append((s, [re.compile(p) for p in s.partial], [re.compile(p) for p in s.no],
                                   [re.compile(p) for p in s.yes]))
        # most sentences hold no flag at all: one search says so instead of one per pattern
        self.flag_gate = AnyPattern(p for s in specs if s.kind == "flag" for p in (*s.partial, *s.no, *s.yes))
        self.schemes = [(s.key, sorted(s.schemes, key=len, reverse=True)) for s in specs if s.schemes]
        self.scheme_rx = None
        all_schemes = sorted({x for _, xs in self.schemes for x in xs}, key=len, reverse=True)
        if all_schemes:
            self.scheme_rx = re.compile("|".join(re.escape(x) for x in all_schemes))
        self.scheme_gate = word_end_gate(all_schemes)   # …方案: most paragraphs name none
        self.scheme_key = {x: k for k, xs in self.schemes for x in xs}
        # heads as verbs, for values written first: 处置率 -> "100%合规处置", "100%的处置率"
        self.action_head: dict[str, str] = {}
        for h in sorted(self.head_keys, key=len, reverse=True):
            if h.endswith("率") and len(h) >= 3:
                self.action_head.setdefault(h[:-1], h)
            self.action_head.setdefault("的" + h, h)
        acts = sorted(self.action_head, key=len, reverse=True)
        alt = "|".join(re.escape(a) for a in acts)
        self.action_rx = re.compile(r"^\s*(?P<act>" + alt + ")") if acts else None
        # what _value_first needs: a percent or a bare number (whose last character is one of
        # these; a suffix such as 以上 or 左右 ends in 上, 下 or 右) with an action right after it
        self.value_then_action = re.compile(
            r"[\d%％‰零〇○一二两三四五六七八九十百千成半上下右]\s*(?:" + alt + "|" + _AGENT_ACTION_START + ")") \
            if acts else None
        # jieba learns the terms when the pipeline is first loaded (only if a sentence needs it)
        nlp.register_terms(self.term_tuple)

    @staticmethod
    def _head_of(term: str, heads: list[str]) -> str:
        for h in heads:
            if term.endswith(h) and len(term) > len(h):
                return h
        return ""


_INDEX_CACHE: dict[str, _Index] = {}


def _index(specs: list[IndicatorSpec]) -> _Index:
    key = json.dumps([s.__dict__ for s in specs], ensure_ascii=False, sort_keys=True)
    idx = _INDEX_CACHE.get(key)
    if idx is None:
        idx = _Index(specs)
        _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = idx
    return idx


# -- sentences --------------------------------------------------------------------------

_SENT_END = re.compile(r"[。；;！？!?\n]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a paragraph: split on 。；; ！？ and newline."""
    if not _SENT_END.search(text):   # most paragraphs are one sentence without an end mark
        return [(0, len(text))] if text.strip() else []
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# -- terms ---------------------------------------------------------------------------------

_GENERIC_RATE = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:率|比例|比重)")
_COORD = ("以及", "、", "和", "及", "与", "/", "")


def find_terms(sentence: str, specs_or_index) -> list[_Hit]:
    """The indicator terms and not-indicator terms in one sentence, left to right."""
    idx = specs_or_index if isinstance(specs_or_index, _Index) else _index(specs_or_index)
    cands, pattern_keys = _term_candidates(sentence, idx)
    return _hits(sentence, cands, pattern_keys, idx)


def _term_candidates(sentence: str, idx: _Index) -> tuple[set[tuple[int, int, str]], dict[str, str]]:
    """Every occurrence of every term and of every pattern's name, overlaps included, and the
    key of each name only a pattern knows."""
    # Every occurrence of every term (a plain scan keeps recall independent of how jieba
    # cuts the sentence). spaCy's PhraseMatcher over the jieba tokens finds a subset of these,
    # except for a term whose tokens stand apart with white space between ("COD 去除率"):
    # it is asked only when the sentence holds such an occurrence.
    cands = _scan_terms(sentence, idx)
    if _has_space(sentence) and _spaced_occurrences(sentence, cands, idx):
        cands.update(nlp.match_terms(sentence, idx.term_tuple))
    pattern_keys: dict[str, str] = {}
    if idx.pattern_gate.may_match(sentence):
        for rx, key in idx.patterns:
            for m in rx.finditer(sentence):
                if m.group(0) not in idx.terms:
                    pattern_keys[m.group(0)] = key
                cands.add((m.start(), m.end(), m.group(0)))
    return cands, pattern_keys


def _may_name_indicator(cands: set[tuple[int, int, str]], pattern_keys: dict[str, str], idx: _Index) -> bool:
    """Can _hits make an indicator term of these candidates? Not when every one is a
    not-indicator word: only a term, a head (when its subject stands before it) or a
    pattern's name ever becomes one."""
    naming = idx.naming_terms
    return bool(pattern_keys) or any(t in naming for _, _, t in cands)


def _hits(sentence: str, cands: set[tuple[int, int, str]], pattern_keys: dict[str, str], idx: _Index) -> list[_Hit]:
    """The terms find_terms reports, from the candidates: the longest of overlapping ones,
    heads given their subject, coordinated subjects joined."""
    chosen: list[tuple[int, int, str]] = []
    for a, b, t in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(b <= x or a >= y for x, y, _ in chosen):
            chosen.append((a, b, t))
    chosen.sort()
    hits: list[_Hit] = []
    for a, b, t in chosen:
        term = idx.terms.get(t) or _Term((pattern_keys[t],))
        hits.append(_Hit(a, b, t, term.keys, term.kind, term.head))
    # any other "…率" / "…比例" word is not one of ours: it blocks like a named non-indicator
    covered = [(h.start, h.end) for h in hits]
    for m in _GENERIC_RATE.finditer(sentence):
        a, b = m.span()
        if all(b <= x or a >= y for x, y in covered):
            hits.append(_Hit(a, b, m.group(0), (), "blocker"))
    hits.sort(key=lambda h: h.start)
    hits = _drop_appositions(sentence, hits)
    for i, h in enumerate(hits):
        prev_end = hits[i - 1].end if i else 0
        if h.kind == "head":
            keys, start = _resolve_head(sentence, h, prev_end, idx)
            if keys:
                h.keys, h.kind = keys, "term"
            else:
                h.kind = "blocker"
        elif h.kind == "term" and h.head:
            extra, start = _coordinated(sentence, h.start, h.head, prev_end, idx)
            if extra:
                h.keys = tuple(dict.fromkeys([*extra, *h.keys]))
                h.start = start
    return hits


_SPACE = re.compile(r"\s")


def _has_space(sentence: str) -> bool:
    return _SPACE.search(sentence) is not None


def _scan_terms(text: str, idx: _Index) -> set[tuple[int, int, str]]:
    """(start, end, term) for every occurrence of every term in `text`, overlaps included."""
    return idx.term_finder.occurrences(text)


def _spaced_occurrences(sentence: str, cands: set, idx: _Index) -> bool:
    """Does a term occur once white space is taken out that does not occur as it stands?"""
    # Squeezing keeps every occurrence there was and adds those that span a gap; one that
    # spans a gap holds the two characters either side of it, so when no gap's pair occurs
    # inside a term, nothing is added.
    if idx.term_pairs is not None and not any(pair in idx.term_pairs for pair in _gap_pairs(sentence)):
        return False
    squeezed = _SPACE.sub("", sentence)
    if squeezed == sentence:
        return False
    return len(_scan_terms(squeezed, idx)) != len(cands)


_SPACE_RUN = re.compile(r"\s+")


def _gap_pairs(sentence: str) -> list[str]:
    """The two characters either side of each run of white space inside the sentence."""
    return [sentence[a - 1] + sentence[b] for a, b in (m.span() for m in _SPACE_RUN.finditer(sentence))
            if a > 0 and b < len(sentence)]


_OPEN_BRACKET = re.compile(r"\s*\(\s*[^()]*")


def _drop_appositions(sentence: str, hits: list[_Hit]) -> list[_Hit]:
    """A not-indicator word in brackets right after a term explains the term; it is not another one."""
    out: list[_Hit] = []
    for h in hits:
        if h.kind == "blocker" and out and out[-1].kind in ("term", "head"):
            gap = sentence[out[-1].end:h.start]
            close = sentence.find(")", h.end)
            if _OPEN_BRACKET.fullmatch(gap) and close >= 0 and "(" not in sentence[h.end:close]:
                continue
        out.append(h)
    return out


def _subject_at_end(text: str, end: int, lo: int, idx: _Index) -> tuple[str, int] | None:
    """The longest subject word ending exactly at `end` (not before `lo`)."""
    for length in idx.subject_lengths:
        a = end - length
        if a >= lo:
            sub = text[a:end]
            if len(sub) == length and sub in idx.subject_keys:
                return sub, a
    return None


def _coordinated(text: str, start: int, head: str, lo: int, idx: _Index) -> tuple[list[str], int]:
    """Subjects coordinated in front of a term: "废水、废气达标率" -> the 废水 key too."""
    keys: list[str] = []
    pos = start
    while True:
        found = None
        for sep in _COORD:
            end = pos - len(sep)
            if end <= lo or text[end:pos] != sep:
                continue
            sub = _subject_at_end(text, end, lo, idx)
            if sub is None:
                continue
            cand = [k for k in idx.subject_keys[sub[0]] if k in idx.head_keys.get(head, [])]
            if cand:
                found = (cand, sub[1])
                break
        if not found:
            return keys, pos
        keys = found[0] + keys
        pos = found[1]


def _subjects_at_end(text: str, end: int, lo: int, idx: _Index) -> list[tuple[str, int]]:
    out = []
    for length in idx.subject_lengths:   # one subject at most of each length ends at `end`
        a = end - length
        if a >= lo:
            sub = text[a:end]
            if len(sub) == length and sub in idx.subject_keys:
                out.append((sub, a))
    return out


def _resolve_head(text: str, hit: _Hit, lo: int, idx: _Index) -> tuple[tuple[str, ...], int]:
    """A bare head (达标率) is the indicator whose subject stands nearest before it."""
    return _keys_from_subject(text, hit.start, hit.text, lo, idx), hit.start


def _keys_from_subject(text: str, pos: int, head: str, lo: int, idx: _Index) -> tuple[str, ...]:
    candidates = idx.head_keys.get(head, [])
    lo = max(lo, pos - 30)
    for end in range(pos, lo, -1):
        subs = _subjects_at_end(text, end, lo, idx)
        if not subs:
            continue
        # the longest subject names the thing; a shorter one ending with it counts only when
        # both name the same thing ("外排污水" / "污水", not "废水" / "水")
        longest = subs[0][0]
        for sub, a in subs:
            keys = [k for k in idx.subject_keys[sub] if k in candidates]
            if not keys:
                continue
            if sub != longest and not set(idx.subject_keys[longest]) & set(idx.subject_keys[sub]):
                return ()
            more, _ = _coordinated(text, a, head, lo, idx)
            return tuple(dict.fromkeys([*more, *keys]))
        return ()
    return ()


# -- linking terms to values ---------------------------------------------------------------

_CLAUSE_SEP = re.compile(r"[，,：:]")
# every form starts with a year's four digits; the lookahead saying so first spares the engine
# trying the three forms at each character
_YEAR_EXPR = re.compile(
    r"(?=(?:19|20)\d\d)(?:"
    r"(?P<a>(?:19|20)\d{2})\s*(?:年(?:度)?)?\s*(?:[-—–~～至到]|－)+\s*(?P<b>(?:19|20)\d{2})\s*年(?:度)?"
    r"|(?P<list>(?:(?:19|20)\d{2}\s*(?:年(?:度)?\s*[、和及与,，]?|[、和及与,，])\s*)+(?:19|20)\d{2}\s*年(?:度)?)"
    r"|(?P<y>(?:19|20)\d{2})\s*年(?:度)?)")
_CONTINUE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年(?:度)?|近[三两二五3 25]年(?:来)?|当年|全年|年内|目前|现|实际)?\s*"
    r"(?:均|都|皆|全部|已|分别|基本|达到|达|为|是|保持|维持|稳定|约|超过|不低于|高于|低于|在|可达|可以达到|能够达到|"
    r"能达到|也|亦|平均|≥|>|=|≤|<|100|\d)")
_DELTA_BEFORE = re.compile(r"(?:提高|提升|上升|增加|增长|下降|降低|减少|减排|削减|节约|节省|缩小|扩大|增|减|降|升|"
                           r"多|少|变化|变动|幅度|增幅|降幅)(?:了|约|近|达|为|幅度为|幅度达)?\s*$")
_FROM_BEFORE = re.compile(r"(?:由|从|比|较|较上年|较去年|同比|环比)\s*$")
_FROM_WHEN = re.compile(r"(?:由|从)\s*(?:(?:19|20)\d{2}\s*年(?:度)?(?:底|末)?|[\u4e00-\u9fff]{1,4}前|基准年)\s*的?\s*$")
_CHANGED_TO = re.compile(r"\s*(?:提高|提升|上升|增加|增长|下降|降低|减少|减|降|升|增)(?:到|至)\s*"
                         r"(?:(?:19|20)\d{2}\s*年(?:度)?(?:底|末)?\s*的?)?\s*")
_REF_BEFORE = re.compile(r"(?:表|图|第|附件|附表|附图|章|节|序号|编号|No\.?|NO\.?)\s*$")
_BARE_PREFIX_OK = re.compile(
    r"^(?:\s|[：:（()）]|(?:19|20)\d{2}\s*年(?:度)?|近[三两二五3 25]年(?:来)?|均|都|皆|全部|已|分别|基本|达到了?|达|为|是|"
    r"保持|维持|稳定|在|可达|平均|约|超过|不低于|高于|低于|不足|≥|>|=|≤|<|仅|只有|实际|实际值|现状|完成|完成值)*$")
# "到2025年" is a deadline, "降至2023年的378" a year's value; "将…提高到" speaks of the future
_TARGET = re.compile(r"目标|计划|力争|预计|预期|争取|拟|规划|将达到|将提高|期望|设定|设置|"
                     r"将[^，,。；;\d]{0,16}?(?:提高|提升|降低|降至|减少|减至|达到|控制)|"
                     r"(?<!截)(?<!截止)(?<![降升增减高少低])(?:到|至)\s*(?:19|20)\d{2}\s*年(?!\s*(?:度)?的)")
_ACHIEVED = re.compile(r"(?<!计划)(?<!预计)(?<!力争)(?<!争取)(?<!将)完成[^，。；;]{0,25}?目标|完成了|已完成|已经完成|实现了|已实现|已达到|达成|超额完成|顺利完成|完成情况|实际|现状|"
                       r"目标均已|目标已|均已完成|全部完成|均已实现")
_REQUIREMENT = re.compile(r"(?<!符合)(?<!满足)(?<!达到)(?<!按照)(?<!满足了)(?<!符合了)要求|应达到|应不低于|应大于|应≥|"
                          r"应在|应为|应当|须达到|必须|不得低于|不应低于|规定|标准值|限值|基准值|先进值|"
                          r"[一二三Ⅰ-Ⅲ]级(?:标准|水平|基准)|清洁生产(?:评价)?指标体系|评价指标|国内先进|国际先进|"
                          r"行业先进|行业平均|同行业|准入条件")
_POINTS_AFTER = re.compile(r"^\s*(?:的|者|以上的|及以上的)?\s*[，,、(（]?\s*(?:(?:可|即|即可|方可|才能|能|可以)?(?:得|获得?|计|加|扣)|为)?\s*\d+(?:\.\d+)?\s*分")
# a scoring rule quoted in the clause: "按审核表，…达到80%可得2分", "…按评分标准计分"; the value is
# what a rule asks, not what the enterprise achieved
_SCORING_BEFORE = re.compile(r"(?:按|按照|依照|依据|根据|对照)[^，,。；;\d]{0,10}?(?:审核表|评分表|评分标准|评分细则|评分办法|考核表)|评分时")
_SCORING_CLAUSE = re.compile(r"(?:可|即|即可|方可|才能|可以)(?:得|获得?|计)\s*\d+(?:\.\d+)?\s*分|得\s*\d+(?:\.\d+)?\s*分|"
                             r"按[^，,。；;\d]{0,10}?评分|评分|赋分|计分")
_SCHEME_COUNT = re.compile(r"^(?:共|合计|总计|计)?(?:提出|产生|筛选出|已实施|实施)?(?:了)?(?:共|合计)?\s*(?P<n>\d+)\s*(?:项|个|条)")
# what "done" is called for a 方案: implemented, completed, or (for a project) built and in use
_DONE_VERB = r"(?:实施|完成|落实|建成投用|建成投运|建成投产|投入使用|投入运行|投用|投运|建成)"
_SCHEME_ALL = re.compile(rf"^[^。；;]{{0,12}}?(?:已|均已|都已|已经|目前已)?(?:全部|均|都|100%)(?:已|已经)?{_DONE_VERB}")
_SCHEME_DONE = re.compile(rf"^[^。；;]{{0,12}}?(?:已|已经|目前已|共|累计)?{_DONE_VERB}(?:了)?\s*(?P<m>\d+)\s*(?:项|个|条)"
                          rf"|^[^。；;]{{0,12}}?(?P<m2>\d+)\s*(?:项|个|条)(?:已|已经){_DONE_VERB}")


@dataclass
class _Group:
    hits: list[_Hit]

    @property
    def end(self) -> int:
        return self.hits[-1].end


_SINCE = re.compile(r"\s*(?:以来|起|开始|至今|以前|之前|前)")   # "2020年以来" is no year of a value
_YEAR_NUMBER = re.compile(r"(?:19|20)\d{2}")


def _years_in(sentence: str) -> list[tuple[int, int, list[int]]]:
    """(start, end, years) for every year expression; a range or list gives several years."""
    out = []
    if "年" not in sentence:   # every year expression ends in 年 (or 年度)
        return out
    for m in _YEAR_EXPR.finditer(sentence):
        after = sentence[m.end():m.end() + 3]
        if _SINCE.match(after):
            continue
        if m.group("a"):
            a, b = int(m.group("a")), int(m.group("b"))
            if not 0 < b - a <= 10:
                continue
            years = list(range(a, b + 1))
        elif m.group("list"):
            years = [int(y) for y in _YEAR_NUMBER.findall(m.group("list"))]
        else:
            years = [int(m.group("y"))]
        out.append((m.start(), m.end(), years))
    return out


# a value for the whole audit round or a sum over years has no single year
_PERIOD = re.compile(r"本轮|累计|合计|总计|近[三两二五几3 25]年|历年")
_ANY_YEARS = re.compile(r"近[三两二五几3 25]年|近年|历年|每年|逐年|各年")


_TOPIC_YEAR = re.compile(r"^\s*(?:截至|截止|在)?\s*((?:19|20)\d{2})\s*年(?:度)?(?:底|末)?\s*[,，]")
# a label, a colon, then a year opening a list of items: "审核目标：2023年…；…"
_LIST_YEAR = re.compile(r"^\s*[\u4e00-\u9fff]{2,10}[：:]\s*(?:截至|截止|到|在)?\s*((?:19|20)\d{2})\s*年(?:度)?(?:底|末)?"
                        r"(?!\s*(?:[-—–~～至到和、及与]|以及)\s*(?:19|20)\d{2})")
# a label naming the year in itself: "本轮设定的2024年指标：…；…"
_LIST_YEAR_IN_LABEL = re.compile(r"^\s*[^，,：:。；;\d]{0,12}?((?:19|20)\d{2})\s*年(?:度)?[^，,：:。；;\d]{0,8}[：:]")
# the label before a colon opening a list, when it says the list is of targets
_LIST_LABEL = re.compile(r"^\s*([^，,：:。；;]{1,24})[：:]")
_LEAD_YEAR = re.compile(r"^\s*(?:截至|截止|在)?\s*((?:19|20)\d{2})\s*年(?:度)?(?:底|末)?"
                        r"(?!\s*(?:[-—–~～至到和、及与]|以及|以来|起|开始|前|以前|之前)|\s*(?:度)?的)")
_REFERS_TO_YEAR = re.compile(r"年末|年底|年初|全年|当年|同年|该年|本年度|年内")
_CLAUSE_COMMA = re.compile(r"[，,]")


def _speaks_of_years(sentence: str) -> bool:
    """"近三年", "历年", "每年" …: the sentence speaks of several years, not of one."""
    return "年" in sentence and _ANY_YEARS.search(sentence) is not None


def _stated_year(sentence: str, current: int | None) -> int | None:
    """The year a sentence sets for the sentences after it in its paragraph.

    Only a year set as the topic ("2023年，…", "截至2023年底，…") carries on; a year inside
    a statement ("2023年固体废物综合利用率为98.6%") belongs to that statement. A sentence that
    itself refers to "the year" (年末, 全年 …) keeps the last year the paragraph named.
    """
    if "年" not in sentence:   # neither a topic year nor 近三年 and the like
        return current
    if _ANY_YEARS.search(sentence):
        return None
    m = _TOPIC_YEAR.match(sentence)
    if m:
        return int(m.group(1))
    return current


def _last_year(years: list[tuple[int, int, list[int]]]) -> int | None:
    """The last single year of a sentence's year expressions (see _years_in)."""
    singles = [ys[0] for _, _, ys in years if len(ys) == 1]
    return singles[-1] if singles else None


# what a term says its quantity is per: "吨纸…" per tonne, "万粒胶囊…" per 10 000 pieces
_PER_IN_TERM = re.compile(r"^(?:每)?(?:(?P<t>吨)|(?P<n>[万千百](?!元)[粒块件只支片瓶袋包张箱套台]))")


def _per_of_term(term: str) -> str:
    m = _PER_IN_TERM.match(term)
    if not m:
        return ""
    return "t" if m.group("t") else m.group("n")


def _value_ok(pv: ParsedValue, spec: IndicatorSpec, term: str = "") -> ParsedValue | None:
    if spec.kind == "quantity":
        if not pv.unit or pv.unit == "%" or pv.comparator == "range":
            return None
        unit = ""
        if QUANTITY_UNIT.fullmatch(pv.unit):
            unit = canonical_unit(pv.unit)
        elif _per_of_term(term) and QUANTITY_AMOUNT.fullmatch(pv.unit):
            # "吨纸综合能耗降至270千克标准煤以下", "万粒胶囊综合能耗0.86 kgce": the term says per what
            unit = canonical_unit(pv.unit + "/" + _per_of_term(term))
        if not unit:
            return None
        # an energy indicator takes an energy unit, a water indicator a water unit
        want = unit_family(spec.unit)
        if want and unit_family(unit) != want:
            return None
        return replace(pv, unit=unit)
    return as_percent(pv)


_REQUIREMENT_AFTER = re.compile(r"^[”\"'』」]?\s*的?(?:要求|规定|标准)")
_RULE_WORD = re.compile(r"审核表|要求|标准|规定|办法")
_SHOULD_BEFORE = re.compile(r"(?:应|须|需)(?:该|当)?\s*$")
_RULE_TITLE = re.compile(r"《[^》]*(?:审核表|审核办法|要求)[^》]*》")
_TARGET_AFTER = re.compile(r"^[^，,。]{0,6}?的?目标")
_NOT_ACHIEVED = re.compile(r"未(?:能)?(?:完成|实现|达到)")
_ACHIEVED_BETWEEN = re.compile(r"实际|现状|完成情况|已(?:经)?完成|完成了|均已|顺利完成|超额完成")


def _role(sentence: str, lo: int, val: ParsedValue) -> str | None:
    """"actual", "target", or None for a quoted requirement (dropped)."""
    window = sentence[lo:val.start]
    tail = sentence[val.end:val.end + 8]
    if _POINTS_AFTER.match(sentence[val.end:]):
        return None
    clause_end = _CLAUSE_SEP.search(sentence, val.end)
    own_clause = sentence[lo:clause_end.start() if clause_end else len(sentence)]
    if _SCORING_BEFORE.search(sentence[:val.start]) or _SCORING_CLAUSE.search(own_clause):
        return None
    if _REQUIREMENT_AFTER.match(tail):
        return None
    opened = sentence.rfind("“", 0, val.start)
    if opened > sentence.rfind("”", 0, val.start) and _RULE_WORD.search(sentence[:opened]):
        return None  # a quoted requirement: 按照审核表“中高费方案实施率70%以上”的要求
    if _REQUIREMENT.search(window) or _SHOULD_BEFORE.search(window):
        return None
    before_all = sentence[:val.start]
    if "要求" in before_all and _RULE_TITLE.search(before_all):
        return None
    target_zone = window + tail
    if _TARGET.search(target_zone) or _TARGET_AFTER.match(tail):
        achieved = _ACHIEVED.search(sentence[:val.end + 10])
        if achieved and not _NOT_ACHIEVED.search(sentence[:val.end + 10]):
            return "achieved"  # a target reached: the value is at least the target
        return "target"
    # a target stated before the term, in the same sentence: "审核目标：水计量率达到100%"
    if _TARGET.search(sentence[:lo]) and not _ACHIEVED.search(sentence[:val.end]):
        head = sentence[:lo]
        # only when nothing in between closes it (a clause with its own subject would); the
        # plan's own verb ("计划…完成…方案") closes nothing
        if not _ACHIEVED_BETWEEN.search(head):
            return "target"
    return "actual"


_TO_BEFORE = re.compile(r"(?:到|至)\s*$")
_LIST_STEP = re.compile(r"\s*(?:[、，,和及与]|以及)?\s*(?:(?:19|20)\d{2}\s*年(?:度)?\s*(?:为|达到|达|是)?)?\s*")
# what _value_ok reads of a spec when a group's values are checked before the keys are known
_KIND_ONLY = {kind: IndicatorSpec("", "", [], kind, "", "") for kind in ("rate", "quantity")}


def _link_group(sentence: str, group: _Group, slot_end: int, values: list[ParsedValue],
                idx: _Index) -> list[tuple[_Hit, str, ParsedValue, bool]]:
    """(hit, key, value, from_list) for the values that belong to a group of coordinated terms."""
    end = group.end
    kinds = {idx.specs[k].kind for h in group.hits for k in h.keys if k in idx.specs}
    if not kinds:
        return []
    spec_kind = "quantity" if kinds == {"quantity"} else "rate"
    run: list[ParsedValue] = []
    pos = end
    stop = False
    for pv in values:
        if pv.num_start < end:
            continue
        if pv.num_start >= slot_end or pv.end > slot_end + 4:
            break
        bridge = sentence[pos:pv.start]
        # a clause boundary ends the term's reach unless the next clause continues it
        for m in _CLAUSE_SEP.finditer(bridge):
            if not _CONTINUE.match(bridge[m.end():] + sentence[pv.start:pv.start + 2]):
                stop = True
                break
        if stop:
            break
        if len(sentence[end:pv.start]) > 40 and not run:
            break
        before = sentence[max(0, pv.start - 8):pv.start]
        if _FROM_BEFORE.search(before):
            pos = pv.end
            continue
        if _DELTA_BEFORE.search(before) and not _TO_BEFORE.search(before):
            if run:
                break
            return []
        if _REF_BEFORE.search(before):
            pos = pv.end
            continue
        ok = _value_ok(pv, _KIND_ONLY[spec_kind], group.hits[-1].text)
        if ok is None:
            if pv.unit in ("个百分点", "百分点"):
                return [] if not run else _assign(group, run, sentence, idx)
            pos = pv.end
            continue
        if pv.bare and not _BARE_PREFIX_OK.match(sentence[pos:pv.start]):
            pos = pv.end
            continue
        if run:
            # a list continues only through list separators ("95%、96%和98%") or year steps
            between = sentence[run[-1].end:pv.start]
            # "由2021年的412降至2023年的378", "由审核前的78%提高到96%": a from-value that says
            # when it stood, then the value it changed to; both are actual values
            changed = len(run) == 1 and _CHANGED_TO.fullmatch(between) and \
                _FROM_WHEN.search(sentence[max(0, run[0].start - 12):run[0].start])
            if not changed and not _LIST_STEP.fullmatch(between):
                break
        run.append(ok)
        pos = pv.end
    if not run:
        return []
    return _assign(group, run, sentence, idx)


_JOINING_WORD = re.compile(r"[、/和及与]")
_ALL_OF_THEM = re.compile(r"均|都|皆|全部|一律")


def _assign(group: _Group, run: list[ParsedValue], sentence: str,
            idx: _Index) -> list[tuple[_Hit, str, ParsedValue, bool]]:
    out = []
    hits = group.hits
    n = len(hits)
    bridge = sentence[group.end:run[0].start]
    if n > 1 and len(run) == n:
        for h, pv in zip(hits, run):
            if h.kind == "term":
                out += [(h, k, pv, False) for k in h.keys]
        return out
    if n > 1 and len(run) > 1:
        return []  # values and terms do not pair up: say nothing rather than guess
    if n == 1 and len(run) > 1:
        h = hits[0]
        if len(h.keys) > 1:
            # one term naming several indicators ("能源、水、物料计量器具配备率依次为a、b、c"): the values
            # pair with the names in order, or, when each value has its own year, every name takes
            # each year's value; counts that differ pair with nothing
            if _each_value_has_year(sentence, run):
                return [(h, k, pv, True) for pv in run for k in h.keys]
            listed = [ys for _, e, ys in _years_in(sentence) if e <= run[0].start and len(ys) == len(run)]
            if listed:
                # "2022、2023年A、B达标率分别为x、y": per year or per name? Only when the names
                # cannot be what the values count is it per year
                return [] if len(run) == len(h.keys) else [(h, k, pv, True) for pv in run for k in h.keys]
            keys = _keys_in_text_order(sentence[h.start:h.end], h.keys, idx)
            if keys and len(run) == len(keys):
                return [(h, k, pv, False) for k, pv in zip(keys, run)]
            return []
        return [(h, k, pv, True) for pv in run for k in h.keys]
    pv = run[0]
    if n > 1:
        joined_by_word = all(_JOINING_WORD.search(sentence[a.end:b.start]) for a, b in zip(hits, hits[1:]))
        if not (joined_by_word or _ALL_OF_THEM.search(bridge)):
            hits = hits[-1:]  # terms merely run together: the value is the last one's
    for h in hits:
        if h.kind == "term":
            out += [(h, k, pv, False) for k in h.keys]
    return out


def _keys_in_text_order(text: str, keys: tuple[str, ...], idx: _Index) -> list[str]:
    """The keys of one joint name in the order the name writes them ("废水、废气达标率": 废水 first),
    or [] when the text does not show the order."""
    where = {}
    for k in keys:
        spec = idx.specs[k]
        found = [text.find(x) for x in sorted(spec.subjects, key=len, reverse=True) if x in text]
        if not found:
            return []
        where[k] = min(found)
    if len(set(where.values())) != len(where):
        return []
    return sorted(keys, key=where.get)


_YEAR_JUST_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?\s*(?:为|达到了?|达|是|的|均为|[：:])?\s*$")


def _each_value_has_year(sentence: str, run: list[ParsedValue]) -> bool:
    """"2022年为98%，2023年为100%": a year stands right before every value of the run."""
    for pv in run:
        before = sentence[max(0, pv.start - 12):pv.start]
        if not _YEAR_JUST_BEFORE.search(before):
            return False
    return True


_COORDINATION = re.compile(r"\s*(?:[、/和及与]|以及)?\s*")


def _groups(sentence: str, hits: list[_Hit]) -> list[tuple[_Group, int]]:
    """Coordinated runs of rate terms ("A和B", "A、B", or run together in flattened tables),
    each with the end of its slot. Not-indicator terms take part, so that in "产品合格率和水计量率
    分别为99%和100%" the first value goes to 合格率 and is dropped with it."""
    out: list[tuple[_Group, int]] = []
    i = 0
    while i < len(hits):
        group = [hits[i]]
        j = i + 1
        while j < len(hits) and _COORDINATION.fullmatch(sentence[group[-1].end:hits[j].start]):
            group.append(hits[j])
            j += 1
        slot_end = hits[j].start if j < len(hits) else len(sentence)
        if any(h.kind == "term" for h in group):
            out.append((_Group(group), slot_end))
        i = j
    return out


def _list_is_target(sentence: str) -> bool:
    """Does the label opening a list ("2024年审核目标：…") say its items are targets?"""
    m = _LIST_LABEL.match(sentence)
    return bool(m) and bool(_TARGET.search(m.group(1))) and not _ACHIEVED.search(m.group(1))


_MAY_HOLD_VALUE = re.compile(r"\d|分之|[一二两三四五六七八九十]成|一半")
_ACTUAL_WORD = re.compile(r"实际|现状|完成情况")


def _sentence_mentions(sentence: str, idx: _Index, page: int, locator: str, source: str,
                       default_year: int | None = None, forced_role: str | None = None,
                       text_override: str | None = None, list_target: bool = False,
                       years: list[tuple[int, int, list[int]]] | None = None) -> list[IndicatorMention]:
    """The mentions one sentence states (`years`: its _years_in, when the caller has them)."""
    if not _MAY_HOLD_VALUE.search(sentence):
        return []
    if not _may_hold_naming_term(sentence, idx) and not _may_be_value_first(sentence, idx) \
            and not _may_be_share(sentence, idx):
        return []  # the same test as below, before the work of finding the terms
    cands, pattern_keys = _term_candidates(sentence, idx)
    hits = _hits(sentence, cands, pattern_keys, idx) if _may_name_indicator(cands, pattern_keys, idx) else None
    if (hits is None or not any(h.kind == "term" for h in hits)) and not _may_be_value_first(sentence, idx) \
            and not _may_be_share(sentence, idx):
        return []  # no term, no value before an action, no share: nothing below could find one
    if hits is None:   # the not-indicator words still bound the subjects of values written first
        hits = _hits(sentence, cands, pattern_keys, idx)
    if years is None:
        years = _years_in(sentence)
    # numbers that are years are not values
    year_spans = [(a, b) for a, b, _ in years]
    values = find_values(sentence, skip_numbers_in=year_spans)
    values = [v for v in values if not any(a <= v.num_start < b for a, b in year_spans)]
    out: list[IndicatorMention] = []
    prev_value_end = 0
    used: set[int] = set()
    for group, slot_end in _groups(sentence, hits):
        links = _link_group(sentence, group, slot_end, values, idx)
        if not links:
            continue
        # the clause the group starts in: what is said there (要求, 目标) governs its values
        clause_start = max([m.end() for m in _CLAUSE_SEP.finditer(sentence, 0, group.hits[0].start)]
                           + [prev_value_end])
        run = []
        for _, _, pv, _ in links:
            if pv not in run:
                run.append(pv)
        year_for = _years_for(sentence, group, run, years, default_year)
        if _PERIOD.search(sentence[clause_start:run[-1].start]):
            year_for = {k: [None] for k in year_for}
        for hit, key, pv, _ in links:
            spec = idx.specs[key]
            pv_ok = _value_ok(pv, spec, hit.text)
            if pv_ok is None:
                continue
            role = forced_role or _role(sentence, clause_start, pv)
            if role is None:
                continue
            if role == "actual" and list_target and not forced_role and \
                    not _ACTUAL_WORD.search(sentence[clause_start:pv.start]):
                role = "target"  # an item of a list its heading calls targets
            # "达到40%（实际41.5%，已完成）": the value is the target, the one in brackets the actual
            inner = _actual_in_parens(sentence, pv, values)
            inner_ok = _value_ok(inner, spec, hit.text) if inner is not None and not forced_role else None
            if inner_ok is not None:
                role = "target"
                used.add(id(inner))
            role, comparator = _role_comparator(role, pv_ok.comparator, spec.kind)
            for year in year_for.get(id(pv), [None]):
                out.append(IndicatorMention(
                    key=key, name=hit.text, value=_clean(pv_ok.value), unit=spec.unit if spec.kind == "rate" else pv_ok.unit,
                    comparator=comparator, page=page, source=source,
                    text=text_override or sentence.strip(), locator=locator, year=year,
                    low=pv_ok.low, high=pv_ok.high, role=role))
                if inner_ok is not None:
                    out.append(IndicatorMention(
                        key=key, name=hit.text, value=_clean(inner_ok.value),
                        unit=spec.unit if spec.kind == "rate" else inner_ok.unit, comparator=inner_ok.comparator,
                        page=page, source=source, text=text_override or sentence.strip(), locator=locator,
                        year=year, low=inner_ok.low, high=inner_ok.high, role="actual"))
        prev_value_end = max(pv.end for pv in run)
        used.update(id(pv) for pv in run)
    more = _shares(sentence, values, used, idx, page, locator, source, default_year, forced_role, text_override)
    more += _value_first(sentence, hits, values, used, idx, page, locator, source, default_year,
                         forced_role, text_override)
    if list_target and not forced_role and not _ACTUAL_WORD.search(sentence):
        more = [replace(m, role="target") if m.role == "actual" else m for m in more]
    return out + more


def _may_hold_naming_term(sentence: str, idx: _Index) -> bool:
    """Could _term_candidates find a term or pattern name that may become an indicator? Not
    when no such term's last two characters stand together, nor a pattern's required text.
    A term spaCy finds across white space stands together once the white space is taken out."""
    if idx.pattern_gate.may_match(sentence):
        return True
    if idx.naming_end_rx is None:
        return False
    if _has_space(sentence):
        if idx.term_pairs is None:   # a term holds white space itself: no telling
            return True
        sentence = _SPACE.sub("", sentence)
    return idx.naming_end_rx.search(sentence) is not None


def _may_be_value_first(sentence: str, idx: _Index) -> bool:
    """Could _value_first find a value written before its action ("100%合规处置") here?"""
    return idx.value_then_action is not None and idx.value_then_action.search(sentence) is not None


def _may_be_share(sentence: str, idx: _Index) -> bool:
    """Could _shares find a share ("清洁生产投入占…的28.4%") here? Not without a share's subject."""
    return idx.share_subject_gate.may_match(sentence) and _SHARE_VERB.search(sentence) is not None


_ACTUAL_PARENS = re.compile(r"^\s*(?:[（(]|[，,]\s*(?:而|但)?)\s*(?:实际|实际值|实际完成|完成值|现状值)\s*(?:为|达到|达|是|[：:])?\s*$")


def _actual_in_parens(sentence: str, pv: ParsedValue, values: list[ParsedValue]) -> ParsedValue | None:
    """The value in "（实际41.5%…）" right after a value, or None."""
    nxt = next((v for v in values if v.start >= pv.end), None)
    if nxt is None or not _ACTUAL_PARENS.match(sentence[pv.end:nxt.start]):
        return None
    return nxt


# the verb joining a share's subject to its base: 占, 约占, 超过 …的
# "约为销售收入的千分之六": 为 / 相当于 join a share only when the base and 的 follow before any number
_SHARE_VERB = re.compile(r"(?P<q>约|大约|近|接近|将近|超过|高于|不低于|不少于|不足|不到|低于|已)?"
                         r"(?P<v>占|超过|高于|不低于|不少于|不足|不到|低于|(?:为|相当于)(?=[^，,。；;\d]{1,12}?的))")


def _verb_comparator(word: str) -> str:
    from .values import PREFIX_COMPARATORS
    return PREFIX_COMPARATORS.get(word, "") if word and word != "已" else ""


_SHARE_FILL = re.compile(r"^(?:了)?(?:的)?(?:比例|比重|比)?(?:均|已|也)?(?:为|达|达到|约为|是|在)?$")


def _shares(sentence, values, used, idx, page, locator, source, default_year, forced_role,
            text_override) -> list[IndicatorMention]:
    """"清洁生产投入占技改投入的28.4%", "其中清洁生产投入2140万元，占36.5%": a share of what the
    indicator says it is a share of (the base may stay unwritten when the sentence names it)."""
    out = []
    if not idx.share_subject_gate.may_match(sentence):
        return out
    for key, subj_rx, base_rx in idx.shares:
        for m in subj_rx.finditer(sentence):
            cm = _SHARE_VERB.search(sentence, m.end(), m.end() + 24)
            if cm is None:
                continue
            z = cm.end() - 1
            if re.search(r"[。；;]", sentence[m.end():z]) or subj_rx.search(sentence, m.end(), cm.start()):
                continue
            pv = next((v for v in values if v.start > z), None)
            if pv is None or id(pv) in used or pv.unit != "%" or pv.comparator == "range":
                continue
            between = sentence[z + 1:pv.start]
            # "占2023年销售收入的1.8%": the base's year is no number in the way
            if re.search(r"[\d，,。；;]", re.sub(r"(?:19|20)\d{2}\s*年(?:度)?", "", between)):
                continue
            # "约占…的0.5%", "超过技改投资的30%": the verb states the comparator; a verb other than
            # 占 needs the base written and "的" before the value
            verb_comp = _verb_comparator(cm.group("q") or ("" if cm.group("v") == "占" else cm.group("v")))
            if cm.group("v") != "占" and not (base_rx.search(between) and between.rstrip().endswith("的")):
                continue
            if verb_comp and pv.comparator == "=":
                pv = replace(pv, comparator=verb_comp)
            base = base_rx.search(between)
            rest = between[base.end():] if base else between
            rest = re.sub(r"^[\u4e00-\u9fff]{0,4}?(?:投入|投资|收入|总额|资金)", "", rest) if base else rest
            if not _SHARE_FILL.match(rest.strip()):
                if not (base and _SHARE_FILL.match(re.sub(r"^[^的比为达约是在均已也]*", "", rest))):
                    continue
            if not base and not base_rx.search(sentence):
                continue
            ok = as_percent(pv)
            if ok is None:
                continue
            clause_start = max([c.end() for c in _CLAUSE_SEP.finditer(sentence, 0, m.start())] + [0])
            role = forced_role or _role(sentence, clause_start, pv)
            if role is None:
                continue
            spec = idx.specs[key]
            role, comparator = _role_comparator(role, ok.comparator, spec.kind)
            years = [y for y in _years_in(sentence) if y[1] <= pv.start]
            if _year_after(sentence, pv):
                year = _year_after(sentence, pv)
            elif _PERIOD.search(sentence[clause_start:pv.start]):
                year = None
            elif years and len(years[-1][2]) == 1:
                year = years[-1][2][0]
            elif years:
                year = None
            else:
                year = default_year
            used.add(id(pv))
            out.append(IndicatorMention(
                key=key, name=sentence[m.start():pv.start].rstrip("为达到约是在均已也的 "), value=_clean(ok.value),
                unit=spec.unit, comparator=comparator, page=page, source=source,
                text=text_override or sentence.strip(), locator=locator, year=year, role=role))
    return out


def _role_comparator(role: str, comparator: str, kind: str) -> tuple[str, str]:
    """A target states a bound: "目标：回用率95%" is at least 95, "能耗106" at most 106; a target
    reached ("完成…99.5%的目标") is an actual value of at least the target."""
    if role == "achieved":
        return "actual", (">=" if comparator == "=" else comparator)
    if role == "target" and comparator == "=":
        return role, ("<=" if kind == "quantity" else ">=")
    return role, comparator


_AGENT_ACTION_START = r"(?:均|全部|都)?(?:交由|委托|交给|送交|送往|送至|交)"
_AGENT_ACTION = re.compile(r"^\s*" + _AGENT_ACTION_START + r"[^，,。；;\d%]{1,14}?(?:进行)?(?:安全|合规|规范|无害化|妥善)?"
                           r"(?P<act>处置)")


def _value_first(sentence, hits, values, used, idx, page, locator, source, default_year, forced_role,
                 text_override) -> list[IndicatorMention]:
    """Values written before what they measure: "危险废物100%合规处置", "废水经处理后80%回用",
    "实现了100%的达标率". The thing measured is the subject standing before the value."""
    out = []
    for pv in values:
        if id(pv) in used:
            continue
        after = sentence[pv.end:pv.end + 24]
        m = idx.action_rx.match(after) if idx.action_rx else None
        if not m:
            # "危险废物100%交由有资质单位处置": the value, who does it, then the action
            m = _AGENT_ACTION.match(after)
            if not m or m.group("act") not in idx.action_head:
                continue
        action = m.group("act")
        head = idx.action_head[action]
        ok = as_percent(pv)
        if ok is None or (pv.bare and not _BARE_PREFIX_OK.match(sentence[max(0, pv.num_start - 6):pv.num_start]) and
                          not re.search(r"[\u4e00-\u9fff]$", sentence[:pv.num_start])):
            continue
        before = sentence[max(0, pv.start - 8):pv.start]
        if _DELTA_BEFORE.search(before) or _FROM_BEFORE.search(before):
            continue
        # the subject: nearest before the value, not behind another term
        lo = max([h.end for h in hits if h.end <= pv.start] + [0])
        keys = _keys_from_subject(sentence, pv.start, head, max(0, lo), idx)
        if not keys:
            continue
        clause_start = max([c.end() for c in _CLAUSE_SEP.finditer(sentence, 0, pv.start)] + [0])
        role = forced_role or _role(sentence, clause_start, ok)
        if role is None:
            continue
        role, comparator = _role_comparator(role, ok.comparator, "rate")
        years = _years_in(sentence)
        before_years = [y for y in years if y[1] <= pv.start]
        year = before_years[-1][2][0] if before_years and len(before_years[-1][2]) == 1 else default_year
        if _PERIOD.search(sentence[clause_start:pv.start]):
            year = None
        year = _year_after(sentence, replace(pv, end=pv.end + m.end())) or year
        for key in keys:
            spec = idx.specs[key]
            if spec.kind != "rate":
                continue
            out.append(IndicatorMention(
                key=key, name=sentence[pv.start:pv.end + m.end()], value=_clean(ok.value), unit=spec.unit,
                comparator=comparator, page=page, source=source, text=text_override or sentence.strip(),
                locator=locator, year=year, low=ok.low, high=ok.high, role=role))
    return out


def _clean(v: float) -> float:
    return float(round(v, 6))


_YEAR_AFTER = re.compile(
    r"^\s*(?:[（(]\s*((?:19|20)\d{2})\s*年(?:度)?\s*(?:数据|统计|统计值|实际|实际值|监测值|平均|均值)?\s*[)）]"
    r"|[，,]\s*(?:均|皆)?(?:为|系|是)\s*((?:19|20)\d{2})\s*年(?:度)?(?:的)?(?:数据|统计数据|统计值|实际值|监测数据|监测结果)"
    r"(?=\s*(?:[，,。；;)）]|$)))")


def _year_after(sentence: str, pv: ParsedValue) -> int | None:
    """A year written after the value: "为98.5%（2023年）", "…1.6%，为2023年数据"."""
    m = _YEAR_AFTER.match(sentence[pv.end:])
    return int(m.group(1) or m.group(2)) if m else None


_YEAR_TO_VALUE = re.compile(r"\s*(?:为|达到了?|达|是|的|均为|均达到|[：:])?\s*")


def _years_for(sentence: str, group: _Group, run: list[ParsedValue], years, default_year) -> dict[int, list]:
    """Which year(s) each value of a run belongs to."""
    out: dict[int, list] = {}
    after = {id(pv): _year_after(sentence, pv) for pv in run}
    if all(after.values()):
        return {k: [v] for k, v in after.items()}
    first = group.hits[0].start
    # a year stated right before a value ("2021年为95%，2022年为96%") is that value's year
    own = {}
    for pv in run:
        for a, b, ys in years:
            if b <= pv.start and len(ys) == 1 and _YEAR_TO_VALUE.fullmatch(sentence[b:pv.start]) and a >= first:
                own[id(pv)] = ys[0]
    if own and len(own) == len(run):
        return {k: [v] for k, v in own.items()}
    before = [y for y in years if y[1] <= run[0].start]
    if not before:
        for pv in run:
            out[id(pv)] = [default_year]
        return out
    _, _, ys = before[-1]
    if len(ys) > 1:
        if len(run) == len(ys):
            for pv, y in zip(run, ys):
                out[id(pv)] = [y]
        elif len(run) == 1:
            out[id(run[0])] = [None]  # "2021—2023年…累计…35%": the whole period, not each year
        else:
            for pv in run:
                out[id(pv)] = [None]
        return out
    for pv in run:
        out[id(pv)] = [ys[0]]
    return out


# -- derived rates from scheme counts --------------------------------------------------

def _derived(text: str, idx: _Index, page: int, locator: str, totals: dict[str, int],
             found: list[IndicatorMention]) -> list[IndicatorMention]:
    """Implementation rates computed from counts: "中/高费方案4项，已实施3项" -> 75."""
    out: list[IndicatorMention] = []
    if idx.scheme_rx is None:
        return out
    if idx.scheme_gate is not None and not idx.scheme_gate.search(text):
        return out
    matches = list(idx.scheme_rx.finditer(text))
    for i, m in enumerate(matches):
        key = idx.scheme_key[m.group(0)]
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        after = text[m.end():nxt]
        if re.match(r"^[^。；;，,]{0,6}?(?:率|实施率|完成率)", after):
            continue  # a stated rate: read as text
        cm = _SCHEME_COUNT.match(after)
        rest = after
        rest_abs = m.end()
        if cm:
            total = int(cm.group("n"))
            # "共提出…15项，已实施15项" names the total; "已实施25项" names what was done
            if re.search(_DONE_VERB, after[:cm.start("n")]) and not re.search(r"提出|产生|筛选", after[:cm.start("n")]):
                total = totals.get(key)
                rest = after
            else:
                totals[key] = total
                rest = after[cm.end():]
                rest_abs = m.end() + cm.end()
        else:
            total = totals.get(key)
        implemented = None
        im = None
        if cm and i + 1 < len(matches) and re.fullmatch(r"\s*(?:[、和及与]|以及)\s*", rest):
            # "无/低费方案15项、中/高费方案4项均已实施": the one verb after the list covers both
            nm_start = matches[i + 1].end()
            nm = _SCHEME_COUNT.match(text[nm_start:])
            if nm:
                rest = text[nm_start + nm.end():]
                rest_abs = nm_start + nm.end()
                if not (_SCHEME_ALL.match(rest) and not re.match(r"^[^。；;]{0,12}?(?:未|尚未|没有)", rest)):
                    continue
        if _SCHEME_ALL.match(rest) and not re.match(r"^[^。；;]{0,12}?(?:未|尚未|没有)", rest):
            im = _SCHEME_ALL.match(rest)
            implemented = total if total else -1
        else:
            im = _SCHEME_DONE.match(rest)
            if im:
                implemented = int(im.group("m") or im.group("m2"))
        if implemented is None:
            continue
        sentence_here = _sentence_around(text, m.start(), m.end())
        if any(f.key == key and not f.derived and f.text == sentence_here for f in found):
            continue  # the sentence states the rate itself
        if implemented == -1:
            value = 100.0
        elif total and 0 <= implemented <= total:
            value = round(implemented * 100.0 / total, 2)
        else:
            continue
        end = rest_abs + im.end()
        s_start = max([x.end() for x in re.finditer(r"[。；;！？\n]", text[:m.start()])] + [0])
        span = text[s_start:end]
        if (_TARGET.search(span) and not _ACHIEVED.search(span)) or re.search(r"应|须|要求", span):
            continue
        years = [y for y in _years_in(span) if len(y[2]) == 1]
        year = years[-1][2][0] if years else None
        spec = idx.specs[key]
        out.append(IndicatorMention(key=key, name=spec.name, value=value, unit=spec.unit, comparator="=",
                                    page=page, source="text", text=_sentence_around(text, m.start(), end),
                                    locator=locator, year=year, derived=True))
    return out


# monitoring counts: "监测42次，其中41次达标", "监督性监测4次，均达标", "监测12次，超标1次"
_CHECKS = re.compile(
    r"(?:监督性监测|在线监测|自行监测|委托监测|监测|检测|抽测|抽检|采样监测)(?:了)?"
    # what was monitored may stand between the verb and the count: "监测有组织排放口24个次"
    r"(?:[^，,。；;\d]{0,10}?(?:共|合计)?)?\s*(?P<n>\d+)\s*(?:个|点)?(?:次|批次)"
    r"\s*[，,]?\s*(?:其中)?\s*(?:(?P<m>\d+)\s*(?:个|点)?(?:次|批次)(?:均)?(?:达标|合格)"
    # "共24点次，达标24点次", "有2次氨氮超过排放限值"
    r"|(?:达标|合格)\s*(?P<m3>\d+)\s*(?:个|点)?(?:次|批次)(?!\s*(?:以上|以下|左右|多))(?![^，,。；;]{0,6}?(?:超标|不达标))"
    r"|有\s*(?P<x3>\d+)\s*(?:个|点)?(?:次|批次)[^，,。；;\d]{0,12}?(?:超过|超出|超标|不达标|不合格)"
    r"|(?:结果)?(?:均|全部|都|全)(?:为)?(?:达标|合格)|(?:结果)?(?:均)?(?:无|无一|未出现|没有|均未|无一次)(?:超标|不达标)(?:情况|现象)?"
    r"|(?:超标|不达标)\s*(?P<x>\d+)\s*(?:次|批次)|(?:有)?(?P<x2>\d+)\s*(?:次|批次)(?:超标|不达标))")


def _count_rates(sentence: str, idx: _Index, page: int, locator: str, source: str,
                 default_year: int | None, found: list[IndicatorMention]) -> list[IndicatorMention]:
    """Compliance rates computed from monitoring counts: "外排废水监测42次，其中41次达标" -> 97.62.

    Only the rates a count of passed checks measures (the keys whose head is 达标率), and only
    when the thing monitored (废水, 噪声 …) stands before the count."""
    out = []
    for m in _CHECKS.finditer(sentence):
        n = int(m.group("n"))
        if n <= 0:
            continue
        if m.group("m") or m.group("m3"):
            passed = int(m.group("m") or m.group("m3"))
        elif m.group("x") or m.group("x2") or m.group("x3"):
            passed = n - int(m.group("x") or m.group("x2") or m.group("x3"))
        else:
            passed = n
        if not 0 <= passed <= n:
            continue
        # the thing monitored: before the verb, or between the verb and the count
        keys = _keys_from_subject(sentence, m.start("n"), "达标率", 0, idx)
        if not keys:
            continue
        span = sentence[:m.end()]
        if (_TARGET.search(span) and not _ACHIEVED.search(span)) or re.search(r"应|须|要求", sentence[:m.start()]):
            continue
        years = [y for y in _years_in(span) if len(y[2]) == 1]
        year = years[-1][2][0] if years else default_year
        value = round(passed * 100.0 / n, 2)
        for key in keys:
            spec = idx.specs[key]
            if any(f.key == key and not f.derived and f.text == sentence.strip() for f in found):
                continue  # the sentence states the rate itself
            out.append(IndicatorMention(key=key, name=spec.name, value=value, unit=spec.unit, comparator="=",
                                        page=page, source=source, text=sentence.strip(), locator=locator,
                                        year=year, derived=True))
    return out


def _sentence_around(text: str, a: int, b: int) -> str:
    """From the start of the sentence holding `a` to the end of the one holding `b`."""
    s = max([m.end() for m in re.finditer(r"[。；;！？\n]", text[:a])] + [0])
    e_m = re.search(r"[。；;！？\n]", text[b:])
    e = b + e_m.start() if e_m else len(text)
    return text[s:e].strip()


# -- flags ------------------------------------------------------------------------------------

_NEGATION = re.compile(r"(?:未|尚未|没有|无法|不能|未能|暂未|还未|并未|不)(?:通过|实现|做到|达到|进行|开展|取得|获得)?[^，,。；]{0,2}$")
_FLAG_TARGET = re.compile(r"力争|计划|拟|争取|预计|将于|规划|目标|下一步|准备|正在申请|申请")
# The scope of a flag's "yes": its own clause, up to the end of the match. A negator there
# ("尚未通过…认证", "暂无ISO14001证书") makes it 0, a partial marker ("部分实现…利用") 0.5 (0 for a
# flag that has no partial value: "全部" is what it states). A negator of an exceedance or an
# event ("未超过", "未发生") denies something bad and is no negation of the flag.
_FLAG_NEG = re.compile(r"(?:尚未|暂未|还未|并未|从未|未能|未曾|未|暂无|尚无|并无|仍无|还没有|没有|无法|不能|不具备|"
                       r"无(?=ISO|认证|证书|环境管理体系|资源化|回收|综合利用|利用))"
                       r"(?!发生|出现|超|违|受到|因|经处理)")
_FLAG_PARTIAL = re.compile(r"(?<![全大])部分|局部|少部分|小部分|一部分|少量")
# "…回收热量，其余废气未作利用": a later clause saying the rest is not used makes a use partial
_FLAG_REST_NOT = re.compile(r"(?:其余|其他|其它|剩余|余下)[^。；;，,]{0,10}?(?:均)?(?:未|没有|尚未|暂未)")


_FLAG_CLAUSE_SEP = re.compile(r"[，,；;。：:]")


def _flag_scope(sentence: str, match: re.Match, value: float, has_partial: bool) -> float:
    """The value a flag's match has once its clause is read: negated, partial, or as matched."""
    clause_start = max([m.end() for m in _FLAG_CLAUSE_SEP.finditer(sentence[:match.start()])] + [0])
    scope = sentence[clause_start:match.end()]
    if value == 1.0:
        if _FLAG_NEG.search(scope):
            return 0.0
        if _FLAG_PARTIAL.search(scope) or _FLAG_REST_NOT.search(sentence[match.end():]):
            return 0.5 if has_partial else 0.0
    elif value == 0.0 and has_partial:
        # "…回收热量，其余废气未作利用": only the rest is unused, after something recovered
        last_start = max([m.end() for m in _FLAG_CLAUSE_SEP.finditer(sentence[:match.end() - 1])] + [0])
        if re.search(r"(?:其余|其他|其它|剩余|余下)", sentence[last_start:match.end()]) and \
                re.search(r"回收|利用|回用|用于", sentence[:last_start]):
            return 0.5
    return value


def _flag_mentions(sentence: str, idx: _Index, page: int, locator: str, source: str,
                   default_year: int | None = None) -> list[IndicatorMention]:
    out = []
    if not idx.flag_gate.may_match(sentence):
        return out
    for spec, partial, no, yes in idx.flags:
        value = None
        match = None
        for rxs, v in ((partial, 0.5), (no, 0.0), (yes, 1.0)):
            for rx in rxs:
                m = rx.search(sentence)
                if m:
                    value, match = v, m
                    break
            if match:
                break
        if match is None:
            continue
        if value == 1.0 and _NEGATION.search(sentence[max(0, match.start() - 6):match.start()]):
            value = 0.0
        value = _flag_scope(sentence, match, value, bool(partial))
        if re.search(r"应|须|要求", sentence[max(0, match.start() - 12):match.start()]) and value == 1.0 \
                and not re.search(r"符合|满足", sentence[max(0, match.start() - 12):match.start()]):
            continue
        if _FLAG_TARGET.search(sentence[:match.start()]):
            continue  # a plan ("计划申请ISO14001认证") says nothing about what is
        years = [y for y in _years_in(sentence) if len(y[2]) == 1 and y[1] <= match.end()]
        year = (years[-1][2][0] if years else default_year) if spec.dated else None
        out.append(IndicatorMention(key=spec.key, name=match.group(0), value=value, unit="flag", comparator="=",
                                    page=page, source=source, text=sentence.strip(), locator=locator, year=year))
    return out


# -- tables -----------------------------------------------------------------------------------

_CAPTION = re.compile(r"^\s*(?:续)?表\s*[\dA-Za-z一二三四五六七八九十][\d.\-－—–]*\s*\S{2,40}$")
_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年|年度)?")
_YEAR_ANY = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度)?")
_COL_TARGET = re.compile(r"目标|计划|预期|规划")
_COL_ACTUAL = re.compile(r"实际|现状|审核前|审核后|实施前|实施后|本企业|企业|结果|数值|数据|指标值|统计值|本轮")
_COL_SKIP = re.compile(r"标准|要求|限值|[一二三Ⅰ-Ⅲ]级|基准|先进|国内|国际|行业|评价|权重|分值|得分|备注|单位|序号|差距|"
                       r"对比|比较|变化|增减|同比|说明|依据|来源|方法|完成情况|是否")


_UNIT_IN_HEADER = re.compile(r"[（(]\s*(%|％|[^（()）]{1,14}/[^（()）]{1,8})\s*[)）]")


def _col_year(header: str) -> int | None:
    m = _YEAR_ANY.search(header)
    return int(m.group(1)) if m else None


_COL_DONE = re.compile(r"完成情况|是否")
_BASE_YEAR = re.compile(r"[（(]?\s*(?:审核)?基准(?:年|年度|期)\s*[)）]?")


def _col_role(header: str) -> str | None:
    """"actual", "target", or None (a column not to read: standards, units, notes)."""
    if _COL_TARGET.search(header) and not _COL_DONE.search(header):
        return "target"
    # "2022年（基准年）": the audit's base year is a year of actual values, not a 基准值 column
    if _col_year(header) is not None:
        header = _BASE_YEAR.sub("", header)
    if _COL_SKIP.search(header):
        return None
    if _col_year(header) is not None or _COL_ACTUAL.search(header):
        return "actual"
    return None


_UNIT_HEADER = re.compile(r"\s*(?:计量)?单位\s*")
_NUMBERING = re.compile(r"\s*[\d.]*\s*")
_DIGIT = re.compile(r"\d")
_DIGIT_OR_FRACTION = re.compile(r"\d|分之")


def _table_mentions(table: Table, idx: _Index, caption: str = "") -> list[IndicatorMention]:
    try:
        g = table.grid()
    except Exception:  # noqa: BLE001 - a malformed table gives no indicators, not a crash
        return []
    if not g or not g[0]:
        return []
    n_rows, n_cols = len(g), len(g[0])
    h = max(1, min(table.header_rows or 1, n_rows - 1)) if n_rows > 1 else 0
    h = _merged_header_rows(g, h, n_rows)
    out: list[IndicatorMention] = []
    page = table.page
    seen_cells: set[tuple[int, int]] = set()

    def col_header(c: int) -> str:
        parts = []
        for r in range(h):
            t = g[r][c].strip()
            if t and t not in parts:
                parts.append(t)
        return " ".join(parts)

    headers = [col_header(c) for c in range(n_cols)]
    unit_col = next((c for c, t in enumerate(headers) if _UNIT_HEADER.fullmatch(t)), None)
    value_cols = [c for c in range(1, n_cols) if c != unit_col and _col_role(headers[c]) is not None]
    # a year the caption gives the whole table ("表3-1 2023年计量器具配备情况"), for cells that have
    # none of their own, when no header names a year
    table_year = None
    if caption and not any(_col_year(t) for t in headers):
        cap_years = {y for _, _, ys in _years_in(caption) for y in ys}
        table_year = cap_years.pop() if len(cap_years) == 1 else None
    # transpose: years (or 审核前 / 目标 / 实际) down the first column, indicators across the header
    row_roles = _row_roles(g, h, n_rows)
    term_cols = {c: hits[0] for c in range(1, n_cols)
                 for hits in [[x for x in find_terms(headers[c], idx) if x.kind == "term"]] if len(hits) == 1}
    if row_roles and term_cols and not any(_col_year(headers[c]) for c in value_cols):
        for c, hit in term_cols.items():
            for r, (year, role) in row_roles.items():
                if year is None and role == "actual":
                    year = table_year
                out += _cell_mentions(table, g, r, c, hit, g[r][0].strip(), headers[c], year, role,
                                      idx, page, unit_text=_header_unit(headers[c]), header_text=headers[c])
                seen_cells.add((r, c))
    elif value_cols:
        first_value = min(value_cols)
        for r in range(h, n_rows):
            row = g[r]
            # the row header: the cells before the first value column, less numbering
            label_cols = [c for c in range(first_value) if c != unit_col and not _COL_SKIP.fullmatch(headers[c] or "-")
                          and not _NUMBERING.fullmatch(row[c])]
            label = " ".join(dict.fromkeys(row[c].strip() for c in label_cols if row[c].strip()))
            hits = [x for x in find_terms(label, idx) if x.kind == "term"]
            if len(hits) != 1 or _DIGIT.search(_strip_unit(label)):
                continue
            unit_text = _header_unit(label) or (row[unit_col].strip() if unit_col is not None else "")
            for c in value_cols:
                role = _col_role(headers[c])
                year = _col_year(headers[c])
                if year is None and role == "actual":
                    year = table_year
                out += _cell_mentions(table, g, r, c, hits[0], label, headers[c], year, role,
                                      idx, page, unit_text=unit_text)
                seen_cells.add((r, c))
    # the name split between the row and the column: row "能源计量器具", column "配备率(%)"; in
    # a table of metering instruments (its caption or header says 计量) row "水" × "配备率(%)"
    metering = "计量" in caption or any("计量" in t for t in headers)
    for c in range(1, n_cols):
        head = _strip_unit(headers[c]).strip()
        if c in value_cols or c == unit_col or not head or not head.endswith("率") or term_cols.get(c):
            continue
        for r in range(h, n_rows):
            label = g[r][0].strip()
            if not label or (r, c) in seen_cells or _DIGIT.search(label):
                continue
            hit = None
            for name in _split_names(_strip_unit(label).strip(), head, metering):
                hits = [x for x in find_terms(name, idx) if x.kind == "term"]
                if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(name):
                    hit = hits[0]
                    break
            if hit is None:
                continue
            hits = [hit]
            out += _cell_mentions(table, g, r, c, hits[0], label, headers[c], table_year, "actual", idx, page,
                                  unit_text=_header_unit(headers[c]))
            seen_cells.add((r, c))
    # cells holding a sentence with an indicator in it are read like text
    for cell in table.cells():
        if (cell.row, cell.col) in seen_cells or not cell.text:
            continue
        t = cell.text
        if len(t) < 6 or not _DIGIT_OR_FRACTION.search(t):
            continue
        loc = f"{table.locator}.r{cell.row + 1}.c{cell.col + 1}"
        header = headers[cell.col] if cell.col < len(headers) and cell.row >= h else ""
        if header and _COL_SKIP.search(header) and not _COL_TARGET.search(header):
            continue  # a standard's or a requirement's column
        year = _col_year(header) if header else None
        for a, b in split_sentences(t):
            sent = t[a:b]
            out += _sentence_mentions(sent, idx, page, loc, "table", default_year=year)
            out += _flag_mentions(sent, idx, page, loc, "table")
    return out


def _split_names(label: str, head: str, metering: bool) -> list[str]:
    """The names a row label and a column head may make together."""
    names = [label + head]
    if metering and "计量" not in label + head and head in ("配备率", "配置率", "率"):
        names += [label + "计量器具" + head, label + "计量" + head]
    return names


def _merged_header_rows(g, h: int, n_rows: int) -> int:
    """A two-row header whose first column is one merged cell ("指标" over both rows, "实际值"
    spanning 2021年/2022年/2023年 above them): the grid repeats the merged cell's text down its
    span, so the row below belongs to the header when it repeats the first cell and holds only
    years or labels, no values. Each column then reads both rows ("实际值 2022年")."""
    while 0 < h < n_rows - 1:
        row, above = g[h], g[h - 1]
        if not row[0].strip() or row[0].strip() != above[0].strip():
            break
        cells = [t.strip() for t in row[1:] if t.strip()]
        if not cells or any(re.search(r"\d", _YEAR_ANY.sub("", t)) for t in cells):
            break
        if not any(_col_year(t) for t in cells) and not any(_col_role(t) for t in cells):
            break
        h += 1
    return h


def _row_roles(g, h: int, n_rows: int) -> dict[int, tuple[int | None, str]]:
    """(year, role) of each body row when the first column holds years or 审核前 / 目标 / 实际
    (a table on its side); empty when any row's first cell is something else."""
    out: dict[int, tuple[int | None, str]] = {}
    for r in range(h, n_rows):
        label = g[r][0].strip()
        if not label:
            continue
        if len(label) > 16:
            return {}
        role = _col_role(label)
        if role is None:
            if _COL_SKIP.search(label):
                continue  # a standard's or a note's row: not read
            return {}
        out[r] = (_col_year(label), role)
    return out


def _strip_unit(label: str) -> str:
    return _UNIT_IN_HEADER.sub("", label)


def _header_unit(label: str) -> str:
    m = _UNIT_IN_HEADER.search(label)
    return m.group(1) if m else ""


def _cell_mentions(table: Table, g, r: int, c: int, hit: _Hit, row_text: str, col_text: str,
                   year: int | None, role: str, idx: _Index, page: int, unit_text: str = "",
                   header_text: str = "") -> list[IndicatorMention]:
    cell = g[r][c].strip()
    if not cell or len(cell) > 40:
        return []
    unit_text = (unit_text or _header_unit(col_text)).replace(" ", "")
    out = []
    for key in hit.keys:
        spec = idx.specs[key]
        if spec.kind == "quantity":
            pv = parse_value(cell, "quantity")
            if pv is not None:
                unit = canonical_unit(pv.unit)
            else:
                pv = parse_value(cell, "any")
                if pv is None or pv.unit or pv.comparator == "range" or not QUANTITY_UNIT.fullmatch(unit_text):
                    continue
                unit = canonical_unit(unit_text)
        else:
            if unit_text and unit_text not in ("%", "％"):
                continue
            pv = parse_value(cell, "rate")
            if pv is None:
                continue
            unit = spec.unit
        role_, comparator = _role_comparator(role, pv.comparator, spec.kind)
        out.append(IndicatorMention(key=key, name=hit.text, value=_clean(pv.value), unit=unit,
                                    comparator=comparator, page=page, source="table",
                                    text=f"{row_text} / {col_text}: {cell}",
                                    locator=f"{table.locator}.r{r + 1}.c{c + 1}", year=year,
                                    low=pv.low, high=pv.high, role=role_))
    return out


# -- the document -----------------------------------------------------------------------------

def extract_indicators(doc: Document, specs: list[IndicatorSpec]) -> list[IndicatorMention]:
    """Every indicator mention in the document, in reading order."""
    if not specs:
        return []
    idx = _index(specs)
    out: list[IndicatorMention] = []
    totals: dict[str, int] = {}
    caption = ""   # the paragraph just before a table, when it is the table's title
    for block in doc.blocks:
        try:
            if isinstance(block, Table):
                out += _table_mentions(block, idx, caption)
                caption = ""
                continue
            caption = block.text if isinstance(block, Paragraph) and _CAPTION.match(block.text or "") else ""
            if not isinstance(block, Paragraph) or not block.text:
                continue
            text = block.text
            found: list[IndicatorMention] = []
            para_year = None     # a topic year ("2023年，…") the paragraph set
            last_year = None     # the last year the sentence just before named
            list_year = None     # "审核目标：2023年…；…；…": the year heading a list
            list_target = False  # and whether that heading names targets
            for a, b in split_sentences(text):
                s = text[a:b]
                years = _years_in(s)
                any_years = _speaks_of_years(s)
                # a sentence with no year of its own speaks of the year the paragraph set
                default = None if any_years else para_year
                if default is None and not any_years and _REFERS_TO_YEAR.search(s):
                    default = last_year
                if default is None and list_year and not any_years and not years:
                    default = list_year
                here = _sentence_mentions(s, idx, block.page, block.locator, "text", default_year=default,
                                          list_target=list_target, years=years)
                here += _count_rates(s, idx, block.page, block.locator, "text", default, here)
                found += here
                found += _flag_mentions(s, idx, block.page, block.locator, "text", default_year=default)
                para_year = _stated_year(s, para_year)
                ends_part = text[b:b + 1] in ("；", ";")
                if ends_part and para_year is None and not any_years:
                    # "2023年产生灰渣…，综合利用…；危险废物…": a year opening an account of several
                    # clauses dates the parts after it; one inside a single statement
                    # ("2023年固废综合利用率为98.6%；…") stays with that statement
                    m_lead = _LEAD_YEAR.match(s)
                    para_year = int(m_lead.group(1)) if m_lead and _CLAUSE_COMMA.search(s) else None
                elif not ends_part:
                    para_year = None  # a year leading one sentence does not date the next
                # only the sentence right before lends its year to "全年", "年末" …; two back is
                # too far to know
                last_year = _last_year(years)
                if ends_part:   # a list item ends with "；"
                    m_list = _LIST_YEAR.match(s) or _LIST_YEAR_IN_LABEL.match(s)
                    list_year = int(m_list.group(1)) if m_list else list_year
                    list_target = _list_is_target(s) or list_target
                else:
                    list_year, list_target = None, False
            found += _derived(text, idx, block.page, block.locator, totals, found)
            out += found
        except Exception:  # noqa: BLE001 - one odd block must not cost the whole report
            continue
    return out


# -- conflicts --------------------------------------------------------------------------------

def _interval(m: IndicatorMention) -> tuple[float, float, bool, bool]:
    """The values a mention allows: (low, high, low_open, high_open)."""
    v = m.value
    inf = float("inf")
    if m.comparator == "range" and m.low is not None and m.high is not None:
        return m.low, m.high, False, False
    if m.comparator == ">=":
        return v, inf, False, False
    if m.comparator == ">":
        return v, inf, True, False
    if m.comparator == "<=":
        return -inf, v, False, False
    if m.comparator == "<":
        return -inf, v, False, True
    if m.comparator == "~":
        # "约95%" allows what rounds to 95 at the precision written, and a little more
        tol = max(0.5 * 10 ** -_decimals_of(v), 0.01 * abs(v) if abs(v) >= 1 else 0.005)
        return v - tol, v + tol, False, False
    return v, v, False, False


def _decimals_of(v: float) -> int:
    s = repr(float(v))
    if "e" in s:
        return 6
    frac = s.split(".")[1].rstrip("0")
    return len(frac)


def _intervals_meet(one: tuple[float, float, bool, bool], other: tuple[float, float, bool, bool]) -> bool:
    """Can one value lie in both intervals (see _interval)?"""
    lo1, hi1, lo1o, hi1o = one
    lo2, hi2, lo2o, hi2o = other
    eps = 1e-9
    lo, lo_open = (lo1, lo1o) if lo1 > lo2 else (lo2, lo2o) if lo2 > lo1 else (lo1, lo1o or lo2o)
    hi, hi_open = (hi1, hi1o) if hi1 < hi2 else (hi2, hi2o) if hi2 < hi1 else (hi1, hi1o or hi2o)
    if lo < hi - eps:
        return True
    if abs(lo - hi) <= eps:
        return not (lo_open or hi_open)
    return False


def find_conflicts(mentions: list[IndicatorMention]) -> list[Conflict]:
    """Same key and year, role "actual", values that cannot both be true."""
    groups: dict[tuple[str, int | None], list[IndicatorMention]] = {}
    for m in mentions:
        if m.role != "actual":
            continue
        groups.setdefault((m.key, m.year), []).append(m)
    out = []
    for (key, year), ms in groups.items():
        spans = [_interval(m) for m in ms]
        clash = any(not _intervals_meet(spans[i], spans[j]) for i in range(len(ms)) for j in range(i + 1, len(ms)))
        if not clash:
            continue
        values = list(dict.fromkeys(m.value for m in ms))
        pages = list(dict.fromkeys(m.page for m in ms))
        out.append(Conflict(key=key, year=year, values=values, pages=pages, mentions=ms))
    return out
