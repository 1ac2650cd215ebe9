"""The C line builder (ingest/_lines_fast.c) against the Python one in ingest/pdf_chars.py.

pdf_chars.dedupe_chars and group_lines run in C when the extension is built; the Python
functions (_dedupe_chars_python, _group_lines_python) are the reference. On every page both
must give the same kept characters (the very same dicts, in the same order), the same fake-bold
ids and the same lines, field for field and float for float (compared by repr too, so that
-0.0 and 0.0 differ). Where the C code declines a page (it answers None), the public functions
run the Python one; where Python raises, they must raise the same.
"""
from __future__ import annotations

import copy
import math
import random
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from ingest import pdf_chars
from ingest.pdf_pdfium import PdfiumReader

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
    sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
BENCH = [p for p in (Path("/tmp/bench/longreport-200.pdf"),
                     Path.home() / ".cache" / "cpscreen-bench" / "longreport-200.pdf") if p.is_file()]


@pytest.fixture
def fast():
    module = pdf_chars._load_fast()
    if module is None:
        pytest.skip("ingest._lines_fast is not built (or CPSCREEN_NO_CEXT is set)")
    return module


# ------------------------------------------------------------------ comparing the two

def _outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return "raised", type(exc)


def _lines_key(lines):
    return [repr(ln) for ln in lines], [[type(v) for v in vars(ln).values()] for ln in lines]


def _assert_same(chars: list[dict], fast, *, c_must_take: bool = True) -> tuple:
    """dedupe_chars, then group_lines on the upright kept characters, in C and in Python."""
    ours = fast.dedupe_chars(chars, 1.0)
    ref = _outcome(pdf_chars._dedupe_chars_python, chars, 1.0)
    public = _outcome(pdf_chars.dedupe_chars, chars)
    if c_must_take:
        assert ours is not None
    if ours is not None:
        assert ref[0] == "ok"
        kept, bold = ours
        ref_kept, ref_bold = ref[1]
        assert type(kept) is list and type(bold) is set
        assert len(kept) == len(ref_kept) and all(a is b for a, b in zip(kept, ref_kept))
        assert bold == ref_bold
        assert kept is not chars
    if ref[0] == "raised":
        assert public == ref
        return None
    kept, bold = ref[1]
    assert public[0] == "ok" and public[1][0] == kept and public[1][1] == bold
    usable = [c for c in kept if c.get("upright", True) is not False]
    return _assert_same_lines(usable, bold, fast, c_must_take=c_must_take)


def _assert_same_lines(chars: list[dict], fake_bold, fast, *, c_must_take: bool = True):
    before = copy.copy(chars)
    ours = _outcome(fast.group_lines, chars, fake_bold)
    ref = _outcome(pdf_chars._group_lines_python, chars, fake_bold)
    public = _outcome(pdf_chars.group_lines, chars, fake_bold)
    assert chars == before and all(a is b for a, b in zip(chars, before))  # input untouched
    if c_must_take:
        assert ours[0] == "ok" and ours[1] is not None
    if ours[0] == "ok" and ours[1] is not None:
        assert ref[0] == "ok"
        assert ours[1] == ref[1]
        assert _lines_key(ours[1]) == _lines_key(ref[1])
    else:
        assert ours == ("ok", None), ours        # declined, not an error of its own
    if ref[0] == "ok":
        assert public[0] == "ok" and _lines_key(public[1]) == _lines_key(ref[1])
    else:
        assert public == ref
    return ref[1] if ref[0] == "ok" else None


# ------------------------------------------------------------------ real pages

@lru_cache(maxsize=None)
def _pages(path: Path) -> tuple[list[list[dict]], list[list[dict]]]:
    """Every page's characters as pdfplumber gives them, and as the pdfium reader gives them
    (the pages it reads)."""
    plumber, pdfium_pages = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            plumber.append([dict(c) for c in page.chars])
            page.close()
        reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
        try:
            for i in range(len(reader)):
                page = reader.read_page(i)
                if page is not None:
                    pdfium_pages.append(page.chars)
        finally:
            reader.close()
    return plumber, pdfium_pages


def _cell_like(chars: list[dict]) -> list[dict]:
    """A table cell's share of a page: the characters whose centre is in the left third."""
    if not chars:
        return []
    right = max(c["x1"] for c in chars)
    return [c for c in chars if (c["x0"] + c["x1"]) / 2 < right / 3]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_c_and_python_build_the_same_lines_on_every_corpus_page(path, fast):
    plumber, pdfium_pages = _pages(path)
    n_lines = 0
    for chars in plumber + pdfium_pages:
        lines = _assert_same(chars, fast)
        n_lines += len(lines)
        kept, bold = pdf_chars.dedupe_chars(chars)
        _assert_same_lines(_cell_like([c for c in kept if c["upright"]]), bold, fast)
    assert n_lines > 20


