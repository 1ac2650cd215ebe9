"""Shared helpers for matching Chinese titles: normalisation, jieba tokens, similarity.

A jieba tokenizer of this module's own is loaded lazily, once per process (its dictionary
one first character at a time: jieba_dict), with the domain terms added so that 清洁生产,
厂容厂貌 or 回用率 stay one token. jieba's log messages are kept quiet; nothing here ever
writes to stdout.
"""
from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from ingest.normalize import close_cjk_gaps, normalize_text

# Terms jieba would otherwise split; specs add their own aliases and keywords on top.
DOMAIN_TERMS = (
    "清洁生产", "厂容厂貌", "回用率", "计量率", "利用率", "达标率", "认知率", "实施率",
    "绩效评价", "预审核", "预评估", "筹划与组织", "持续清洁生产", "方案实施", "能效",
    "热效率", "跑冒滴漏", "绿化率", "文明生产", "无低费", "中高费", "审核小组", "领导小组",
    "清洁生产审核", "清洁生产水平", "管理现状", "组织机构", "机构设置", "管理制度", "宣传培训",
    "原辅材料", "能源替代", "提标改造", "资金投入", "经济效益", "环境效益", "存在问题",
    "结论及建议", "主要污染物", "污染物", "能量转换", "计量器具", "物料平衡", "水平衡",
    "产排污", "产污", "排污", "指标体系", "技术经济指标", "先进指标", "简况", "概况",
)

# Words that carry no information about which section a title names.
STOPWORDS = frozenset({
    "的", "和", "及", "与", "等", "或", "对", "在", "中", "了", "以及", "并", "其", "之", "为",
    "情况", "企业", "公司", "本公司", "我公司", "有关", "相关", "方面", "工作", "主要", "进行",
    # verbs that open many titles ("建立和完善…", "开展…") and say nothing of the topic
    "建立", "完善", "健全", "开展", "加强", "如",
})

_lock = threading.Lock()
_jieba = None
_added: set[str] = set()


def _tokenizer():
    # A tokenizer of our own, not jieba's global one: the title words added here
    # (管理现状, 主要污染物 …) must not change how the indicator extractor segments text,
    # nor its terms ours.
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                from .jieba_dict import prepared_tokenizer
                from .nlp import import_jieba

                jieba = import_jieba()
                jieba.setLogLevel(logging.WARNING)
                # its dictionary loads by first character, as titles need it (a cold start
                # would otherwise spend half a second loading all of it)
                tk = prepared_tokenizer(jieba)
                for term in DOMAIN_TERMS:
                    tk.add_word(term, freq=200000)
                    _added.add(term)
                _jieba = tk
    return _jieba


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba terms from the rubric data (aliases, keywords); cheap when repeated."""
    jb = _tokenizer()
    for term in terms:
        term = compact(term)
        if 2 <= len(term) <= 8 and term not in _added:
            with _lock:
                jb.add_word(term, freq=200000)
                _added.add(term)
            # earlier tokenisations may have split the new term: both caches must forget
            # them, or a title's words would depend on which documents came before it
            _tokens.cache_clear()
            word_bounds.cache_clear()


_PUNCT = re.compile(r"[\s、，,。．.；;：:！!？?（）()\[\]【】《》<>“”‘’\"'·•…\-—_/|]+")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")


def compact(text: str) -> str:
    """Normalised text without spaces or punctuation: for equality and substring tests."""
    return _PUNCT.sub("", close_cjk_gaps(normalize_text(text)))


def strip_parens(text: str) -> str:
    """Drop parenthetical remarks: "机构设置（机构、职能等）" -> "机构设置"."""
    stripped = _PARENS.sub("", text)
    return stripped if compact(stripped) else text


def tokens(text: str) -> list[str]:
    """Content tokens of a title: jieba words minus stopwords and punctuation."""
    return list(_tokens(compact(text)))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    out = []
    for tok in _tokenizer().lcut(text):
        tok = tok.strip()
        if tok and tok not in STOPWORDS and not tok.isdigit():
            out.append(tok)
    return tuple(out)


class TokenWeights:
    """Inverse document frequency over a set of names, so 清洁生产 (in many titles) counts little."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        df: dict[str, int] = {}
        n = 0
        for group in groups:
            n += 1
            seen: set[str] = set()
            for name in group:
                seen.update(tokens(name))
            for tok in seen:
                df[tok] = df.get(tok, 0) + 1
        self.df = df
        self.n = max(n, 1)

    def __call__(self, tok: str) -> float:
        d = self.df.get(tok, 0)
        if d <= 1:
            return 1.0
        return 1.0 / (1.0 + math.log(d))


