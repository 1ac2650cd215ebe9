"""The shortcuts of the indicator extractor and the value grammar give what the plain reading
gives: every corpus and held-out sample, and crafted text, read with each shortcut switched off
(the gates that turn sentences away, the term trie, the gap test before squeezing white space,
the year gate, the one-sentence paragraph, the value scanner's substring tests, plain-number cells and skipped year numbers,
the walk for prefix comparators, the subject lookup by length) gives the same mentions and
conflicts as with them on."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import ingest
from extractors import indicators, values
from extractors.indicators import _index, extract_indicators, find_conflicts, split_sentences
from ingest.model import Cell, Document, Paragraph, Table
from rubric.province import load_province

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractor_reference import every_occurrence, sample_files  # noqa: E402


CRAFTED = [
    "2023年水计量率为100%，废水回用率和水重复利用率分别为92%和95%。",
    "COD 去除率为90%，外排废水 达标率为 98.5%；固 废综合利用率约96%。",
    "外排废水水质 (年)达标率为98%，有组织排放口 (年)达标率为100%；废气达标排放率(年 )为99%。",   # across white space
    "危险废物100%交由有资质单位处置，废水经处理后80%回用，实现了100%的达标率。",
    "清洁生产投入占技改投入的28.4%，其中清洁生产投入2140万元，占36.5%。",
    "外排废水监测42次，其中41次达标；厂界噪声监测12次，超标1次。",
    "审核目标：2024年水计量率100%；废水回用率不低于90%；",
    "2021—2023年废水回用率分别为85%、88%和90%，近三年平均为87.7%。",
    "中/高费方案4项，已实施3项；无/低费方案15项，均已实施。",
    "生产废水全部回用，不外排；公司已通过ISO 14001环境管理体系认证；部分废气回收利用。",
    "由2021年的412降至2023年的378 kgce/t，万元产值综合能耗0.5 tce。",
    "能源、水、物料计量器具配备率依次为95%、100%、98%，达标率95%~98%，约九成五，千分之五。",
    "产能利用率为89.7%（2023年），产品合格率和水计量率分别为99%和100%。",
]


@pytest.fixture(scope="module")
def specs():
    return load_province("guangxi").indicators


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    files = sample_files()
    assert len(files) > 40
    crafted = Document(name="crafted.txt", sha256="", format="text", pages=2)
    for i, text in enumerate(CRAFTED):
        crafted.blocks.append(Paragraph(text=text, page=1, locator=f"p{i + 1}"))
    cells = [["指标", "2022年", "2023年", "目标"], ["水计量率(%)", "100", "100%", "≥95"],
             ["废水回用率", "85.5", "0.9", "90%以上"], ["吨纸综合能耗(kgce/t)", "280", "270", "≤265"],
             ["说明", "废水达标率为98%，固废综合利用率99.2%", "", ""]]
    crafted.blocks.append(Table(rows=[[Cell(text=text, row=r, col=c) for c, text in enumerate(row)]
                                      for r, row in enumerate(cells)], page=2, locator="t1", n_cols=4))
    return [ingest.load(f, ocr=False) for f in files] + [crafted]


class _Always:
    """A gate that lets everything through."""

    def may_match(self, text: str) -> bool:
        return True


def _every_occurrence(text: str, idx) -> set:
    """The term scan without the trie: str.find for every term."""
    return every_occurrence(idx.term_tuple, text)


def _prefix_comparator_by_search(text: str, start: int):
    """The comparator scan as first written: every word searched from the right."""
    window_start = max(0, start - 12)
    window = text[window_start:start]
    candidates = []
    for word, comp in values.PREFIX_COMPARATORS.items():
        pos = window.rfind(word)
        while pos >= 0:
            if values._FILLER.match(window[pos + len(word):]):
                candidates.append((comp, window_start + pos, window_start + pos + len(word)))
                break
            pos = window.rfind(word, 0, pos)
    if not candidates:
        return None, start
    directed = [c for c in candidates if c[0] != "="]
    if directed:
        comp, a, _ = max(directed, key=lambda c: (c[2], c[2] - c[1]))
        return comp, a
    comp, a, _ = min(candidates, key=lambda c: c[1])
    return comp, a


def _split_sentences_by_marks(text: str) -> list[tuple[int, int]]:
    """split_sentences as first written, without the one-sentence shortcut."""
    spans, start = [], 0
    for m in indicators._SENT_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _switch_shortcuts_off(monkeypatch, idx):
    ungated_years = re.compile(indicators._YEAR_EXPR.pattern.removeprefix(r"(?=(?:19|20)\d\d)"))
    assert ungated_years.pattern != indicators._YEAR_EXPR.pattern
    monkeypatch.setattr(indicators, "_YEAR_EXPR", ungated_years)
    monkeypatch.setattr(indicators, "_speaks_of_years", lambda s: indicators._ANY_YEARS.search(s) is not None)
    monkeypatch.setattr(indicators, "_may_hold_naming_term", lambda *a: True)
    monkeypatch.setattr(indicators, "_may_name_indicator", lambda *a: True)
    monkeypatch.setattr(indicators, "_may_be_value_first", lambda *a: True)
    monkeypatch.setattr(indicators, "_may_be_share", lambda *a: True)
    monkeypatch.setattr(indicators, "_scan_terms", _every_occurrence)
    monkeypatch.setattr(indicators, "find_values", lambda text, skip_numbers_in=(): values.find_values(text))
    monkeypatch.setattr(indicators, "_subject_at_end", lambda text, end, lo, idx: next(
        ((sub, end - len(sub)) for sub in sorted(idx.subject_keys, key=len, reverse=True)
         if end - len(sub) >= lo and text[end - len(sub):end] == sub), None))
    monkeypatch.setattr(indicators, "_subjects_at_end", lambda text, end, lo, idx: [
        (sub, end - len(sub)) for sub in sorted(idx.subject_keys, key=len, reverse=True)
        if end - len(sub) >= lo and text[end - len(sub):end] == sub])
    for gate in ("flag_gate", "pattern_gate", "share_subject_gate"):
        monkeypatch.setattr(idx, gate, _Always())
    monkeypatch.setattr(idx, "term_pairs", None)
    monkeypatch.setattr(idx, "scheme_gate", None)
    monkeypatch.setattr(indicators, "split_sentences", _split_sentences_by_marks)
    monkeypatch.setattr(values, "_PLAIN_VALUE", re.compile(r"(?!)"))
    monkeypatch.setattr(values, "_may_match", lambda kind, text: True)
    monkeypatch.setattr(values, "_prefix_comparator", _prefix_comparator_by_search)


def test_mentions_and_conflicts_are_the_same_with_every_shortcut_off(docs, specs, monkeypatch):
    fast = [extract_indicators(doc, specs) for doc in docs]
    assert sum(map(len, fast)) > 1000
    with monkeypatch.context() as m:
        _switch_shortcuts_off(m, _index(specs))
        plain = [extract_indicators(doc, specs) for doc in docs]
    for doc, a, b in zip(docs, fast, plain):
        assert a == b, doc.name
        assert find_conflicts(a) == find_conflicts(b), doc.name


def _sentences(docs) -> list[str]:
    out = set()
    for doc in docs:
        for block in doc.blocks:
            texts = [c.text for c in block.cells()] if isinstance(block, Table) else \
                [block.text] if isinstance(block, Paragraph) else []
            for text in filter(None, texts):
                out.add(text)
                out.update(text[a:b] for a, b in split_sentences(text))
    return sorted(out)


def test_the_sentence_gates_turn_away_only_sentences_without_mentions(docs, specs, monkeypatch):
    idx = _index(specs)
    sentences = _sentences(docs)
    fast = [(indicators._sentence_mentions(s, idx, 1, "p", "text"), indicators._flag_mentions(s, idx, 1, "p", "text"))
            for s in sentences]
    turned_away = sum(1 for s in sentences if indicators._MAY_HOLD_VALUE.search(s) and not indicators._may_name_indicator(
        *indicators._term_candidates(s, idx), idx) and not indicators._may_be_value_first(s, idx))
    assert turned_away > 1000   # the gates do their work on the corpus
    with monkeypatch.context() as m:
        _switch_shortcuts_off(m, idx)
        plain = [(indicators._sentence_mentions(s, idx, 1, "p", "text"), indicators._flag_mentions(s, idx, 1, "p", "text"))
                 for s in sentences]
    for s, a, b in zip(sentences, fast, plain):
        assert a == b, s


def test_prefix_comparator_equals_searching_every_word(docs):
    texts = _sentences(docs) + ["最高达到75", "不低于为95", "大于或等于≥95", "为为为95", ">=>=95", "达到了达到95", "约 95"]
    for text in texts:
        for start in range(len(text) + 1):
            assert values._prefix_comparator(text, start) == _prefix_comparator_by_search(text, start), (text, start)


def test_values_are_the_same_without_the_scanner_shortcuts(docs, monkeypatch):
    texts = _sentences(docs) + ["95%", "100", "0", "007", "95.20", "3.5%", "١٢", "95%%", "95 %", "1,234", "2023"]
    fast = [values.find_values(t) for t in texts]
    years = [[(a, b) for a, b, _ in indicators._years_in(t)] for t in texts]
    skipped = [values.find_values(t, skip_numbers_in=y) for t, y in zip(texts, years)]
    with monkeypatch.context() as m:
        m.setattr(values, "_PLAIN_VALUE", re.compile(r"(?!)"))
        m.setattr(values, "_may_match", lambda kind, text: True)
        plain = [values.find_values(t) for t in texts]
    for t, y, a, b, c in zip(texts, years, fast, plain, skipped):
        assert a == b, t
        # leaving out bare numbers inside the years equals dropping them afterwards
        def outside(vs):
            return [v for v in vs if not any(s <= v.num_start < e for s, e in y)]
        assert outside(c) == outside(b), t
    assert any(y for y in years)


def test_the_value_patterns_never_match_where_their_needs_are_missing(docs):
    for text in _sentences(docs):
        for kind, rx in values._PATTERNS:
            if kind in values._NEEDS and not values._may_match(kind, text):
                assert rx.search(text) is None, (kind, text)


def test_years_are_the_same_without_the_year_gate(docs):
    ungated = re.compile(indicators._YEAR_EXPR.pattern.removeprefix(r"(?=(?:19|20)\d\d)"))
    for text in _sentences(docs) + ["2021—2023年", "2021、2022和2023年", "2020年以来", "19992000年"]:
        assert [(m.span(), m.groupdict()) for m in indicators._YEAR_EXPR.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in ungated.finditer(text)], text


def test_the_year_patterns_need_the_character_year(docs):
    """_years_in, _stated_year and _speaks_of_years skip a sentence without 年: none of the
    patterns they would try can match there."""
    year_patterns = [indicators._YEAR_EXPR, indicators._ANY_YEARS, indicators._TOPIC_YEAR]
    texts = [t.replace("年", "") for t in _sentences(docs)] + ["2023，", "2023度，近三", "截至2023底，"]
    for text in texts:
        assert not any(rx.search(text) for rx in year_patterns), text


def test_split_sentences_equals_splitting_at_every_mark(docs):
    texts = [b.text for doc in docs for b in doc.blocks if isinstance(b, Paragraph)]
    for text in texts + ["", " ", "一。", "。一", "一\n二", "  一  "]:
        assert split_sentences(text) == _split_sentences_by_marks(text), text