def test_a_fake_bold_pdf(fast, tmp_path):
    """pdfplumber's characters of a page drawn the way some generators make bold: twice,
    shifted (pdfium's reader leaves such pages to pdfplumber)."""
    pytest.importorskip("reportlab")
    wqy = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not Path(wqy).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", wqy, subfontIndex=0))
    path = tmp_path / "fake_bold.pdf"
    c = canvas.Canvas(str(path), pagesize=(595.27, 841.89))
    for text, x, y, size, twice in [("第一章 企业概况", 72, 740, 16, True),
                                    ("本企业水计量率达到100%，通过ISO 14001认证。", 96, 710, 12, False),
                                    ("清洁生产审核工作小组", 72, 680, 12, True)]:
        c.setFont("WQY", size)
        c.drawString(x, y, text)
        if twice:
            c.drawString(x + 0.3, y, text)
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        chars = [dict(ch) for ch in pdf.pages[0].chars]
    lines = _assert_same(chars, fast)
    assert [ln.fake_bold for ln in lines] == [True, False, True]


@pytest.mark.skipif(not BENCH, reason="the benchmark report has not been generated")
def test_c_and_python_build_the_same_lines_on_the_benchmark_report(fast):
    # the reader needs pdfminer's view of the pages (their fonts)
    with pdfplumber.open(BENCH[0]) as pdf:
        reader = PdfiumReader(BENCH[0].read_bytes(), None, [p.page_obj for p in pdf.pages])
        try:
            pages = [reader.read_page(i) for i in range(len(reader))]
        finally:
            reader.close()
    pages = [p for p in pages if p is not None]
    assert len(pages) > 150
    for page in pages:
        _assert_same(page.chars, fast)


# ------------------------------------------------------------------ synthetic pages

def _char(text, x0, top, size=12.0, font="BAAAAA+SimSun", w=None, h=None, doctop=None,
          upright=True):
    # floats, as both readers give them (an int goes to the Python path: see below)
    x0, top, size = float(x0), float(top), float(size)
    w = size if w is None else float(w)
    h = size if h is None else float(h)
    return {"text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + h,
            "doctop": top if doctop is None else doctop, "size": size, "fontname": font,
            "upright": upright}


def _line(text, x0, top, step=12.0, **kw):
    return [_char(t, x0 + step * i, top, **kw) for i, t in enumerate(text)]


def test_twins_fake_bold_and_near_twin_chains(fast):
    page = []
    for i, t in enumerate("第一章企业概况"):
        page.append(_char(t, 72 + 12 * i, 100, font="CAAAAA+SimHei"))
        page.append(_char(t, 72.3 + 12 * i, 100, font="CAAAAA+SimHei"))     # fake bold
    for i, t in enumerate("清洁生产"):
        page += [_char(t, 72 + 12 * i, 130)] * 2                            # the same dict twice
        page.append(_char(t, 72 + 12 * i, 130))                             # an equal one
    for k in range(5):
        page.append(_char("率", 300 + 0.6 * k, 130 + 0.6 * k))              # a chain
    for k in range(3):                                                      # twins, first last
        page.append(_char("量", 400 - 0.4 * k, 130 + 0.01 * k))
    page.append(_char("量", 400, 130, upright=False))                       # not its twin
    page.append(_char("量", 400, 130, font="X"))                            # nor this
    page.append(_char("量", 400, 130, size=12.5))                           # nor this
    page.append(_char("率", 300, 130, doctop=131.0))                        # within tolerance
    page.append(_char("率", 300, 130, doctop=-0.0))
    page.append(_char("率", 0.0, 130, doctop=0.0))
    page.append(_char("率", -0.0, 130, doctop=0.0))
    for i, t in enumerate("粗体粗体粗"):                                      # bold on 3 of 5:
        page.append(_char(t, 72 + 12 * i, 160))                             # 3 >= 0.6 * 5
    for i in range(3):
        page.append(_char("粗体"[i % 2], 72.2 + 12 * i, 160.1))
    for i, t in enumerate("粗体粗体粗"):                                      # 2 of 5
        page.append(_char(t, 72 + 12 * i, 190))
    for i in range(2):
        page.append(_char("粗体"[i % 2], 72.2 + 12 * i, 190.1))
    lines = _assert_same(page, fast)
    kept, bold = fast.dedupe_chars(page, 1.0)
    assert len(kept) < len(page) and bold
    assert [ln.fake_bold for ln in lines if ln.text.startswith("粗体")] == [True, False]
    for tolerance in (0.0, 0.5, 3.0, math.inf, math.nan, -1.0):
        ours = fast.dedupe_chars(page, tolerance)
        ref = pdf_chars._dedupe_chars_python(page, tolerance)
        assert ours[1] == ref[1] and all(a is b for a, b in zip(ours[0], ref[0]))
        assert len(ours[0]) == len(ref[0])
    assert fast.dedupe_chars(page, 1) is None                      # not a float: Python's
    assert pdf_chars.dedupe_chars(page, 1) == pdf_chars._dedupe_chars_python(page, 1)


