"""The shortcuts of the outline, heading and evidence extractors give what the plain
computations give, on every corpus and held-out sample and on crafted text: the matcher that
keeps only scores that can matter, the skipped normalisation, the numbering and TOC-line
prechecks, the keyword index of the evidence finder."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

import ingest
from extractors import evidence, headings
from extractors.evidence import Evidence, find_evidence
from extractors.headings import find_headings
from extractors.outline import _Matcher, detect_doc_type, match_outline
from extractors.text_match import SubstringScanner
from ingest.model import Cell, Document, Paragraph, Table
from ingest.normalize import close_cjk_gaps, normalize_text
from rubric.province import load_province

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractor_reference import sample_files  # noqa: E402



@pytest.fixture(scope="module")
def rules():
    return load_province("guangxi")


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    files = sample_files()
    assert len(files) > 40
    return [ingest.load(f, ocr=False) for f in files]


# --------------------------------------------------------------- outline

def test_outline_is_the_same_with_every_score_kept(docs, rules, monkeypatch):
    """The matcher keeps only the scores of _RELEVANT or more: with every section's score for
    every heading kept instead (as the matcher did before), every outline, and the detected
    type, come out the same."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_fast_scans import _brute_best

    def fast():
        return [(detect_doc_type(doc, rules.outlines, hs),
                 [match_outline(doc, t, hs) for t in rules.outlines.values()])
                for doc, hs in zip(docs, all_headings)]

    all_headings = [find_headings(doc) for doc in docs]
    got = fast()
    memo: dict = {}

    def every_score(self, titles):
        key = (self.template.name, tuple(t.text for t in titles))
        if key not in memo:
            memo[key] = [(si, _brute_best(self, s, titles))
                         for si, s in enumerate(self.template.sections)]
        return memo[key]

    monkeypatch.setattr(_Matcher, "scores", every_score)
    assert fast() == got
    assert sum(r.status == "heading" for _t, rs in got for o in rs for r in o.sections) > 500


def test_body_evidence_is_the_same_without_the_keyword_scan(docs, rules, monkeypatch):
    """A row none of whose keywords the scan finds is skipped for a section: with every row
    offered to every section instead, every outline comes out the same."""
    from extractors import outline

    def run():
        return [[match_outline(doc, t, hs) for t in rules.outlines.values()]
                for doc, hs in zip(docs, all_headings)]

    all_headings = [find_headings(doc) for doc in docs]
    got = run()

    def every_keyword(self):
        words = frozenset(w for s in self._sections for ws in outline._keywords(s) for w in ws)
        return [words] * len(self.rows)

    monkeypatch.setattr(outline._Units, "keywords", every_keyword)
    assert run() == got
    assert sum(r.status == "body" for rs in got for o in rs for r in o.sections) > 20


def test_spans_equal_walking_down_from_every_heading(docs):
    from extractors.facts import Heading
    from extractors.outline import _spans

    def walked(hs):
        out = []
        for i, h in enumerate(hs):
            j = i + 1
            while j < len(hs) and hs[j].level > h.level:
                j += 1
            out.append((i + 1, j))
        return out

    cases = [find_headings(doc) for doc in docs]
    cases += [[Heading(text="x", title="x", numbering="", style="cn", level=lv, page=1,
                       locator="p", block_index=k) for k, lv in enumerate(levels)]
              for levels in ([], [1], [1, 2, 3, 2, 3, 1], [3, 2, 1, 2], [2, 2, 1, 3, 3, 2, 4, 1])]
    for hs in cases:
        assert _spans(hs) == walked(hs)


def test_substring_scanner_finds_what_substring_tests_find():
    rng = random.Random(3)
    for _ in range(300):
        parts = {"".join(rng.choice("清洁生产水平衡.-") for _ in range(rng.randint(0, 4)))
                 for _ in range(rng.randint(0, 12))}
        scanner = SubstringScanner(parts)
        for _ in range(20):
            text = "".join(rng.choice("清洁生产水平衡.-率") for _ in range(rng.randint(0, 16)))
            assert scanner.parts_in(text) == frozenset(p for p in parts if p in text), (parts, text)


# --------------------------------------------------------------- normalisation

def _every_character() -> str:
    return "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_normalize_skips_only_text_normalize_text_leaves_alone():
    """normalize_text hands back the very text it was given when its search finds nothing to
    change: every such character really is left alone by the folding and the control filter."""
    from ingest.normalize import _CONTROL, _TABLE

    def reference(text: str) -> str:
        return _CONTROL.sub("", text.translate(_TABLE))

    chars = _every_character()
    kept = "".join(c for c in chars if normalize_text(c) is c)
    assert reference(kept) == kept
    changed = [c for c in chars if normalize_text(c) is not c]
    assert len(changed) > 300
    assert all(normalize_text(c) == reference(c) for c in changed)
    for text in ["９５％", "企业\u200b概况", "⼀、概况", "plain text 一二三", ""]:
        assert normalize_text(text) == reference(text)


