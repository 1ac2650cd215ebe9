"""ingest.normalize: fold look-alikes, keep units, close gaps inside Chinese only."""
from __future__ import annotations

import pytest

from ingest.normalize import clean_line, close_cjk_gaps, normalize_text


@pytest.mark.parametrize("raw, expected", [
    ("水计量率达到９５％", "水计量率达到95%"),
    ("ＩＳＯ１４００１", "ISO14001"),
    ("（一）企业简况：", "(一)企业简况:"),
    ("⼀⼆三", "一二三"),                 # Kangxi radicals U+2F00, U+2F06 -> ordinary 一二
    ("⺟", "母"),                          # CJK radicals supplement (U+2E9F)
])
def test_look_alikes_are_folded(raw, expected):
    assert normalize_text(raw) == expected


def test_units_and_chinese_punctuation_are_kept():
    # NFKC would make these m3, °C and 0/00; a reviewer reads units as written.
    text = "取水量0.82 m³/t，温度35℃，含量3‰、达标。“合格”"
    assert normalize_text(text) == text


def test_ideographic_space_and_controls():
    assert normalize_text("企业\u3000简况") == "企业 简况"
    assert normalize_text("简\u200b况\u00ad\ufeff") == "简况"
    assert clean_line("\u3000\u3000企业简况\u3000") == "企业简况"


@pytest.mark.parametrize("raw, expected", [
    ("企 业 简 况", "企业简况"),
    ("第一章 企业概况", "第一章企业概况"),
    ("水 计 量 率 达 到 100%", "水计量率达到 100%"),
    ("ISO 14001 环境管理体系", "ISO 14001 环境管理体系"),
    ("GB 17167 和 GB 24789", "GB 17167 和 GB 24789"),
    ("企业\t简况", "企业简况"),
    ("认证， 达标。 合格", "认证，达标。合格"),
])
def test_cjk_gaps_closed_latin_spaces_kept(raw, expected):
    assert clean_line(raw) == expected


def test_close_cjk_gaps_alone_leaves_latin():
    assert close_cjk_gaps("ISO 14001") == "ISO 14001"
    assert close_cjk_gaps("企 业") == "企业"


def test_clean_line_folds_space_runs_and_strips():
    assert clean_line("  ISO    14001  ") == "ISO 14001"
    assert clean_line("") == ""


def test_the_fold_shortcut_misses_no_character():
    """normalize_text skips translate() when no character needs folding: over every code point
    (and text mixing each with plain CJK), the result equals always translating."""
    from ingest.normalize import _CONTROL, _TABLE

    def reference(text: str) -> str:
        return _CONTROL.sub("", text.translate(_TABLE))

    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        assert normalize_text(ch) == reference(ch), hex(cp)
    sample = "回用率９５％，⼀般固废 m³ ℃\u3000\u200b（一）"
    assert normalize_text(sample) == reference(sample) == "回用率95%，一般固废 m³ ℃ (一)"


def test_cjk_gap_shortcut_for_text_without_spaces():
    from ingest.normalize import _CJK_GAP, close_cjk_gaps

    for text in ["企 业 简 况", "企业简况", "企\t业", "ISO 14001 认证", ""]:
        assert close_cjk_gaps(text) == _CJK_GAP.sub("", text)
