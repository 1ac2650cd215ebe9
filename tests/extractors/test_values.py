"""The value grammar: numbers, percentages, comparators, ranges and units as reports write them."""
import pytest

from extractors.values import (ParsedValue, as_percent, canonical_unit, find_values, parse_cn_number,
                               parse_number, parse_value, split_joined_number)

# (text, value, comparator) for one rate in a cell or fragment
RATES = [
    ("95%", 95, "="), ("95 %", 95, "="), ("９５％", 95, "="), ("95.5%", 95.5, "="), ("100%", 100, "="),
    ("0%", 0, "="), ("0.5%", 0.5, "="), ("99.99%", 99.99, "="), ("95％", 95, "="), ("  95%  ", 95, "="),
    ("百分之九十五", 95, "="), ("百分之百", 100, "="), ("百分之一百", 100, "="), ("百分之七十点五", 70.5, "="),
    ("百分之九十九点九", 99.9, "="), ("百分之十", 10, "="), ("百分之五", 5, "="), ("百分之95", 95, "="),
    ("九成五", 95, "="), ("八成", 80, "="), ("九成", 90, "="), ("七成五", 75, "="), ("十成", 100, "="),
    ("千分之五", 0.5, "="), ("千分之三点五", 0.35, "="), ("5‰", 0.5, "="), ("千分之十", 1, "="),
    # bare numbers: a rate cell whose % was lost, or a fraction
    ("100", 100, "="), ("95", 95, "="), ("95.5", 95.5, "="), ("0.95", 95, "="), ("0.5", 50, "="),
    ("1.0", 100, "="), ("0.999", 99.9, "="), ("0", 0, "="),
    # "=" words
    ("达到95%", 95, "="), ("为95%", 95, "="), ("是95%", 95, "="), ("达95%", 95, "="), ("等于95%", 95, "="),
    ("均为95%", 95, "="), ("均达到95%", 95, "="), ("达到了95%", 95, "="), ("保持在95%", 95, "="),
    ("稳定在98%", 98, "="), ("=95%", 95, "="),
    # ">="
    ("95%以上", 95, ">="), ("达到95%以上", 95, ">="), ("95%及以上", 95, ">="), ("不低于95%", 95, ">="),
    ("不少于95%", 95, ">="), ("不小于95%", 95, ">="), ("≥95%", 95, ">="), (">=95%", 95, ">="),
    ("至少95%", 95, ">="), ("大于等于95%", 95, ">="), ("大于或等于95%", 95, ">="), ("均在95%以上", 95, ">="),
    ("保持在98%以上", 98, ">="), ("百分之九十五以上", 95, ">="), ("九成以上", 90, ">="), ("≥ 95 %", 95, ">="),
    # ">"
    ("超过90%", 90, ">"), ("高于90%", 90, ">"), ("大于90%", 90, ">"), (">90%", 90, ">"), ("逾90%", 90, ">"),
    ("均超过30%", 30, ">"),
    # "<="
    ("5%以下", 5, "<="), ("不超过5%", 5, "<="), ("不高于5%", 5, "<="), ("≤5%", 5, "<="), ("<=5%", 5, "<="),
    ("最高5%", 5, "<="), ("最多5%", 5, "<="), ("最高达到75%", 75, "<="), ("最高达到75", 75, "<="),
    ("不大于5%", 5, "<="), ("小于等于5%", 5, "<="), ("5%及以下", 5, "<="),
    # "<"
    ("低于95%", 95, "<"), ("不足90%", 90, "<"), ("小于5%", 5, "<"), ("<5%", 5, "<"), ("未达到70%", 70, "<"),
    # "~"
    ("约95%", 95, "~"), ("95%左右", 95, "~"), ("近95%", 95, "~"), ("接近90%", 90, "~"), ("大约90%", 90, "~"),
    ("将近90%", 90, "~"), ("约为95%", 95, "~"), ("大概90%", 90, "~"), ("95%上下", 95, "~"), ("≈95%", 95, "~"),
]


@pytest.mark.parametrize("text,value,comparator", RATES)
def test_rate(text, value, comparator):
    pv = parse_value(text)
    assert pv is not None, text
    assert pv.value == pytest.approx(value)
    assert pv.comparator == comparator
    assert pv.unit == "%"


RANGES = [
    ("85%~90%", 85, 90), ("85%-90%", 85, 90), ("85%至90%", 85, 90), ("85～90%", 85, 90), ("85-90%", 85, 90),
    ("85%到90%", 85, 90), ("85%—90%", 85, 90), ("92%～95%", 92, 95), ("85.5%~90.5%", 85.5, 90.5),
    ("在85%~90%之间", 85, 90),
]