def test_close_gaps_skips_only_text_without_space_or_tab():
    from ingest.normalize import _CJK_GAP

    for text in ["企 业 简 况", "企\t业", "企\u3000业", "企\u00a0业", "企\n业", "企业简况", "A B", ""]:
        assert close_cjk_gaps(text) == _CJK_GAP.sub("", text), text
    # only a space or a tab is ever closed
    spaces = "".join(c for c in _every_character() if c.isspace() and c not in " \t")
    text = "".join(f"企{c}业" for c in spaces)
    assert close_cjk_gaps(text) == text


# --------------------------------------------------------------- headings

_SUFFIXES = ["", "一章", "一节", "一篇", "一部分", "、", "一)", "1)", ".1", ".", ")", " 企业", "1、",
             "一)、", ".1.2 概况"]


def _first_characters() -> list[str]:
    # The numbering and TOC patterns name only characters of the BMP, and \d, which also
    # takes the decimal digits beyond it.
    return [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF] + \
        [chr(c) for c in range(0x10000, 0x110000) if chr(c).isdecimal()]


def test_numbering_precheck_never_turns_away_a_numbering():
    """Every numbering pattern starts with a character _MAY_BE_NUMBERED accepts."""
    anywhere = re.compile("|".join(f"(?:{p.pattern})" for _k, _s, p in headings._NUMBERING))
    first = headings._MAY_BE_NUMBERED
    missed = [c for c in _first_characters() if not first.match(c)
              and any(anywhere.match(c + suffix) for suffix in _SUFFIXES)]
    assert missed == []
    # the suffixes do reach every pattern
    for _key, _style, pattern in headings._NUMBERING:
        assert any(pattern.match(c + s) for c in "第一(1①" for s in _SUFFIXES), pattern.pattern


def _split_one_pattern_at_a_time(text: str) -> tuple[str, str, str, str]:
    text = headings._clean(text)
    for key, style, pattern in headings._NUMBERING:
        m = pattern.match(text)
        if not m:
            continue
        numbering = m.group(0).strip()
        title = text[m.end():].lstrip(" \t、.:：-—")
        if key == "decimal_multi":
            key = f"decimal_multi:{numbering.rstrip('.').count('.') + 1}"
        return numbering, title.strip(), style, key
    return "", text, "none", ""


def test_split_numbering_equals_trying_each_pattern(docs):
    texts = [b.text for doc in docs for b in doc.blocks if isinstance(b, Paragraph)]
    texts += [c + s + "企业概况" for c in "第一二十(（1２9①⑳" for s in _SUFFIXES]
    texts += ["1.1.1 工艺", "1.2万吨", "12 年", "3 企业", "一 企业", "(1)、概况", "1)概况", "2.5%"]
    for text in texts:
        assert headings.split_numbering(text) == _split_one_pattern_at_a_time(text), text
    assert sum(bool(headings.split_numbering(t)[0]) for t in texts) > 500


def test_leader_line_equals_the_pattern_on_the_whole_line(docs):
    def whole(text):
        m = headings._LEADER_LINE.match(text)
        return (m.group("title"), m.group("page")) if m else None

    texts = [headings._clean(b.text) for doc in docs for b in doc.blocks if isinstance(b, Paragraph)]
    texts += ["一、企业简况……………3", "1.1 机构设置 ........ 12", "前言\t1", "前言 \t 1", "…3", "..3",
              "一、概况......3 二、现状......5 三、水平......12", "概况....1234", "概况.... 12 ",
              "概况\n第二行....3", "第一行\n....3", "概况.\n...3", "概况...3\n", "概况---7",
              "概况___7", "概况--7", "概况…7", "概况 … 7", "...", "", "3", "a.b.c..4", "标题.. ..5",
              "标题-_.·•…\t 9", "1 2 3 4 ...5", "标题．．．3", "标题......五"]
    rng = random.Random(9)       # and strings made of the characters that matter
    texts += ["".join(rng.choice("一a。.…·- _\t\n17") for _ in range(rng.randint(0, 14)))
              for _ in range(20000)]
    for text in texts:
        assert headings._leader_line(text) == whole(text), text
    assert sum(whole(t) is not None for t in texts) > 500


def test_toc_line_patterns_need_a_final_digit():
    """_toc_lines stops at a line whose last character is no decimal digit: neither line
    pattern can match one."""
    heads = ["一、企业简况……………", "1.1 机构设置 ........ ", "前言\t", "二、现状 ", "3"]
    for c in _first_characters():
        if c.isdecimal() or c.isspace():
            continue
        for head in heads:
            text = head + c
            assert not headings._LEADER_LINE.match(text) and not headings._PLAIN_LINE.match(text)


