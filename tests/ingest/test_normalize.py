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