@pytest.mark.parametrize("text,low,high", RANGES)
def test_range(text, low, high):
    vals = find_values(text)
    assert len(vals) == 1
    pv = vals[0]
    assert pv.comparator == "range"
    assert (pv.low, pv.high) == (low, high)
    assert pv.value == low


MALFORMED = [
    "%", "％", "百分之", "百分之点", "95%%", "1e5%", "1e5", "120%", "100.5%", "-5%", "－5%", "−5%", "", "   ",
    "abc", "95%a", "PM2.5", "COD5", "九十五", "95%和96%", "2023年", "12项", "100万元", "3.4.1", "90%~85%",
    "干成", "百分之百%", "１２０％", "2023", "101", "1,000", "千分之", "..", "%95",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_is_none(text):
    assert parse_value(text) is None


@pytest.mark.parametrize("junk", [None, 0, 12.5, b"95%", ["95%"], "９" * 500, "%" * 300, "百分之" * 80,
                                  "1" * 400 + "%", "\x00\x01", "(%)", "（%）"])
def test_never_raises(junk):
    parse_value(junk)  # returns None or a value, never raises
    if isinstance(junk, str):
        find_values(junk)


QUANTITIES = [
    ("0.35tce/t", 0.35, "tce/t"), ("125 kgce/t", 125, "kgce/t"), ("35.6千克标准煤/吨", 35.6, "kgce/t"),
    ("2.5 m3/t", 2.5, "m³/t"), ("0.82 m³/t", 0.82, "m³/t"), ("6.5立方米/吨", 6.5, "m³/t"),
    ("1.92kgce/万粒", 1.92, "kgce/万粒"), ("2.5 m3/t产品", 2.5, "m³/t"), ("398 kgce/t", 398, "kgce/t"),
    ("0.5吨标准煤/吨", 0.5, "tce/t"), ("12 kWh/t", 12, "kWh/t"), ("1,234.5kgce/t", 1234.5, "kgce/t"),
]


@pytest.mark.parametrize("text,value,unit", QUANTITIES)
def test_quantity(text, value, unit):
    pv = parse_value(text, "quantity")
    assert pv is not None
    assert pv.value == pytest.approx(value)
    assert canonical_unit(pv.unit) == unit


@pytest.mark.parametrize("text", ["0.35万元/t", "100万元", "95%", "5 t", "3.2"])
def test_not_a_quantity(text):
    assert parse_value(text, "quantity") is None


CN_NUMBERS = [("九十五", 95), ("百", 100), ("一百", 100), ("七十点五", 70.5), ("十五", 15), ("十", 10),
              ("二〇二三", 2023), ("一〇〇", 100), ("零点五", 0.5), ("九十九点九九", 99.99), ("两百", 200)]


@pytest.mark.parametrize("text,value", CN_NUMBERS)
def test_cn_number(text, value):
    assert parse_cn_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["九五十", "点", "七十点", "abc", "", "十点五五x"])
def test_cn_number_bad(text):
    assert parse_cn_number(text) is None


@pytest.mark.parametrize("text,value", [("95", 95), ("９５", 95), ("95.5", 95.5), ("1,234", 1234), ("九十", 90)])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text,pieces", [("66.6764.20", ["66.67", "64.20"]), ("95.196.5", ["95.1", "96.5"]),
                                          ("1.21.31.4", ["1.2", "1.3", "1.4"])])
def test_split_joined(text, pieces):
    assert split_joined_number(text) == pieces


@pytest.mark.parametrize("text", ["3.4.1", "1.2", "12"])
def test_split_joined_refuses(text):
    assert split_joined_number(text) is None


def test_find_values_in_sentence():
    vals = find_values("2021—2023年分别为95%、96%和98%，投资120万元")
    pct = [v.value for v in vals if v.unit == "%"]
    assert pct == [95, 96, 98]
    assert any(v.unit == "万元" and v.value == 120 for v in vals)
    assert any(v.unit == "年" and v.value == 2023 for v in vals)


def test_spans_cover_comparators():
    text = "水计量率达到95%以上，"
    (pv,) = find_values(text)
    assert text[pv.start:pv.end] == "达到95%以上"
    assert text[pv.num_start:pv.num_end] == "95"


def test_bare_number_needs_rate_context():
    (pv,) = find_values("回用率95")
    assert pv.bare
    assert as_percent(pv, rate_context=False) is None
    assert as_percent(pv).value == 95


def test_bare_one_is_ambiguous():
    # "1" could be 1% or 100%: say nothing
    assert parse_value("1") is None


def test_parsed_value_is_plain():
    pv = parse_value("95%")
    assert isinstance(pv, ParsedValue)
    assert pv.raw == "95%"
