"""The scans that replaced one-by-one searches give exactly what the searches gave:
the indicator term scan (extractors.indicators._scan_terms) and the keyword-part scan of the
evidence finder (extractors.evidence._PartScanner), on every sentence of the corpus."""
from __future__ import annotations

import pytest

from corpus import documents
from corpus.spec import Para, TableSpec
from extractors.evidence import _PartScanner
from extractors.indicators import _index, _scan_terms, split_sentences
from rubric.province import load_province


def _sentences() -> list[str]:
    out = []
    for spec in documents.ALL:
        for block in spec.blocks:
            if isinstance(block, Para):
                out += [block.text[a:b] for a, b in split_sentences(block.text)]
            elif isinstance(block, TableSpec):
                out += [cell for row in block.rows for cell in row if cell]
    # overlapping and nested terms, and white space between a term's parts
    out += ["废水回用率和水重复利用率分别为92%和95%", "COD 去除率为90%", "外排废水达标率达标率"]
    return out


@pytest.fixture(scope="module")
def rules():
    return load_province("guangxi")


def test_term_scan_finds_every_occurrence_of_every_term(rules):
    idx = _index(rules.indicators)
    for sentence in _sentences():
        want = set()
        for t in idx.term_tuple:
            pos = sentence.find(t)
            while pos >= 0:
                want.add((pos, pos + len(t), t))
                pos = sentence.find(t, pos + 1)
        assert _scan_terms(sentence, idx) == want, sentence


def test_keyword_part_scan_equals_substring_tests(rules):
    parts = sorted({p for kws in rules.items.keyword_sets.values() for kw in kws
                    for p in kw.split("&") if p.strip()})
    scanner = _PartScanner(parts)
    for sentence in _sentences():
        assert scanner.parts_in(sentence) == frozenset(p for p in parts if p in sentence), sentence


# --------------------------------------------------------------- outline: names that can score

def _corpus_titles() -> list[str]:
    from corpus.spec import Heading as HeadingSpec

    titles = set()
    for spec in documents.ALL:
        for block in spec.blocks:
            if isinstance(block, HeadingSpec):
                titles.add(block.title)
            elif isinstance(block, Para) and len(block.text) <= 30:
                titles.add(block.text)
    # titles that only share single characters, or a one-character token, with a name
    titles.update(["审核", "结论", "表", "一", "", "附件", "产 品", "（一）概况"])
    return sorted(titles)


def test_title_keys_never_hide_a_similarity_above_zero(rules):
    """Prepared.keys is a filter: a name and a title that share no key score exactly 0 by
    every rule of prepared_similarity (equality, containment, common or partial tokens)."""
    from extractors.outline import _Matcher
    from extractors.text_match import (Prepared, _prepared_token_similarity, compact,
                                       strip_parens)

    titles = _corpus_titles()
    assert len(titles) > 150
    n_disjoint = 0
    for template in rules.outlines.values():
        m = _Matcher(template)
        names = [p for ns in m.names.values() for p, _ in ns]
        prepared = [Prepared(t) for t in titles] + [Prepared(strip_parens(t)) for t in titles] \
            + [Prepared(p.text) for p in names]
        for name in names:
            for title in prepared:
                if not name.keys.isdisjoint(title.keys):
                    continue
                n_disjoint += 1
                n, t = name.compact, title.compact
                assert not (n and n == t), (name.text, title.text)
                assert not (len(n) >= 3 and n in t), (name.text, title.text)
                assert _prepared_token_similarity(name, title, m.weight) == 0.0, (name.text, title.text)
                assert compact(name.text) == n
    assert n_disjoint > 1000    # the filter does cut something


def test_outline_scores_equal_every_name_against_every_title(rules):
    """The matcher's similarity (names looked up by key, scores once per distinct title) gives
    the same _Sim as comparing every name with every title."""
    from extractors.outline import _Matcher, _Sim
    from extractors.text_match import Prepared, prepared_similarity, strip_parens

    def brute(m, s, titles):
        best = _Sim(0.0, None)
        for name, worth in m.names[s.id]:
            for t in titles:
                sim = prepared_similarity(name, t, m.weight) * worth
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

    n_positive = 0
    for template in rules.outlines.values():
        m = _Matcher(template)
        for title in _corpus_titles():
            titles = [Prepared(title)]
            if strip_parens(title) != title:
                titles.append(Prepared(strip_parens(title)))
            for s in template.sections:
                got = m.similarity(s, titles)
                assert got == brute(m, s, titles), (s.id, title)
                n_positive += got.score > 0
    assert n_positive > 100