def test_headings_and_toc_equal_the_plain_passes(docs, monkeypatch):
    """The memo of cleaned and split lines gives what cleaning and splitting every time gave."""
    got = [(find_headings(doc), headings.scan_toc(doc)) for doc in docs]

    class NoMemo(headings._Lines):
        def clean(self, text):
            return headings._clean(text)

        def split(self, text):
            return headings.split_numbering(text)

    monkeypatch.setattr(headings, "_Lines", NoMemo)
    assert [(find_headings(doc), headings.scan_toc(doc)) for doc in docs] == got
    assert sum(len(toc[0]) for _h, toc in got) > 50


# --------------------------------------------------------------- evidence

def _evidence_one_by_one(doc: Document, keyword_sets: dict[str, list[str]]) -> dict:
    """find_evidence as a plain loop: every keyword of every set tested on every sentence."""
    found = {name: [] for name in keyword_sets}
    seen = {name: set() for name in keyword_sets}
    for page, locator, source, sentence in evidence._units(doc):
        if evidence._TOC_LINE.search(sentence):
            continue
        for name, kws in keyword_sets.items():
            for kw in (k.strip() for k in kws):
                if kw and all(p in sentence for p in kw.split("&") if p):
                    if (locator, sentence) not in seen[name]:
                        seen[name].add((locator, sentence))
                        found[name].append(Evidence(page=page, text=sentence, locator=locator,
                                                    source=source, keyword=kw))
                    break
    return found


def _crafted_doc() -> Document:
    doc = Document(name="t.docx", sha256="0", format="docx", pages=1)
    doc.blocks.extend([
        Paragraph("5.3 厂容厂貌……………23", 1, "p1"),
        Paragraph("物料平衡测试见表3；水平衡测试完成。清洁生产培训共3次 12", 1, "p2"),
        Paragraph("开展清洁生产审核培训。培训了员工。\n厂区绿化率达到30%", 1, "p3"),
        Table(rows=[[Cell("物料平衡", 0, 0), Cell("已完成；水平衡 ....... 8", 0, 1)],
                    [Cell("培训", 1, 0), Cell("清洁生产培训", 1, 1)]], page=1, locator="t1"),
    ])
    return doc


def test_evidence_equals_testing_every_keyword(docs, rules):
    sets = rules.items.keyword_sets
    for doc in docs + [_crafted_doc()]:
        assert find_evidence(doc, sets) == _evidence_one_by_one(doc, sets), doc.name
    crafted = {"a": ["培训&清洁生产", "培训"], "b": ["水平衡", "物料平衡&水平衡"], "c": ["  ", "绿化"],
               "d": ["审核&培训&清洁生产"]}
    assert find_evidence(_crafted_doc(), crafted) == _evidence_one_by_one(_crafted_doc(), crafted)
    assert sum(map(len, find_evidence(_crafted_doc(), crafted).values())) >= 6
    # a keyword of "&" alone matches every sentence that is no TOC line
    every = {"all": ["&"], "b": ["水平衡"]}
    assert find_evidence(_crafted_doc(), every) == _evidence_one_by_one(_crafted_doc(), every)


def test_a_toc_scanned_once_gives_what_each_call_scanning_gives(docs, rules):
    for doc in docs:
        toc = headings.scan_toc(doc)
        found = find_headings(doc)
        assert find_headings(doc, toc) == found
        assert detect_doc_type(doc, rules.outlines, found, toc) == \
            detect_doc_type(doc, rules.outlines, found)
        for template in rules.outlines.values():
            assert match_outline(doc, template, found, toc) == match_outline(doc, template, found)
            assert match_outline(doc, template, toc=toc) == match_outline(doc, template)


def test_word_bounds_forget_what_they_knew_before_a_term_was_added():
    """add_terms clears both caches of tokenisations: a title's words must not depend on which
    documents (and so which outline terms) came before it in the process."""
    from extractors.text_match import add_terms, word_bounds

    title = "甲乙丙丁戊己庚"
    before = word_bounds(title)
    add_terms(["甲乙丙丁戊"])
    after = word_bounds(title)
    assert 5 in after and not any(0 < b < 5 for b in after), (before, after)


def test_jieba_is_imported_without_pkg_resources_which_still_imports_later():
    import subprocess
    import sys

    code = ("import sys; from extractors.nlp import import_jieba; jb = import_jieba(); "
            "assert 'pkg_resources' not in sys.modules; "
            "assert jb.lcut('清洁生产审核') and jb.Tokenizer().lcut('水重复利用率'); "
            "import importlib.util; "
            "assert importlib.util.find_spec('pkg_resources') is None or __import__('pkg_resources')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert proc.returncode == 0, proc.stderr[-2000:]