def test_ties_in_the_sort_keys_keep_the_input_order(fast):
    page = [_char(t, 100.0, 50.0) for t in "甲乙丙丁"]                     # one place, four texts
    page += [_char(t, 100.0 + 12 * (i % 2), 80.0) for i, t in enumerate("戊己庚辛")]
    page += [_char("壬", 0.0, 0.0), _char("癸", -0.0, -0.0), _char("子", 0.0, -0.0)]
    page += [_char(t, 200.0, 80.0 + 0.5 * i, h=3.0) for i, t in enumerate("丑寅卯")]
    # glyphs of no or nearly no height inside a row: the height counts as at least 0.1
    page += [_char(t, 300.0 + 12 * i, 85.0, h=hh) for i, (t, hh) in
             enumerate(zip("辰巳午未申", [0.03, 0.06, 0.0, 0.1, -1.0]))]
    lines = _assert_same(page, fast)
    assert "甲乙丙丁" in "".join(ln.text for ln in lines)


def test_heading_numbers_before_a_tab_get_no_space(fast):
    page = []
    y = 50.0
    for label, rest in [("1.1", "生产工艺"), ("第一章", "企业概况"), ("（一）", "企业简况"),
                        ("一、", "总则"), ("①", "用水"), ("12.3.4.", "指标"), ("1 .", "x"),
                        ("2023年度", "报告"), ("十一、", "附件"), ("12345678901234", "长")]:
        for lead in ("", " ", "  "):
            chars = [_char(t, 72 + 6 * i, y, w=6.0) for i, t in enumerate(lead + label)]
            x = 72 + 6 * len(lead + label) + 30                              # the tab
            chars += [_char(t, x + 12 * i, y) for i, t in enumerate(rest)]
            chars.append(_char("页", x + 12 * len(rest) + 40, y))           # a second wide gap
            page += chars
            y += 20
    # label-length text as one multi-character text, and as 13 and 14 visible characters
    page += [_char("1.1", 72, y, w=14), _char("生", 120, y)]
    y += 20
    for n in (12, 13, 14):
        page += [_char(t, 72 + 6 * i, y, w=6.0) for i, t in enumerate(" " + "1" * n)]
        page.append(_char("生", 72 + 6 * (n + 1) + 40, y))
        y += 20
    # white space before the number does not count towards the label's length, and that
    # includes the spaces put in for wide gaps between ideographic spaces
    page += [_char(" ", 72 + 3 * i, y, w=3.0) for i in range(12)]
    page += [_char(t, 108 + 6 * i, y, w=6.0) for i, t in enumerate("1.1")]
    page.append(_char("生", 160, y))
    y += 20
    page += [_char("\u3000", 72 + 30 * i, y) for i in range(12)]
    page += [_char(t, 480 + 6 * i, y, w=6.0) for i, t in enumerate("1.1")]
    page.append(_char("生", 530, y))
    lines = _assert_same(page, fast)
    assert any(ln.text.startswith("1.1生产工艺") for ln in lines)
    assert sum(ln.text == "1.1生" for ln in lines) == 3