def token_similarity(a: list[str], b: list[str], weight=lambda t: 1.0) -> float:
    """Weighted Dice overlap; a token that contains (or is contained in) one on the other
    side earns partial credit, so 能效 meets 能效分析 half way."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    common = sa & sb

    def credit(src: set[str], other: set[str]) -> float:
        total = sum(weight(t) for t in common)
        for t in src - common:
            if len(t) >= 2 and any(len(u) >= 2 and (t in u or u in t) for u in other):
                total += 0.6 * weight(t)
        return total

    wa = sum(weight(t) for t in sa)
    wb = sum(weight(t) for t in sb)
    if wa + wb == 0:
        return 0.0
    return (credit(sa, sb) + credit(sb, sa)) / (wa + wb)


class Prepared:
    """A title normalised once: its compact form and its content tokens."""

    __slots__ = ("text", "compact", "tokens", "chars", "_bounds", "_touches", "_weights",
                 "token_set")

    def __init__(self, text: str) -> None:
        self.text = text
        self.compact = compact(text)
        self.tokens = frozenset(_tokens(self.compact))    # tokens(text), compacted once
        # set(self.tokens), made once: the same set (and iteration order) on every call
        self.token_set = set(self.tokens)
        self.chars = frozenset(self.compact)
        self._bounds = None
        self._touches: dict[str, bool] = {}
        self._weights: dict[object, float] = {}

    def touches(self, tok: str) -> bool:
        """Does a token of this title contain `tok` or lie inside it (token_similarity's
        partial credit)? Remembered per token: the matcher asks it for every name."""
        hit = self._touches.get(tok)
        if hit is None:
            hit = self._touches[tok] = any(len(u) >= 2 and (tok in u or u in tok) for u in self.tokens)
        return hit

    def total_weight(self, tokens_as_set: set[str], weight) -> float:
        w = self._weights.get(weight)
        if w is None:
            w = self._weights[weight] = sum(weight(t) for t in tokens_as_set)
        return w

    @property
    def bounds(self) -> frozenset[int]:
        """Where words start and end in the compact text (jieba, domain terms whole)."""
        if self._bounds is None:
            self._bounds = word_bounds(self.compact)
        return self._bounds


@lru_cache(maxsize=16384)
def word_bounds(text: str) -> frozenset[int]:
    out, pos = {0}, 0
    for tok in _tokenizer().lcut(text):
        pos += len(tok)
        out.add(pos)
    return frozenset(out)


def contains_as_words(name: str, title: str, bounds: frozenset[int] | None = None) -> bool:
    """The name ends where a word of the title ends: "清洁生产管理" is in "清洁生产管理现状"
    (管理 / 现状) but not in "清洁生产管理制度与长效机制", whose word is 管理制度. Only the end
    counts: a Chinese compound names its head last, so a word before the name only narrows
    it ("持续清洁生产计划" is still a 计划), while a word running on past it names something else."""
    b = bounds if bounds is not None else word_bounds(title)
    start = title.find(name)
    while start >= 0:
        if start + len(name) in b:
            return True
        start = title.find(name, start + 1)
    return False


def prepared_similarity(name: Prepared, title: Prepared, weight=lambda t: 1.0) -> float:
    """title_similarity on prepared titles (the matcher compares every heading with
    every name, so the normalisation is done once per string)."""
    n, t = name.compact, title.compact
    if not n or not t:
        return 0.0
    if n == t:
        return 1.0
    if len(n) <= 2 or not (name.chars & title.chars):
        return 0.0  # a two-character name (审核, 结论) names only a heading equal to it
    best = 0.0
    if len(n) >= 3 and n in t and contains_as_words(n, t, title.bounds):
        best = 0.7 + 0.3 * len(n) / len(t)
    return max(best, _prepared_token_similarity(name, title, weight))


def _prepared_token_similarity(a: Prepared, b: Prepared, weight) -> float:
    """token_similarity(a.tokens, b.tokens, weight), step for step (the same sums in the same
    order, so the same floats), with the partial-credit test and the totals remembered."""
    if not a.tokens or not b.tokens:
        return 0.0
    sa, sb = a.token_set, b.token_set
    common = sa & sb
    shared = sum(weight(t) for t in common)     # the first sum of each credit, computed once

    def credit(src: set[str], other: Prepared) -> float:
        total = shared
        for t in src - common:
            if len(t) >= 2 and other.touches(t):
                total += 0.6 * weight(t)
        return total

    wa = a.total_weight(sa, weight)
    wb = b.total_weight(sb, weight)
    if wa + wb == 0:
        return 0.0
    return (credit(sa, b) + credit(sb, a)) / (wa + wb)


def title_similarity(name: str, title: str, weight=lambda t: 1.0) -> float:
    """How well a heading title names a required section (0..1).

    Equal after normalisation: 1. The section's name inside the heading
    ("经济效益和环境效益" names 经济效益): 0.7–1, by how much of the heading it is; a
    two-character name (审核, 结论) only when equal, it hides inside too many titles.
    Otherwise the weighted token overlap.
    """
    n, t = compact(name), compact(title)
    if not n or not t:
        return 0.0
    if n == t:
        return 1.0
    if len(n) <= 2:
        return 0.0
    best = 0.0
    if len(n) >= 3 and n in t:
        best = 0.7 + 0.3 * len(n) / len(t)
    return max(best, token_similarity(tokens(name), tokens(title), weight))


class SubstringScanner:
    """Which of many strings a text contains, in one regular-expression pass.

    A lookahead alternation (longest first) reports at each position the longest string that
    starts there; a shorter one starting at the same place is inside that one, so every string
    contained in a reported one is present too. Gives exactly the strings `s in text` finds,
    without testing them one by one. The alternation is tried only where a character that
    starts one of the strings stands (one character-class test instead of every branch).
    """

    def __init__(self, parts: Iterable[str]) -> None:
        distinct = sorted(set(parts), key=lambda p: (-len(p), p))
        self.rx = None
        if distinct:
            alternation = "|".join(re.escape(p) for p in distinct)
            starts = "" if "" in distinct else \
                "(?=[" + "".join(sorted({re.escape(p[0]) for p in distinct})) + "])"
            self.rx = re.compile(f"{starts}(?=({alternation}))")
        self.parts = frozenset(distinct)
        self._inside: dict[str, frozenset[str]] = {}

    def parts_in(self, text: str) -> frozenset[str]:
        if self.rx is None:
            return frozenset()
        hits = set(self.rx.findall(text))
        if not hits:
            return frozenset()
        return frozenset().union(*(self.inside(h) for h in hits))

    def inside(self, part: str) -> frozenset[str]:
        """The strings inside `part` (itself too), worked out for the parts a text holds."""
        found = self._inside.get(part)
        if found is None:
            n = len(part)
            pieces = {part[i:j] for i in range(n) for j in range(i + 1, n + 1)}
            pieces.add("")
            found = self._inside[part] = frozenset(pieces & self.parts)
        return found


_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping the ending mark."""
    parts = [s.strip() for piece in text.split("\n") for s in _SENTENCE_END.split(piece)]
    return [s for s in parts if s]
