"""Match a report's headings against a required outline (附件1 work summary, 附件2 audit report).

Each required section gets one status:
- `heading`: a heading names it (same title after normalisation, an alias, or enough
  shared words), wherever it stands in the report's own outline;
- `body`: no heading, but the text clearly holds its content: keywords in one sentence
  (two, or one specific one, more where passing mentions are likely), or a chapter of
  the national seven-stage structure that holds it (预审核 holds 目前清洁生产水平), or,
  for a parent, children that are there; with that sentence and its page as evidence;
- `missing`: neither.

The outline itself (ids, titles, aliases, keywords, the seven-stage mapping) is data in
the rubric; this module gets it as `OutlineTemplate` specs and never imports rubric.
Missing is the costly mistake (a reviewer trusts it), so the matcher is generous with
wording; but a passing mention in another chapter ("建议加强全员培训") is not a section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Document, Paragraph, Table

from .facts import Heading, OutlineResult, SectionMatch, TocEntry
from .headings import TocScan, find_headings, scan_toc, split_numbering
from .text_match import (Prepared, SubstringScanner, TokenWeights, add_terms, compact,
                         prepared_similarity, sentences, strip_parens)


@dataclass
class SectionSpec:
    id: str
    title: str
    aliases: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    parent: str | None = None
    # Keywords specific enough that one of them in a sentence shows the content.
    strong_keywords: list[str] = field(default_factory=list)
    # Chapter titles of the national seven-stage structure (筹划与组织, 预审核, 方案实施 …)
    # whose chapter holds this section's content: evidence found there counts in full,
    # and a section without keywords is `body` when such a chapter has text.
    stage_aliases: list[str] = field(default_factory=list)


@dataclass
class OutlineTemplate:
    name: str                 # "audit_report" | "work_summary"
    label_zh: str             # "清洁生产审核报告"
    sections: list[SectionSpec]
    title_markers: list[str] = field(default_factory=list)  # cover words: "清洁生产审核报告"


HEADING_MIN = 0.6            # a heading names a section from this similarity up
HEADING_MIN_IN_PARENT = 0.5  # a little less when it sits under the parent's heading
STRONG = 0.8                 # a good match: preferred, and may be promoted to a larger heading
BODY_HITS = 2                # keyword weight a sentence needs where the section may stand
SIBLING_HITS = 3             # ... in a sibling section's text
ELSEWHERE_HITS = 4           # ... in another chapter, and never in a suggestion or plan
EVIDENCE_CHARS = 200

# A plan or a recommendation mentions a topic without reporting on it.
_SUGGESTION = re.compile(r"建议|计划|拟|下一步|进一步|加强|争取|力争|应当|需要")

# Name kinds: the required title wins over an alias when both match perfectly.
_TITLE, _ALIAS = 1.0, 0.98


class _Matcher:
    """Scores every heading title against every section name.

    A score is only ever compared with HEADING_MIN_IN_PARENT, HEADING_MIN or STRONG, so one
    below the lowest of them (_RELEVANT) is as good as none: the matcher keeps only the
    sections a title scores at least that for. To find them without comparing the title with
    every name, it first works out the token similarity of every name at once from indices
    of the names' tokens (the terms prepared_similarity sums, summed in another order, so
    equal up to rounding); only a name whose estimate reaches _RELEVANT, that equals the
    title or that stands inside it is compared for real, with prepared_similarity.
    """

    def __init__(self, template: OutlineTemplate) -> None:
        self.template = template
        self.by_id = {s.id: s for s in template.sections}
        # Keywords become jieba words so 回用率 stays whole; aliases do not: a
        # multi-word alias as one token would hide the words it shares with a heading.
        add_terms(w for s in template.sections for w in (*s.keywords, *s.strong_keywords)
                  if len(compact(w)) <= 4)
        weights = TokenWeights([s.title, strip_parens(s.title), *s.aliases]
                               for s in template.sections)
        cache: dict[str, float] = {}

        def weight(tok: str) -> float:
            w = cache.get(tok)
            if w is None:
                w = cache[tok] = weights(tok)
            return w

        self.weight = weight
        self.names = {s.id: self._names(s) for s in template.sections}
        self.stage_names = {s.id: [compact(a) for a in s.stage_aliases if compact(a)]
                            for s in template.sections}
        self._index_names()

    @staticmethod
    def _names(s: SectionSpec) -> list[tuple[Prepared, float]]:
        out, seen = [], set()
        for names, worth in (([s.title, strip_parens(s.title)], _TITLE), (s.aliases, _ALIAS)):
            for name in names:
                p = Prepared(name)
                if p.compact and p.compact not in seen:
                    seen.add(p.compact)
                    out.append((p, worth))
        return out

    def _index_names(self) -> None:
        # Every name of every section, numbered in the order the sections and their names
        # are compared, so that sorting the numbers restores that order.
        self._entries: list[tuple[int, Prepared, float]] = [
            (si, name, worth) for si, s in enumerate(self.template.sections)
            for name, worth in self.names[s.id]]
        self._with_token: dict[str, list[int]] = {}
        self._by_compact: dict[str, list[int]] = {}
        self._name_weight: list[float] = []
        for e, (_si, name, _worth) in enumerate(self._entries):
            for tok in name.token_set:
                self._with_token.setdefault(tok, []).append(e)
            self._by_compact.setdefault(name.compact, []).append(e)
            self._name_weight.append(name.total_weight(name.token_set, self.weight))
        # Containment counts for names of three characters or more (prepared_similarity).
        self._inside = SubstringScanner(c for c in self._by_compact if len(c) >= 3)
        # Every piece (two characters or more) of a name token: which tokens hold it.
        self._holding: dict[str, set[str]] = {}
        for tok in self._with_token:
            if len(tok) >= 2:
                for piece in _pieces(tok):
                    self._holding.setdefault(piece, set()).add(tok)
        # A name token's weight, counted in full (a token the title has too) or in part.
        self._token_weight = {tok: (self.weight(tok), 0.6 * self.weight(tok))
                              for tok in self._with_token}
        self._related: dict[str, tuple[frozenset[str], list[tuple[int, float]]]] = {}

    def related(self, tok: str) -> tuple[frozenset[str], list[tuple[int, float]]]:
        """For a title token: the name tokens it meets (itself, or one inside the other, both
        of two characters or more: _prepared_token_similarity's partial credit), and for
        each name that has one, what the title token earns on the title's side: its whole
        weight when the name has the token too, else 0.6 of it."""
        found = self._related.get(tok)
        if found is None:
            toks = set()
            if tok in self._with_token:
                toks.add(tok)
            if len(tok) >= 2:
                toks.update(p for p in _pieces(tok) if p in self._with_token)  # inside tok
                toks.update(self._holding.get(tok, ()))                         # holding tok
            share: dict[int, float] = {}
            for t in toks:
                for e in self._with_token[t]:
                    if share.get(e) != 1.0:
                        share[e] = 1.0 if t == tok else 0.6
            w = self.weight(tok)
            found = self._related[tok] = (frozenset(toks), [(e, f * w) for e, f in share.items()])
        return found

    def estimates(self, title: Prepared) -> dict[int, float]:
        """The token similarity of every name that shares or meets a token of the title
        (the others have 0), summed title token by title token."""
        sb = title.token_set
        if not sb:
            return {}
        met: set[str] = set()
        sums: dict[int, float] = {}
        get = sums.get
        for u in sb:
            toks, earned = self.related(u)
            met |= toks
            for e, w in earned:
                sums[e] = get(e, 0.0) + w
        token_weight, with_token = self._token_weight, self._with_token
        for t in met:                   # the names' side
            w = token_weight[t][0 if t in sb else 1]
            for e in with_token[t]:
                sums[e] += w
        wb = title.total_weight(sb, self.weight)
        names = self._name_weight
        return {e: total / (names[e] + wb) for e, total in sums.items()}

    def worth_comparing(self, title: Prepared) -> dict[int, float]:
        """The names that may score _RELEVANT or more against the title (equal to it, inside
        it, or with an estimated token similarity that reaches it), each with a bound its
        prepared_similarity cannot exceed."""
        found = {e: est + _ROUNDING for e, est in self.estimates(title).items()
                 if est >= _RELEVANT - _ROUNDING}
        t = title.compact
        for c in self._inside.parts_in(t):
            inside = 0.7 + 0.3 * len(c) / len(t)      # prepared_similarity's, to the bit
            for e in self._by_compact[c]:
                found[e] = max(found.get(e, 0.0), inside)
        for e in self._by_compact.get(t, ()):
            found[e] = 1.0
        return found

    def scores(self, titles: list[Prepared]) -> list[tuple[int, _Sim]]:
        """(section index, best match) for every section the title (and its form without
        parentheses, titles[1]) names with a score of _RELEVANT or more."""
        wanted = [self.worth_comparing(t) for t in titles]
        by_section: dict[int, list[int]] = {}
        for e in sorted(set().union(*wanted)):
            by_section.setdefault(self._entries[e][0], []).append(e)
        out = []
        for si, entries in by_section.items():
            best = self.best(entries, titles, wanted)
            if best.score >= _RELEVANT:
                out.append((si, best))
        return out

    def best(self, entries: list[int], titles: list[Prepared],
             wanted: list[dict[int, float]]) -> _Sim:
        """The first best score over the names and titles, compared in order. A pair whose
        bound says it cannot reach _RELEVANT, nor beat the best so far, is not compared."""
        best = _Sim(0.0, None)
        for e in entries:
            _si, name, worth = self._entries[e]
            for t, want in zip(titles, wanted):
                bound = want.get(e)
                if bound is None or bound * worth < _RELEVANT or bound * worth <= best.score:
                    continue      # changes nothing
                sim = prepared_similarity(name, t, self.weight) * worth
                if sim > best.score:
                    n, c = name.compact, t.compact
                    span = None
                    if n == c:
                        span = (0, len(c))
                    elif len(n) >= 3 and n in c and t is titles[0]:
                        start = c.index(n)
                        span = (start, start + len(n))
                    best = _Sim(sim, span)
        return best

    def is_stage_chapter(self, s: SectionSpec, h: Heading) -> bool:
        t = compact(h.title)
        return any(t == n or (len(n) >= 3 and n in t) for n in self.stage_names[s.id])


def _pieces(tok: str):
    """Every substring of two characters or more."""
    n = len(tok)
    return (tok[i:j] for i in range(n - 1) for j in range(i + 2, n + 1))


@dataclass
class _Sim:
    """How well a heading names a section, and where the name stands inside the heading
    (None when only words are shared)."""

    score: float
    span: tuple[int, int] | None


# Every use of a score compares it with one of these thresholds.
_RELEVANT = min(HEADING_MIN, HEADING_MIN_IN_PARENT, STRONG)
# Far above the difference rounding makes between two orders of summing a title's terms.
_ROUNDING = 1e-9
_NO_MATCH = _Sim(0.0, None)


class _Scores(dict):
    """(section id, heading index) -> _Sim; a pair not stored scores below _RELEVANT."""

    def __missing__(self, key):
        return _NO_MATCH


_CONJ = re.compile(r"与|和|及|以及|暨")


def _names_a_conjunct(span: tuple[int, int] | None, title: str) -> bool:
    """The name is one whole member of a coordinated heading: "长效机制" in
    "清洁生产管理制度与长效机制" names that part as fully as a heading of its own would."""
    if span is None or not title:
        return False
    cuts = [0] + [x for m in _CONJ.finditer(title) for x in (m.start(), m.end())] + [len(title)]
    parts = list(zip(cuts[::2], cuts[1::2]))
    return len(parts) > 1 and span in parts


def _may_share(new: _Pair, owners: list[_Pair], by_id: dict[str, SectionSpec], title: str = "") -> bool:
    """A claimed heading may cover one more section only when it names it outright (the
    section's name stands in the heading, a good match) and, for two sections of one
    chapter, names each apart: "经济效益和环境效益" covers 经济效益 and 环境效益. Sections of
    different chapters may share a heading that names both, as a seven-stage report's
    "建立和完善清洁生产管理制度" does for 管理制度 and 建立和完善机制、制度与规程."""
    a = new.sim
    if a.span is None or (a.score < STRONG and not _names_a_conjunct(a.span, title)):
        return False
    for o in owners:
        b = o.sim
        if b.span is None:
            return False
        siblings = by_id[new.section.id].parent == by_id[o.section.id].parent
        if siblings and not (a.span[1] <= b.span[0] or b.span[1] <= a.span[0]):
            return False
    return True


@dataclass
class _Pair:
    sim: _Sim
    section: SectionSpec
    h_index: int


def _promote(p: _Pair, sim, headings: list[Heading], claimed) -> int:
    """The heading a section should point at: when the best match is a sub-item
    ("1.生产工艺") under a free heading that names the section well, or fairly when
    several of its sub-items do ("(一)生产工艺、装备及计量管理" over 生产工艺 and
    主要生产设备), the section is the larger heading."""
    k = p.h_index
    level = headings[k].level
    for j in range(k - 1, -1, -1):
        h = headings[j]
        if h.level >= level:
            continue
        level = h.level
        if j in claimed:
            break  # a heading above that is another section's: the sub-item stays
        score = sim[(p.section.id, j)].score
        if score >= STRONG or (score >= HEADING_MIN and _children_matching(
                p.section.id, j, headings, sim) >= 2):
            k = j
        if level <= 1:
            break
    return k


def _children_matching(sid: str, j: int, headings: list[Heading], sim) -> int:
    """How many headings directly under heading j also name section sid: 生产工艺,
    主要生产设备 and 计量器具配备 under one heading make that heading 3.1."""
    n, child_level = 0, None
    for i in range(j + 1, len(headings)):
        if headings[i].level <= headings[j].level:
            break
        if child_level is None:
            child_level = headings[i].level
        if headings[i].level == child_level and sim[(sid, i)].score >= STRONG:
            n += 1
    return n


def _spans(headings: list[Heading]) -> list[tuple[int, int]]:
    """For each heading, the range of heading indices below it (its subtree): up to the
    next heading at its level or above."""
    n = len(headings)
    out: list[tuple[int, int]] = [(i + 1, n) for i in range(n)]
    open_: list[int] = []      # headings whose subtree is still open, levels rising
    for i, h in enumerate(headings):
        while open_ and headings[open_[-1]].level >= h.level:
            j = open_.pop()
            out[j] = (j + 1, i)
        open_.append(i)
    return out


def _chains(headings: list[Heading]) -> list[list[int]]:
    """For each heading, itself and the headings above it, innermost first."""
    out: list[list[int]] = []
    path: list[int] = []
    for k, h in enumerate(headings):
        while path and headings[path[-1]].level >= h.level:
            path.pop()
        path.append(k)
        out.append(list(reversed(path)))
    return out


def match_outline(doc: Document, template: OutlineTemplate,
                  headings: list[Heading] | None = None, toc: TocScan | None = None) -> OutlineResult:
    """Give every section of `template` a status, with the heading or sentence that shows it.
    `headings` and `toc` (scan_toc's result), when the caller has them, save finding them again."""
    if toc is None:
        toc = scan_toc(doc)
    if headings is None:
        headings = find_headings(doc, toc)
    toc_entries, toc_blocks = toc
    m = _Matcher(template)
    sections = template.sections

    sim = _Scores()
    # A long report repeats heading titles (each chapter's 一、概述 …): the scores depend on
    # the title alone, so they are worked out once per distinct title (fresh _Sim objects
    # for every heading all the same).
    by_title: dict[str, list[tuple[int, _Sim]]] = {}
    for k, h in enumerate(headings):
        row = by_title.get(h.title)
        if row is None:
            titles = [Prepared(h.title)]
            if strip_parens(h.title) != h.title:
                titles.append(Prepared(strip_parens(h.title)))
            row = by_title[h.title] = m.scores(titles)
        for si, found in row:
            sim[(sections[si].id, k)] = _Sim(found.score, found.span)
    assigned = _assign_headings(m, headings, sim)
    matches: dict[str, SectionMatch] = {}
    for s in sections:
        k = assigned.get(s.id)
        if k is not None:
            h = headings[k]
            matches[s.id] = SectionMatch(id=s.id, title=s.title, status="heading",
                                         heading=h.text, page=h.page, locator=h.locator,
                                         score=round(min(sim[(s.id, k)].score, 1.0), 3))

    # Body evidence for the rest (the sentences are split only when some section needs them).
    rest = [s for s in sections if s.id not in matches]
    if rest:
        heading_blocks = {h.block_index for h in headings}
        units = _Units(doc, heading_blocks | toc_blocks, sections)
        ctx = _Context(m, headings, assigned, len(doc.blocks))
    for s in rest:
        found = _body_evidence(s, units, ctx)
        if found is None and not (s.keywords or s.strong_keywords):
            found = _stage_evidence(s, units, ctx)
        if found:
            unit, text, score = found
            matches[s.id] = SectionMatch(id=s.id, title=s.title, status="body",
                                         page=unit[1], locator=unit[2], evidence=text,
                                         score=round(score, 3))

    # A parent with no heading of its own whose children are there is at least body.
    for s in reversed(sections):
        if s.id in matches:
            continue
        n_kids = sum(1 for c in sections if c.parent == s.id)
        kids = [matches[c.id] for c in sections if c.parent == s.id and c.id in matches]
        # one child found only in passing does not make a chapter
        if kids and (any(k.status == "heading" for k in kids) or 2 * len(kids) >= n_kids):
            first = min(kids, key=lambda c: (c.page or 0, c.locator or ""))
            matches[s.id] = SectionMatch(
                id=s.id, title=s.title, status="body", page=first.page, locator=first.locator,
                evidence=first.heading or first.evidence, score=round(len(kids) / n_kids, 3))

    out = [matches.get(s.id) or SectionMatch(id=s.id, title=s.title, status="missing")
           for s in sections]
    warnings = _toc_warnings(toc_entries, headings, doc, toc_blocks)
    return OutlineResult(template=template.name, sections=out, headings=headings,
                         toc=list(toc_entries), warnings=warnings)


def _assign_headings(m: _Matcher, headings: list[Heading], sim) -> dict[str, int]:
    """One assignment of headings to sections, parents first, best matches first."""
    sections = m.template.sections
    claimed: dict[int, list[_Pair]] = {}
    assigned: dict[str, int] = {}
    spans = _spans(headings)

    def in_parent(s: SectionSpec, k: int) -> bool:
        pk = assigned.get(s.parent) if s.parent else None
        if pk is None:
            return False
        lo, hi = spans[pk]
        return lo <= k < hi

    stored: dict[str, list[int]] = {}     # the headings each section scores for, in order
    for sid, k in sim:
        stored.setdefault(sid, []).append(k)

    def assign(group: list[SectionSpec]) -> None:
        pairs = []
        for s in group:
            for k in stored.get(s.id, ()):
                h = headings[k]
                score = sim[(s.id, k)].score
                inside = in_parent(s, k)
                if score < (HEADING_MIN_IN_PARENT if inside else HEADING_MIN):
                    continue
                # under the parent first; good matches before weak ones; then the better
                # score, the heading higher in the outline, the earlier one
                pairs.append(((inside, score >= STRONG, score, -h.level, -k),
                              _Pair(sim[(s.id, k)], s, k)))
        pairs.sort(key=lambda p: p[0], reverse=True)
        for _key, p in pairs:
            if p.section.id in assigned:
                continue
            owners = claimed.get(p.h_index, [])
            if owners and not _may_share(p, owners, m.by_id, compact(headings[p.h_index].title)):
                continue
            k = _promote(p, sim, headings, claimed)
            assigned[p.section.id] = k
            claimed.setdefault(k, []).append(_Pair(sim[(p.section.id, k)], p.section, k))

    depth = {}
    for s in sections:
        d, p = 0, s.parent
        while p:
            d, p = d + 1, m.by_id[p].parent if p in m.by_id else None
        depth[s.id] = d
    # parents first, so a child can prefer its parent's subtree
    for level in sorted(set(depth.values())):
        assign([s for s in sections if depth[s.id] == level])
    return assigned


class _Context:
    """Where in the document a section's content may stand, and how much evidence it
    needs there.

    Reports overlap: 企业简况 names the boilers, 结论 recommends more training. Such a
    passing mention must not make an absent section look present, so keyword evidence
    needs more weight the further it stands from where the section belongs: in the
    section's parent chapter, in text no section claims, or in a seven-stage chapter
    that holds the section, two; in a sibling section's text, three; in another chapter,
    four, and never in a sentence that recommends or plans.
    """

    def __init__(self, m: _Matcher, headings: list[Heading], assigned: dict[str, int],
                 n_blocks: int) -> None:
        self.m = m
        self.headings = headings
        self.chains = _chains(headings)
        self.owners_of: dict[int, set[str]] = {}
        for sid, k in assigned.items():
            self.owners_of.setdefault(k, set()).add(sid)
        self.owner_heading: list[int | None] = [None] * n_blocks
        k, current = 0, None
        for i in range(n_blocks):
            while k < len(headings) and headings[k].block_index <= i:
                current = k
                k += 1
            self.owner_heading[i] = current

    def chain(self, block_index: int) -> list[int]:
        owner = self.owner_heading[block_index]
        return self.chains[owner] if owner is not None else []

    def ancestors(self, s: SectionSpec) -> set[str]:
        out, p = set(), s.parent
        while p:
            out.add(p)
            p = self.m.by_id[p].parent if p in self.m.by_id else None
        return out

    def in_stage_chapter(self, s: SectionSpec, block_index: int) -> bool:
        return any(self.m.is_stage_chapter(s, self.headings[k]) for k in self.chain(block_index))

    def need(self, s: SectionSpec, block_index: int,
             ancestors: set[str]) -> tuple[int, bool, list[SectionSpec]]:
        """For evidence in this block: the weight needed, whether a suggestion is
        excluded, and the other sections whose text it is (the sentence must be more
        about `s` than about them)."""
        if self.in_stage_chapter(s, block_index):
            return BODY_HITS, False, []
        owners: set[str] = set()
        for k in self.chain(block_index):
            if k in self.owners_of:
                owners = self.owners_of[k]
                break
        if not owners or owners & ancestors:
            return BODY_HITS, False, []
        by_id = self.m.by_id
        others = [by_id[o] for o in sorted(owners) if o in by_id]
        if any(o.parent == s.parent for o in others):
            return SIBLING_HITS, False, others
        return ELSEWHERE_HITS, True, others


# ---------------------------------------------------------------- body evidence

def _text_units(doc: Document, skip: set[int]):
    """(block_index, page, locator, text) for every body paragraph and table row."""
    for i, b in enumerate(doc.blocks):
        if i in skip:
            continue
        if isinstance(b, Paragraph):
            if b.source in ("header", "footer"):
                continue
            for sent in sentences(b.text):
                yield (i, b.page, b.locator, sent)
        elif isinstance(b, Table):
            for row in b.rows:
                text = "；".join(c.text for c in row if c.text)
                if text:
                    loc = f"{b.locator}.r{row[0].row}" if row else b.locator
                    yield (i, b.page, loc, text)


class _Units:
    """The body's sentences and table rows (_text_units), with their compact text and the
    section keywords each holds, each worked out once for all the sections that look for
    evidence, and only when one does."""

    def __init__(self, doc: Document, skip: set[int], sections: list[SectionSpec]) -> None:
        self.rows = list(_text_units(doc, skip))
        self._sections = sections
        self._compacted: list[str] | None = None
        self._keywords: list[frozenset[str]] | None = None

    def compacted(self) -> list[str]:
        if self._compacted is None:
            self._compacted = [compact(unit[3]) for unit in self.rows]
        return self._compacted

    def keywords(self) -> list[frozenset[str]]:
        """The keywords (compact, of any section) inside each row's compact text."""
        if self._keywords is None:
            scan = SubstringScanner(w for s in self._sections for ws in _keywords(s) for w in ws)
            self._keywords = [scan.parts_in(text) for text in self.compacted()]
        return self._keywords


def _keyword_weight(text: str, strong: list[str], normal: list[str]) -> int:
    """Strong keywords count 2, others 1; a keyword inside a longer one found in the same
    sentence (培训 in 全员培训, 绿化 in 绿化率) is the same evidence and counts once."""
    found = [(c, 2) for c in strong if c in text] + [(c, 1) for c in normal if c in text]
    weight = 0
    for c, w in found:
        if any(c != o and c in o for o, _ in found):
            continue
        weight += w
    return weight


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= EVIDENCE_CHARS else text[:EVIDENCE_CHARS] + "…"


def _keywords(s: SectionSpec) -> tuple[list[str], list[str]]:
    strong = list(dict.fromkeys(compact(w) for w in s.strong_keywords if compact(w)))
    normal = [c for c in dict.fromkeys(compact(w) for w in s.keywords if compact(w))
              if c not in strong]
    return strong, normal


def _body_evidence(s: SectionSpec, units: _Units, ctx: _Context):
    strong, normal = _keywords(s)
    if not strong and not normal:
        return None
    mine = frozenset(strong) | frozenset(normal)
    ancestors = ctx.ancestors(s)
    best = None
    for unit, text, present in zip(units.rows, units.compacted(), units.keywords()):
        if mine.isdisjoint(present):
            continue      # no keyword of this section: weight 0
        weight = _keyword_weight(text, strong, normal)
        if weight < BODY_HITS:
            continue
        need, no_suggestion, others = ctx.need(s, unit[0], ancestors)
        if weight < need or (no_suggestion and _SUGGESTION.search(unit[3])):
            continue
        # the owner's own topic, which happens to touch this one: judged on the clauses that
        # speak of this section ("…等制度，并将年度工作计划同步编制" speaks of a plan in its clause)
        own = compact("".join(c for c in re.split(r"[，,：:]", unit[3])
                              if _keyword_weight(compact(c), strong, normal) > 0)) if others else text
        if any(_keyword_weight(own, *_keywords(o)) >= weight for o in others):
            continue
        key = (weight - need, weight, -unit[0])
        if best is None or key > best[0]:
            best = (key, unit, weight)
    if best is None:
        return None
    _key, unit, weight = best
    return unit, _clip(unit[3]), min(weight / 4.0, 1.0)


def _stage_evidence(s: SectionSpec, units: _Units, ctx: _Context):
    """A section without keywords (a chapter such as 目前企业清洁生产水平) is there when a
    seven-stage chapter that holds it (预审核) has text: its first sentence is the evidence."""
    if not s.stage_aliases:
        return None
    for unit in units.rows:
        if ctx.in_stage_chapter(s, unit[0]):
            return unit, _clip(unit[3]), 0.5
    return None


# ---------------------------------------------------------------- TOC cross-check

def _toc_warnings(toc: list[TocEntry], headings: list[Heading], doc: Document,
                  toc_blocks: set[int]) -> list[str]:
    if not toc:
        return []
    heading_titles = {compact(h.title) for h in headings} | {compact(h.text) for h in headings}
    heading_titles.discard("")
    para_titles = set()
    for i, b in enumerate(doc.blocks):
        if i in toc_blocks or not isinstance(b, Paragraph) or len(b.text) > 80:
            continue
        para_titles.add(compact(split_numbering(b.text)[1]))
        para_titles.add(compact(b.text))
    out = []
    for e in toc:
        t = compact(e.title) or compact(e.text)
        if not t or t in heading_titles or t in para_titles:
            continue
        if any(len(t) >= 4 and len(h) >= 4 and (t in h or h in t) and
               min(len(t), len(h)) / max(len(t), len(h)) >= 0.6 for h in heading_titles):
            continue
        title = e.title or e.text
        if e.page_ref is not None:
            out.append(f"目录列出“{title}”（第{e.page_ref}页），正文中未找到该标题 / "
                       f"The table of contents lists “{title}” (page {e.page_ref}) "
                       f"but the body has no such heading")
        else:
            out.append(f"目录列出“{title}”，正文中未找到该标题 / "
                       f"The table of contents lists “{title}” but the body has no such heading")
    return out


# ---------------------------------------------------------------- document type

COVER_BLOCKS = 40   # a title sits in the first blocks (TXT has no pages)
COVER_PAGES = 2


def detect_doc_type(doc: Document, templates: dict[str, OutlineTemplate],
                    headings: list[Heading] | None = None, toc: TocScan | None = None) -> str:
    """The template a document follows: from the title on its cover, else by outline fit.
    `headings` and `toc` (scan_toc's result), when the caller has them, save finding them
    again."""
    if not templates:
        raise ValueError("no outline templates")
    if toc is None:
        toc = scan_toc(doc)
    _entries, toc_blocks = toc
    for i, b in enumerate(doc.blocks[:COVER_BLOCKS * 3]):
        if i in toc_blocks or not isinstance(b, Paragraph):
            continue
        if i >= COVER_BLOCKS and (b.page > COVER_PAGES or doc.pages <= 1):
            break  # past the cover (a file without pages: past its first blocks)
        text = compact(b.text)
        if not text or len(text) > 40 or "。" in b.text:
            continue
        best = None
        for name, t in templates.items():
            for marker in t.title_markers:
                if compact(marker) and compact(marker) in text:
                    if best is None or len(marker) > best[1]:
                        best = (name, len(marker))
        if best:
            return best[0]
    if headings is None:
        headings = find_headings(doc, toc)
    fits = []
    for order, (name, t) in enumerate(templates.items()):
        r = match_outline(doc, t, headings, toc)
        n = len(r.sections) or 1
        fit = sum(1.0 if s.status == "heading" else 0.3 if s.status == "body" else 0.0
                  for s in r.sections) / n
        mean_score = sum(s.score for s in r.sections if s.status == "heading") / n
        fits.append((fit, mean_score, -order, name))
    return max(fits)[3]


__all__ = ["SectionSpec", "OutlineTemplate", "match_outline", "detect_doc_type",
           "find_headings", "HEADING_MIN"]