def test_latin_words_superscripts_and_multi_character_texts(fast):
    page = []
    for i, word in enumerate(["ISO", "14001", "m", "3", "(cid:5)", "ﬁ", "fi", "x"]):
        raised = word == "3"
        page.append(_char(word, 200 + 30 * i, 160 - (3 if raised else 0),
                          size=7.0 if raised else 12.0, font="DAAAAA+Arial", w=6 * len(word)))
    page += [_char(t, 72 + 4 * i, 200, size=8.0, w=3.5) for i, t in enumerate("Hello world, a b")]
    page += [_char("(cid:12)", 72 + 20 * i, 230, w=18.0) for i in range(3)]
    page += [_char(t, 72 + 13 * i, 260) for i, t in enumerate(["年", "(cid:7)", "月", "ab"])]
    # the width class is that of the last character before the gap and the first after it
    page += [_char(t, 72 + 30 * i, 290, w=24.0) for i, t in enumerate(["ab生", "x", "生ab", "y",
                                                                         "z", "生b", "c"])]
    lines = _assert_same(page, fast)
    assert any(ln.text.startswith("ab生x生ab y") for ln in lines)
    assert any(" " in ln.text for ln in lines)


def test_empty_and_white_space_texts(fast):
    # str.strip()'s white space is not C's isspace(): U+3000, U+1C–1F, U+85, U+A0 are white
    # space to Python; U+200B is not
    odd = ["", " ", "  ", "\t", "\u3000", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u200b",
           "\u3000甲", " a", "a ", "\x00", "\u180e"]
    page = []
    for row, first in enumerate(odd):
        for col, second in enumerate(odd):
            page.append(_char(first, 72 + 30 * col, 20.0 * row, w=10.0))
            page.append(_char(second, 84 + 30 * col, 20.0 * row, w=10.0))
    page += [_char(t, 72 + 10 * i, 400, w=8.0) for i, t in enumerate(["", "", " "])]   # no line
    page += [_char(t, 72 + 10 * i, 430, w=8.0) for i, t in enumerate(["\u200b", "\u200b"])]
    page += [_char(t, 72 + 30 * i, 460, w=8.0) for i, t in enumerate([" ", "1.", " ", "生", ""])]
    _assert_same(page, fast)
    assert fast.group_lines([], set()) == [] and fast.dedupe_chars([], 1.0) == ([], set())


def test_non_bmp_characters(fast):
    page = [_char(t, 72 + 14 * i, 100) for i, t in enumerate("𠀀𠀁x😀𝐀𝐁 好\U0010FFFF\ud800")]
    page += [_char(t, 72 + 30 * i, 130) for i, t in enumerate("𠀀a𝐀b😀")]
    lines = _assert_same(page, fast)
    assert any("𠀀" in ln.text for ln in lines)


def test_half_point_sizes_round_half_even(fast):
    page = []
    y = 10.0
    for size in (10.25, 10.75, 11.25, 0.25, 0.75, -0.25, -0.2, -0.0, 0.0, 1e300, 5e-324,
                 2.0 ** 52 + 0.5, 4503599627370497.0, 12.0, 10.499999999999998):
        page += [_char(t, 72 + 12 * i, y, size=size, h=10.0, w=10.0) for i, t in enumerate("一二")]
        y += 20
    # a tie between two sizes and two fonts: the first in the line's order wins
    page += [_char("甲", 72, y, size=10.25), _char("乙", 84, y, size=11.0, font="F2"),
             _char("丙", 96, y, size=10.0), _char("丁", 108, y, size=11.0, font="F2")]
    lines = _assert_same(page, fast)
    assert {ln.size for ln in lines} >= {10.0, 11.0, 0.0}
    assert any(repr(ln.size) == "0.0" for ln in lines)


def test_nan_and_infinite_values_are_python_s_to_decide(fast):
    nan, inf = math.nan, math.inf
    base = _line("企业概况", 72, 100) + _line("清洁生产", 72, 130)
    for key in ("x0", "x1", "top", "bottom", "doctop", "size"):
        for value in (nan, inf, -inf):
            for at in (0, 2, 5):
                page = copy.deepcopy(base)
                page[at][key] = value
                _assert_same(page, fast, c_must_take=False)
    page = copy.deepcopy(base)
    page[1]["text"] = " "
    page[1]["size"] = nan           # not visible: round() never sees it (dedupe declines it)
    _assert_same(page, fast, c_must_take=False)
    _assert_same_lines(page, set(), fast)
    page[1]["size"] = 1e308                         # size * 2 overflows only if visible
    _assert_same(page, fast)
    page[2]["size"] = 1e308                         # visible: round(inf) raises in Python
    assert _outcome(pdf_chars._group_lines_python, page, set())[0] == "raised"
    _assert_same(page, fast, c_must_take=False)
    # NaN and infinite values the C path takes: the same floats through the same comparisons
    for key, value in [("bottom", nan), ("x1", nan), ("bottom", inf), ("x1", -inf),
                       ("top", inf), ("x0", -inf), ("top", -inf)]:
        for at in (0, 3, 6):
            page = copy.deepcopy(base)
            page[at][key] = value
            _assert_same_lines(page, set(), fast)


