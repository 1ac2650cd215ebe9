"""The regex shortcuts of extractors.regex_scan give what the slow ways give, on every
sentence and cell of every corpus and held-out sample and on crafted text: the word finder finds
every occurrence str.find finds, the joined gate matches exactly when one of its patterns
does, and a required literal is in every match."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import ingest
from extractors.indicators import _CHECKS, _index, split_sentences
from extractors.regex_scan import (AnyPattern, WordFinder, first_char_gate, first_chars, required_literals,
                                   word_end_gate)
from ingest.model import Paragraph, Table
from rubric.province import load_province

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractor_reference import every_occurrence, sample_files  # noqa: E402


CRAFTED = [
    "废水回用率和水重复利用率分别为92%和95%", "COD 去除率为90%", "外排废水达标率达标率", "废水废水回用率率",
    "生产废水全部回用，不外排", "固体废物全部综合利用", "固废均已得到综合利用", "厂界噪声均未超过《工业企业厂界环境噪声排放标准》",
    "公司未通过ISO 14001认证", "暂无GB/T 24001证书", "质量、环境、职业健康安全三体系认证已通过", "部分废气回收利用",
    "废气余热未回收", "噪声有2次超标", "清洁生产投入占技改投入的28.4%", "监测24次，其中23次达标", "", "率", "a",
]


@pytest.fixture(scope="module")
def idx():
    return _index(load_province("guangxi").indicators)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    files = sample_files()
    assert len(files) > 40
    out = set(CRAFTED)
    for f in files:
        for block in ingest.load(f, ocr=False).blocks:
            texts = [c.text for c in block.cells()] if isinstance(block, Table) else \
                [block.text] if isinstance(block, Paragraph) else []
            for text in filter(None, texts):
                out.add(text)
                out.update(text[a:b] for a, b in split_sentences(text))
    return sorted(out)


def test_word_finder_finds_every_occurrence_read_forwards_or_backwards(idx, sentences):
    terms = [t for t in idx.term_tuple if len(t) >= 2]
    backwards = WordFinder(terms)            # terms end in few characters (率): read backwards
    mirrored = [t[::-1] for t in terms]    # these start with few characters: read forwards
    forwards = WordFinder(mirrored)
    assert backwards._backwards and not forwards._backwards
    for s in sentences:
        assert backwards.occurrences(s) == every_occurrence(terms, s), s
        flipped = s[::-1]
        assert forwards.occurrences(flipped) == every_occurrence(mirrored, flipped), s


def test_word_finder_on_nested_and_overlapping_words():
    words = ["ab", "abc", "abcd", "bc", "bcd", "cd", "x", "dd"]
    for text in ["abcd", "abcdd", "ababcd", "xabcdx", "", "ddd", "bcbcd"]:
        want = every_occurrence([w for w in words if len(w) >= 2], text)   # one-letter words are not found
        assert WordFinder(words).occurrences(text) == want
        assert WordFinder([w[::-1] for w in words]).occurrences(text[::-1]) == \
            every_occurrence([w[::-1] for w in words if len(w) >= 2], text[::-1])
    assert WordFinder([]).occurrences("abc") == set()


def test_first_chars():
    assert first_chars("(?:每)?吨[\u4e00-\u9fff]{1,5}?能耗") == {"每", "吨"}
    assert first_chars("(?<![全大])部分|局部") == {"部", "局"}
    assert first_chars("(?:ISO\\s*14001|GB/T)") == {"I", "G"}
    assert first_chars("[、和及与/]环境") == set("、和及与/")
    assert first_chars("(?=x)ab") == {"a"}
    assert first_chars("(a)\\1") == {"a"}
    for anything in ["a?", "a*b?", "[^x]b", ".b", "\\wb", "(?i)ab", "[\u4e00-\u9fff]率", "(?:a|)"]:
        assert first_chars(anything) is None, anything


def _gate_patterns(idx) -> list[list[str]]:
    rules = load_province("guangxi")
    flags = [p for s in rules.indicators if s.kind == "flag" for p in (*s.partial, *s.no, *s.yes)]
    shares = [p for s in rules.indicators if s.share_of for p in s.share_of]
    return [flags, [rx.pattern for rx, _ in idx.patterns], shares, [_CHECKS.pattern],
            ["(?<![无未没不])超标", "[^，]{0,3}率$", "^废水", "(?:废水|污水)?处理", "a|b", "x(?=y)"]]


def test_first_char_gate_matches_exactly_when_a_pattern_does(idx, sentences):
    for patterns in _gate_patterns(idx):
        gate = first_char_gate(patterns)
        compiled = [re.compile(p) for p in patterns]
        if gate is None:   # patterns with groups (_CHECKS) are not joined
            assert any(rx.groups for rx in compiled)
            continue
        for s in sentences:
            assert bool(gate.search(s)) == any(rx.search(s) for rx in compiled), (patterns[:2], s)
    flags = first_char_gate(_gate_patterns(idx)[0])
    assert flags is not None and flags.pattern.startswith("(?=[")   # the rubric's flags do get a gate


def test_first_char_gate_refuses_what_it_cannot_join():
    assert first_char_gate([]) is None
    assert first_char_gate(["(a)b", "c"]) is None          # a group could be a backreference's target
    assert first_char_gate(["a", "(?i)b"]) is None           # global flags only work at the start
    assert first_char_gate(["ab", "[^x]"]).pattern == "(?:ab)|(?:[^x])"   # no known first characters


def test_required_literals_are_in_every_match(idx, sentences):
    for patterns in _gate_patterns(idx):
        for p in patterns:
            literals = required_literals(p)
            if literals is None:
                continue
            rx = re.compile(p)
            for s in sentences:
                for m in rx.finditer(s):
                    assert any(x in m.group(0) for x in literals), (p, s, literals)


def test_required_literals_choose_the_longest_part():
    assert required_literals("(?:废水|污水)[^。；;]{0,60}?零排放") == {"零排放"}
    assert required_literals("噪声[^。]{0,5}?(?:达标|合格)") == {"噪声"}
    assert required_literals("(?:ISO\\s*14001|GB/T\\s*24001|环境管理体系)") == {"14001", "24001", "环境管理体系"}
    assert required_literals("(?:未|尚未)(?:实现|达到)") == {"实现", "达到"}
    assert required_literals("(?:吨|t)+水") == {"水"}
    assert required_literals("(?:废水)?x") == {"x"}
    for nothing in ["a?", "[ab]+", "(?i)废水", "(?=废水)\\d", "(?:废水|\\d)"]:
        assert required_literals(nothing) is None, nothing


def test_any_pattern_never_turns_away_a_match(idx, sentences):
    for patterns in _gate_patterns(idx) + [[], ["(a)b"], ["[^x]", "废水"]]:
        gate = AnyPattern(patterns)
        compiled = [re.compile(p) for p in patterns]
        for s in sentences:
            if any(rx.search(s) for rx in compiled):
                assert gate.may_match(s), (patterns[:2], s)
    flags = AnyPattern(_gate_patterns(idx)[0])
    assert flags.may_match("厂界噪声全部达标") and not flags.may_match("2023年产值5亿元")


def test_word_end_gate_is_found_wherever_a_word_is(idx, sentences):
    schemes = [x for _, xs in idx.schemes for x in xs]
    for words in (sorted(idx.naming_terms), schemes, ["ab", "xab", "(年)达标率"]):
        gate = word_end_gate(words)
        for s in sentences + ["xab", "(年)达标率", "ab"]:
            if any(w in s for w in words if len(w) >= 2):
                assert gate.search(s), (words[:3], s)
    assert word_end_gate(["a"]) is None and word_end_gate([]) is None
    assert not word_end_gate(sorted(idx.naming_terms)).search("2023年公司生产电锌9.6万吨")
