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