def test_odd_values_go_to_python_and_raise_what_python_raises(fast):
    class Chars(dict):
        pass

    base = _line("企业概况", 72, 100) + _line("ISO 9001", 72, 130, step=6.0)
    cases = []
    for key in ("text", "x0", "x1", "top", "bottom", "doctop", "size", "fontname", "upright"):
        for value in (None, 1, True, "12", 12.0, Chars()):
            page = copy.deepcopy(base)
            page[3][key] = value
            cases.append(page)
        page = copy.deepcopy(base)
        del page[3][key]
        cases.append(page)
    page = copy.deepcopy(base)
    page[2] = Chars(page[2])
    cases.append(page)
    page = copy.deepcopy(base)
    page[2] = [("text", "x")]
    cases.append(page)
    for page in cases:
        _assert_same(page, fast, c_must_take=False)
    # other containers: a tuple is taken, an iterator is left to Python whole
    page = copy.deepcopy(base)
    assert fast.dedupe_chars(tuple(page), 1.0)[0] == page
    assert fast.dedupe_chars(iter(page), 1.0) is None
    assert fast.group_lines(iter(page), set()) is None
    assert pdf_chars.group_lines(iter(page), set()) == pdf_chars._group_lines_python(page, set())
    assert fast.group_lines(page, frozenset()) == pdf_chars._group_lines_python(page, frozenset())
    assert fast.group_lines(page, []) is None
    with pytest.raises(TypeError):
        fast.group_lines(page)
    with pytest.raises(TypeError):
        fast.dedupe_chars(page)


def test_errors_of_the_python_rules_come_through(fast):
    page = _line("1.1", 72, 100, step=6.0) + [_char("生", 130, 100)]

    def broken(text):
        raise RuntimeError("clean_line")

    try:
        fast.configure(pdf_chars._LABEL.match, pdf_chars._LABEL_MAX, pdf_chars._WIDE,
                       pdf_chars._wide, broken, pdf_chars.font_family, pdf_chars.Line)
        with pytest.raises(RuntimeError):
            fast.group_lines(page, set())
    finally:
        pdf_chars._load_fast()
    assert fast.group_lines(page, set()) == pdf_chars._group_lines_python(page, set())
    with pytest.raises(TypeError):
        fast.configure(1, 2, {}, 3, 4, 5, 6)


def test_random_pages(fast):
    """Pages drawn from few values, so that ties, twins, chains, gaps, labels and odd
    values meet in every combination."""
    rng = random.Random(20241121)
    texts = ["生", "产", "1", ".", "1.1", "第", "章", " ", "", "a", "(cid:3)", "\u3000", "𠀀",
             "、", "（", "一", "）", "m", "³", "\x1c"]
    coords = [0.0, -0.0, 0.3, 0.5, 1.0, 1.2, 6.0, 11.0, 12.0, 12.3, 24.0, 40.0, 100.0]
    sizes = [0.0, 0.5, 0.75, 1.0, 7.0, 10.25, 10.75, 12.0, 12.0, 12.0]
    fonts = ["A+SimSun", "A+SimSun", "B+SimHei", "Arial"]
    n_taken = 0
    for _ in range(600):
        page = []
        for _ in range(rng.randint(0, 40)):
            if page and rng.random() < 0.2:                       # a twin, maybe shifted
                ch = dict(rng.choice(page))
                ch["x0"] += rng.choice([0.0, 0.0, 0.3, 0.9, 1.5])
                ch["doctop"] += rng.choice([0.0, 0.5, 1.1])
                page.append(ch)
                continue
            x0, top = rng.choice(coords) * 3, rng.choice(coords) * 2
            page.append({"text": rng.choice(texts), "x0": x0, "x1": x0 + rng.choice(coords),
                         "top": top, "bottom": top + rng.choice(coords) - 1.0,
                         "doctop": top + rng.choice([0.0, 0.0, 0.4]),
                         "size": rng.choice(sizes), "fontname": rng.choice(fonts),
                         "upright": rng.random() < 0.9})
        if rng.random() < 0.05 and page:
            rng.choice(page)[rng.choice(["x0", "top", "size", "bottom"])] = \
                rng.choice([math.nan, math.inf, -math.inf])
        if _assert_same(page, fast, c_must_take=False) is not None and \
                fast.dedupe_chars(page, 1.0) is not None:
            n_taken += 1
    assert n_taken > 500
