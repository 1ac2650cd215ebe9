"""The scans that replaced one-by-one searches give exactly what the searches gave:
the indicator term scan (extractors.indicators._scan_terms) and the keyword-part scan of the
evidence finder (extractors.evidence._PartScanner), on every sentence of the corpus; and the
outline matcher's scores, on every corpus title against every section name."""
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


def _brute_best(m, s, titles):
    """The best _Sim of a section over every name and every title, compared one by one."""
    from extractors.outline import _Sim
    from extractors.text_match import prepared_similarity

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


def _prepared_titles(title: str) -> list:
    from extractors.text_match import Prepared, strip_parens

    titles = [Prepared(title)]
    if strip_parens(title) != title:
        titles.append(Prepared(strip_parens(title)))
    return titles


def test_outline_scores_equal_every_name_against_every_title(rules):
    """The matcher's scores (names picked by the token estimate, containment and equality;
    pairs skipped by their bound) give the same _Sim as comparing every name with every title
    for every section that scores _RELEVANT or more, and leave out exactly the others."""
    from extractors.outline import _RELEVANT, _Matcher

    n_kept = n_left_out = 0
    for template in rules.outlines.values():
        m = _Matcher(template)
        for title in _corpus_titles():
            titles = _prepared_titles(title)
            got = dict(m.scores(titles))
            for si, s in enumerate(template.sections):
                want = _brute_best(m, s, titles)
                if want.score >= _RELEVANT:
                    assert got.get(si) == want, (s.id, title)
                    n_kept += 1
                else:
                    assert si not in got, (s.id, title, want)
                    n_left_out += want.score > 0
    assert n_kept > 100 and n_left_out > 1000


def test_token_estimates_bound_every_similarity(rules):
    """The matcher's estimate of a name's token similarity is that similarity up to rounding
    (0 when a name is left out), and a name left out of worth_comparing scores below
    _RELEVANT while one kept scores no more than its bound."""
    from extractors.outline import _RELEVANT, _Matcher
    from extractors.text_match import _prepared_token_similarity, prepared_similarity

    n_estimated = n_compared = 0
    for template in rules.outlines.values():
        m = _Matcher(template)
        for title in _corpus_titles():
            for t in _prepared_titles(title):
                estimates = m.estimates(t)
                wanted = m.worth_comparing(t)
                for e, (_si, name, _worth) in enumerate(m._entries):
                    exact = _prepared_token_similarity(name, t, m.weight)
                    if e in estimates:
                        assert abs(estimates[e] - exact) <= 1e-12, (name.text, title)
                        n_estimated += 1
                    else:
                        assert exact == 0.0, (name.text, title)
                    sim = prepared_similarity(name, t, m.weight)
                    if e in wanted:
                        assert sim <= wanted[e], (name.text, title)
                        n_compared += 1
                    else:
                        assert sim < _RELEVANT, (name.text, title)
    assert n_estimated > 5000 and n_compared > 300
