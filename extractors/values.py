"""The value grammar: numbers, percentages, comparators and units as Chinese reports write them.

Two entry points:

- `find_values(text)` scans a sentence and returns every value expression in it, with its span,
  so the indicator linker can pick the one that belongs to a term;
- `parse_value(text, kind)` reads one cell or fragment that should hold exactly one value
  (a table cell, a test case) and returns it, or None.

A value expression is an optional comparator word before the number ("不低于", "≥", "约"), the
number (arabic, "百分之九十五", "九成五", "千分之五"), its unit ("%", "‰", "kgce/t", or none =
bare) and an optional comparator after it ("以上", "以下", "左右"). Ranges ("85%~90%") have low
and high. Nothing here raises on odd input: what cannot be read is simply not a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

# Comparator words, written the way reports write them. Longest first matters only inside
# one table; the scanner below picks the word that ends closest to the number.
PREFIX_COMPARATORS: dict[str, str] = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=", "≥": ">=", ">=": ">=", "⩾": ">=",
    "小于或等于": "<=", "小于等于": "<=", "不超过": "<=", "不高于": "<=", "不大于": "<=",
    "最高": "<=", "最多": "<=", "≤": "<=", "<=": "<=", "⩽": "<=",
    "超过": ">", "高于": ">", "大于": ">", "逾": ">", ">": ">",
    "低于": "<", "不足": "<", "不到": "<", "小于": "<", "未达到": "<", "<": "<",
    "大约": "~", "大概": "~", "接近": "~", "将近": "~", "约": "~", "近": "~", "≈": "~",
    "达到了": "=", "达到": "=", "达": "=", "为": "=", "是": "=", "等于": "=", "=": "=",
}
SUFFIX_COMPARATORS: dict[str, str] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "左右": "~", "上下": "~",
}
# Words that may stand between a comparator word and the number without changing it
# ("不低于为", "达到了", "均在", "稳定在").
_FILLER = re.compile(r"^(?:\s|均|都|皆|已|了|在|于|至|到|为|达到|达|是|保持|维持|稳定|分别|：|:|\u3000)*$")

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇○一二两三四五六七八九十百千"

# Units a number can carry. A quantity unit is "<amount>/<per product>"; per 万元 is output
# value, a different indicator, and is not a quantity unit here.
_Q_NUMERATOR = (r"kgce|kgoe|tce|toe|gce|kg\s*ce|t\s*ce|g\s*ce|克标准煤|克标煤|千克标准煤|千克标煤|公斤标准煤|公斤标煤|kg标准煤|kg标煤|"
                r"吨标准煤|吨标煤|t标准煤|t标煤|kW\s*·?\s*h|kWh|千瓦时|度电|GJ|MJ|"
                r"m³|m3|M3|立方米|立方|吨水|t水|升|L")
_Q_DENOM = (r"[万千百](?:m²|㎡|m2|平方米)|t|吨|m³|m3|立方米|件|箱|台|只|头|kg|千克|万块|块|平方米|m²|㎡|"
            r"t产品|吨产品|t糖|吨糖|t浆|吨浆|t纸|吨纸|t钢|吨钢|t水泥|吨水泥|t熟料|吨熟料|t原料|吨原料|"
            r"t蔗|吨蔗|t甘蔗|吨甘蔗|t酒|吨酒|kL|千升|万kWh|MWh|kWh|千瓦时|t标煤|ADt|Adt|adt|ADT|"
            r"吨[\u4e00-\u9fff]{1,2}|t[\u4e00-\u9fff]{1,2}|万[\u4e00-\u9fff]|百[\u4e00-\u9fff]|千[\u4e00-\u9fff]|[件箱粒片支瓶袋包张]")
# tonnes of water per square metre or per tonne ("0.065 t/m²") only with a "per": a bare t is a mass
QUANTITY_UNIT = re.compile(rf"(?:{_Q_NUMERATOR}|t|吨)\s*/\s*(?:{_Q_DENOM})(?![A-Za-z])")
# an amount with no "per": only a quantity when the indicator's name says per what ("吨纸综合能耗")
QUANTITY_AMOUNT = re.compile(rf"(?:{_Q_NUMERATOR})(?![A-Za-z])")
# Units that make a number something other than a rate or a quantity: a count, money,
# a date, a concentration. Only used to say "this is not bare".
OTHER_UNIT = re.compile(
    r"个百分点|百分点|年度|年|月|日|号|天|小时|h(?![A-Za-z])|项|个|只|台|套|座|家|次|人|名|批|条|万吨|"
    r"吨|t(?![A-Za-z])|千克|公斤|kg|克|g(?![A-Za-z])|亿元|万元|千元|元|万|亿|千|平方米|㎡|m²|m³|立方米|方|"
    r"km|mm|cm|m(?![A-Za-z])|升|L(?![A-Za-z])|mg|μg|ug|dB|分贝|度|kWh|千瓦时|MW|kW|W(?![A-Za-z])|℃|°C|倍|"
    r"种|类|期|份|页|级|分|周|倍|户|处|棵|株|亩|公顷|hm|kV|V(?![A-Za-z])|A(?![A-Za-z])|Pa|MPa|kPa|"
    r"ppm|mol|t/h|吨/时|吨/小时|m/s|GJ|MJ|kJ|tce|kgce|吨标准煤|吨标煤")


@dataclass(frozen=True)
class ParsedValue:
    """One value expression found in a text.

    `value` is the number as written, converted to percent for "%", "‰", "百分之…",
    "千分之…" and "九成"; `unit` is "%" for those, "" for a bare number and the written
    (normalised) unit for a quantity or anything else. `start`/`end` span the whole
    expression, comparator words included; `num_start`/`num_end` the number alone.
    """

    value: float
    comparator: str
    unit: str
    start: int
    end: int
    num_start: int
    num_end: int
    raw: str
    low: float | None = None
    high: float | None = None
    decimals: int = 0
    percent_form: str = ""   # how the percent was written: "%", "‰", "百分之", "成", ""

    @property
    def bare(self) -> bool:
        return self.unit == ""

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


# -- numbers ---------------------------------------------------------------------------

def parse_cn_integer(s: str) -> int | None:
    """Chinese integer numerals: 九十五, 一百, 百, 七十, 十五, 一〇〇, 二〇二三."""
    if not s or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in s):
        return None
    if all(ch in CN_DIGITS for ch in s):
        # digit by digit, as in 二〇二三 or 一〇〇
        n = 0
        for ch in s:
            n = n * 10 + CN_DIGITS[ch]
        return n
    total, current = 0, None
    for ch in s:
        if ch in CN_DIGITS:
            if current is not None:
                return None  # two digits in a row inside a unit numeral: 九五十
            current = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            total += (1 if current is None else current) * unit
            current = None
    if current is not None:
        total += current
    return total


def parse_cn_number(s: str) -> float | None:
    """Chinese numerals with an optional decimal part: 七十点五, 九十九点九, 百."""
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = parse_cn_integer(whole) if whole else 0
        if w is None or not frac or any(ch not in CN_DIGITS for ch in frac):
            return None
        return float(f"{w}." + "".join(str(CN_DIGITS[ch]) for ch in frac))
    n = parse_cn_integer(s)
    return None if n is None else float(n)


def parse_number(s: str) -> float | None:
    """An arabic (half- or full-width) or Chinese number; None if it is not exactly one."""
    if s is None:
        return None
    s = s.strip().translate(_FW_DIGITS)
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    return parse_cn_number(s)


_FW_DIGITS = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FW_DIGITS[0x3000] = 0x20


# -- the scanner ------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?"
_PCT = r"\s*(?:%|％)"
# Ordered alternatives; each has a named number group and the scanner knows its unit.
_PATTERNS = [
    # ranges first: 85%~90%, 85%-90%, 85%至90%, 85～90%, 85-90%
    ("range", re.compile(
        rf"(?P<lo>{_NUM})(?P<lopct>{_PCT})?\s*(?:~|～|-|－|—|–|至|到)\s*(?P<hi>{_NUM}){_PCT}")),
    ("cn_pct", re.compile(rf"百分之(?P<cn>[{_CN_NUM}点]+|{_NUM})")),
    ("cn_permille", re.compile(rf"千分之(?P<cn>[{_CN_NUM}点]+|{_NUM})")),
    # common fractions: 四分之一, 三分之二 (a share, read as a percent)
    ("cn_fraction", re.compile(r"(?<![百千万])(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])(?![十百千点])")),
    ("cheng", re.compile(r"(?<![\u4e00-\u9fff])(?P<a>[一二三四五六七八九十])成(?P<b>[一二三四五六七八九])?"
                         r"|(?<=[达为到近约超逾的占过])(?P<a2>[一二两三四五六七八九十])成(?P<b2>[一二三四五六七八九])?")),
    # "占了一半", "约为投资的一半": half, read as a percent (only after a verb of share or size)
    ("half", re.compile(r"(?<=[达为到近约超逾的占了])一半(?![以])")),
    # table cells run together in flattened PDF text: "66.6764.20" is 66.67 and 64.20
    ("joined", re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?:\.\d+)*(?![\d.])")),
    ("pct", re.compile(rf"(?P<n>{_NUM})\s*(?P<u>%|％|‰)")),
    ("num", re.compile(rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_NUM})")),
]


# What a text must contain for each pattern to match in it: one string of every group. Most
# sentences hold no %, 成 or 分之, and substring tests are cheaper than the pattern's search.
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "range": (("%", "％"), ("~", "～", "-", "－", "—", "–", "至", "到")),
    "cn_pct": (("百分之",),), "cn_permille": (("千分之",),), "cn_fraction": (("分之",),),
    "cheng": (("成",),), "half": (("一半",),), "joined": ((".",),), "pct": (("%", "％", "‰"),),
}


# and a range, two numbers with a separator between them (the % comes later)
_RANGE_SHAPE = re.compile(r"\d\s*(?:%|％)?\s*(?:~|～|-|－|—|–|至|到)\s*\d")


def _may_match(kind: str, text: str) -> bool:
    for group in _NEEDS[kind]:
        for needed in group:
            if needed in text:
                break
        else:
            return False
    if kind == "range":
        return _RANGE_SHAPE.search(text) is not None
    if kind == "joined":
        return text.count(".") >= 2
    return True


def _decimals(s: str) -> int:
    return len(s.split(".", 1)[1]) if "." in s else 0


def _prefix_comparator(text: str, start: int) -> tuple[str | None, int]:
    """The comparator word before `start` (fillers such as 达到/均/在 may stand between).

    A word that states a direction (不低于, 最高, 超过) wins over one that only says "is"
    (达到, 为): "最高达到75" is "<=". Among direction words the one ending closest to the
    number wins, and of two ending together the longer ("不低于" over "低于").
    """
    window_start = max(0, start - 12)
    window = text[window_start:start]
    if not _PREFIX_START.search(window):
        return None, start
    candidates: list[tuple[str, int, int]] = []  # comparator, start, end (absolute)
    # Each word's last occurrence with only fillers after it. One walk from the right over
    # the window's characters finds them for all words at once; an occurrence overlapping
    # one of the same word already tried is passed over, as a search from the right would.
    tried_from: dict[str, int] = {}    # word -> where its last tried occurrence starts
    done: set[str] = set()
    filler_after: dict[int, bool] = {}
    for pos in range(len(window) - 1, -1, -1):
        for word, comp in _PREFIX_BY_FIRST.get(window[pos], ()):
            if word in done or not window.startswith(word, pos):
                continue
            end = pos + len(word)
            if end > tried_from.get(word, end):
                continue
            tried_from[word] = pos
            ok = filler_after.get(end)
            if ok is None:
                ok = filler_after[end] = _FILLER.match(window[end:]) is not None
            if ok:
                done.add(word)
                candidates.append((comp, window_start + pos, window_start + end))
    if not candidates:
        return None, start
    directed = [c for c in candidates if c[0] != "="]
    if directed:
        comp, a, _ = max(directed, key=lambda c: (c[2], c[2] - c[1]))
        return comp, a
    comp, a, _ = min(candidates, key=lambda c: c[1])
    return comp, a


# the comparator words by their first character, for the walk in _prefix_comparator
_PREFIX_BY_FIRST: dict[str, tuple[tuple[str, str], ...]] = {}
for _word, _comp in PREFIX_COMPARATORS.items():
    _PREFIX_BY_FIRST[_word[0]] = _PREFIX_BY_FIRST.get(_word[0], ()) + ((_word, _comp),)
_PREFIX_START = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_PREFIX_BY_FIRST)) + "]")
_SUFFIX_FIRST = frozenset(w[0] for w in SUFFIX_COMPARATORS)


def _suffix_comparator(text: str, end: int) -> tuple[str | None, int]:
    rest = text[end:end + 6]
    skip = len(rest) - len(rest.lstrip(" "))
    if rest[skip:skip + 1] not in _SUFFIX_FIRST:
        return None, end
    for word, comp in SUFFIX_COMPARATORS.items():
        if rest[skip:].startswith(word):
            return comp, end + skip + len(word)
    return None, end


def _bad_before(text: str, start: int) -> bool:
    """A number glued to letters or digits before it (COD5, PM2.5, 1e5) or negative is not a value."""
    before = text[start - 1] if start > 0 else ""
    if before and before.isascii() and (before.isalnum() or before in "._"):
        return True
    if before in ("-", "－", "−") and not (start >= 2 and (text[start - 2].isdigit() or text[start - 2] in "%％")):
        return True  # a negative number, not the second end of a range
    return False


def _bad_after(text: str, end: int) -> bool:
    after = text[end] if end < len(text) else ""
    return bool(after) and (after in "%％‰" or (after.isascii() and after.isalpha()))


def find_values(text: str, skip_numbers_in: Sequence[tuple[int, int]] = ()) -> list[ParsedValue]:
    """Every value expression in `text`, left to right, never overlapping. Never raises.

    A plain number (no %, no Chinese numeral) whose digits start inside one of the spans
    `skip_numbers_in` (the years of the sentence, say) is left out: the same as dropping it
    from the result, since plain numbers are read last and take nothing from other values,
    only cheaper.
    """
    if not text:
        return []
    try:
        return _find_values(text, skip_numbers_in)
    except Exception:  # noqa: BLE001 - the grammar must never take the run down
        return []


def _find_values(text: str, skip_numbers_in: Sequence[tuple[int, int]] = ()) -> list[ParsedValue]:
    plain = _PLAIN_VALUE.fullmatch(text)
    if plain and not skip_numbers_in:
        return [_plain_value(text, plain)]
    taken: list[tuple[int, int]] = []
    found: list[ParsedValue] = []

    def free(a: int, b: int) -> bool:
        for s, e in taken:
            if not (b <= s or a >= e):
                return False
        return True

    for kind, rx in _PATTERNS:
        if kind in _NEEDS and not _may_match(kind, text):
            continue
        for m in rx.finditer(text):
            a, b = m.span()
            if taken and not free(a, b):
                continue
            if kind == "num" and skip_numbers_in and any(s <= a < e for s, e in skip_numbers_in):
                continue
            if kind == "joined":
                taken.append((a, b))
                found.extend(_split_joined(m.group(0), a, text))
                continue
            pv = _build(kind, m, text)
            if pv is None:
                # a malformed expression still uses its characters, so its digits are not
                # read again as a bare number ("95%%", "1e5%")
                if kind in ("pct", "range"):
                    taken.append((a, b))
                continue
            taken.append((pv.num_start, pv.num_end if kind != "range" else b))
            found.append(pv)
    found.sort(key=lambda v: v.num_start)
    return found


# A text that is one number, or one number and %, as most table cells are ("96.5", "100%"):
# the scanner below would read it as exactly one value, built as _plain_value builds it (no
# other pattern can match, nothing stands before or after it).
_PLAIN_VALUE = re.compile(r"(?P<n>\d+(?:\.\d+)?)(?P<u>%?)")


def _plain_value(text: str, m: re.Match) -> ParsedValue:
    n_s = m.group("n")
    unit = m.group("u")
    return ParsedValue(value=float(n_s), comparator="=", unit=unit, start=0, end=len(text), num_start=0,
                       num_end=len(n_s), raw=text, decimals=_decimals(n_s), percent_form=unit)


def split_joined_number(s: str) -> list[str] | None:
    """"66.6764.20" -> ["66.67", "64.20"]: every piece has as many decimals as the last one."""
    parts = s.split(".")
    if len(parts) < 3:
        return None
    d = len(parts[-1])
    out, whole = [], parts[0]
    for mid in parts[1:-1]:
        if len(mid) <= d or not whole:
            return None
        out.append(f"{whole}.{mid[:d]}")
        whole = mid[d:]
    out.append(f"{whole}.{parts[-1]}")
    return out


def _split_joined(s: str, offset: int, text: str) -> list[ParsedValue]:
    pieces = split_joined_number(s)
    if not pieces or _bad_before(text, offset) or _bad_after(text, offset + len(s)):
        return []
    out, pos = [], offset
    for p in pieces:
        out.append(ParsedValue(value=float(p), comparator="=", unit="", start=pos, end=pos + len(p),
                               num_start=pos, num_end=pos + len(p), raw=p, decimals=_decimals(p)))
        pos += len(p)
    return out


def _build(kind: str, m: re.Match, text: str) -> ParsedValue | None:
    a, b = m.span()
    unit, form = "", ""
    low = high = None
    decimals = 0
    after = text[b] if b < len(text) else ""
    if kind == "range":
        lo_s, hi_s = m.group("lo"), m.group("hi")
        if _bad_before(text, m.start("lo")) or _bad_after(text, b):
            return None
        low, high = float(lo_s), float(hi_s)
        if low > high:
            return None
        value, unit, form = low, "%", "%"
        decimals = max(_decimals(lo_s), _decimals(hi_s))
        num_start, num_end = m.start("lo"), b
    elif kind in ("cn_pct", "cn_permille"):
        raw_n = m.group("cn")
        n = parse_number(raw_n)
        if n is None or raw_n.endswith("点") or (after and after in "%％‰"):
            return None
        value = n if kind == "cn_pct" else n / 10
        unit, form = "%", ("百分之" if kind == "cn_pct" else "千分之")
        decimals = _decimals(repr(value)) if value != int(value) else 0
        num_start, num_end = a, b
    elif kind == "cn_fraction":
        den, num = parse_cn_integer(m.group("den")), parse_cn_integer(m.group("num"))
        if not den or not num or num > den:
            return None
        value = round(num * 100.0 / den, 2)
        unit, form = "%", "分之"
        decimals = _decimals(repr(value)) if value != int(value) else 0
        num_start, num_end = a, b
    elif kind == "half":
        value, unit, form = 50.0, "%", "成"
        num_start, num_end = a, b
    elif kind == "cheng":
        d1 = m.group("a") or m.group("a2")
        d2 = m.group("b") or m.group("b2")
        if d1 == "十" and d2:
            return None
        value = (10 if d1 == "十" else CN_DIGITS[d1]) * 10 + (CN_DIGITS[d2] if d2 else 0)
        unit, form = "%", "成"
        num_start, num_end = a, b
    else:
        n_s = m.group("n")
        num_start, num_end = m.start("n"), m.end("n")
        if _bad_before(text, num_start):
            return None
        if kind == "pct":
            if _bad_after(text, b):
                return None  # 95%%, 95%a
            u = m.group("u")
            value = float(n_s) / (10 if u == "‰" else 1)
            unit, form = "%", ("‰" if u == "‰" else "%")
            decimals = _decimals(n_s) + (1 if u == "‰" else 0)
        else:
            value = float(n_s.replace(",", ""))
            decimals = _decimals(n_s)
            rest = text[b:b + 24]
            lead = len(rest) - len(rest.lstrip(" "))
            r = rest[lead:]
            qm = QUANTITY_UNIT.match(r) or QUANTITY_AMOUNT.match(r)
            if qm:
                unit = normalise_unit(qm.group(0))
                b = b + lead + qm.end()
            elif not _is_comparator_suffix(r):
                om = OTHER_UNIT.match(r)
                if om:
                    unit = om.group(0)
                    b = b + lead + om.end()
            if not unit and _bad_after(text, num_end):
                return None  # 1e5, 3a
            if "," in n_s and not unit:
                return None
    comp, cstart = _prefix_comparator(text, num_start)
    scomp, send = _suffix_comparator(text, b)
    comparator = comp or "="
    start = min(a, cstart) if comp else a
    if scomp is not None:
        # a suffix states the direction; a prefix such as 达到/为 only says "is"
        if comparator == "=" or comparator == scomp:
            comparator = scomp
        elif comparator == ">" and scomp == ">=":
            comparator = ">"
        elif comparator == "<" and scomp == "<=":
            comparator = "<"
        b = send
    if kind == "range":
        comparator = "range"
    if value < 0:
        return None
    return ParsedValue(value=value, comparator=comparator, unit=unit, start=start, end=b,
                       num_start=num_start, num_end=num_end, raw=text[start:b], low=low, high=high,
                       decimals=decimals, percent_form=form)


def _is_comparator_suffix(rest: str) -> bool:
    r = rest.lstrip()
    return r[:1] in _SUFFIX_FIRST and any(r.startswith(w) for w in SUFFIX_COMPARATORS)


_CANON_NUM = [
    (re.compile(r"^(?:千克标准煤|千克标煤|公斤标准煤|公斤标煤|kg标准煤|kg标煤|kgce|kg\s*ce)"), "kgce"),
    (re.compile(r"^(?:吨标准煤|吨标煤|t标准煤|t标煤|tce|t\s*ce)"), "tce"),
    (re.compile(r"^(?:克标准煤|克标煤|gce|g\s*ce)"), "gce"),
    (re.compile(r"^(?:立方米|立方|m³|m3|M3)"), "m³"),
    (re.compile(r"^(?:千瓦时|kW\s*·?\s*h|kWh|度电)"), "kWh"),
]
_CANON_DEN = re.compile(r"^(?:t|吨)(?:产品|[\u4e00-\u9fff]{1,2})?$")


def canonical_unit(unit: str) -> str:
    """A quantity unit written one way: 千克标准煤/吨 -> kgce/t, 立方米/吨 -> m³/t, m3/t产品 -> m³/t."""
    u = normalise_unit(unit)
    num, sep, den = u.partition("/")
    for rx, canon in _CANON_NUM:
        if rx.match(num):
            num = rx.sub(canon, num)
            break
    if sep:
        den = "t" if _CANON_DEN.match(den) else den.replace("立方米", "m³").replace("千瓦时", "kWh")
    return num + sep + den


_ENERGY_NUM = re.compile(r"^(?:kgce|tce|gce|kgoe|toe|kWh|GJ|MJ|kgoe|万kWh|MWh)$")
_WATER_NUM = re.compile(r"^(?:m³|t|吨|L|升|吨水|t水|kL|千升)$")


def unit_family(unit: str) -> str:
    """What a quantity unit measures: "energy" (kgce/t, kWh/件 …), "water" (m³/t, t/m² …) or ""."""
    num = canonical_unit(unit).partition("/")[0]
    if _ENERGY_NUM.match(num):
        return "energy"
    if _WATER_NUM.match(num):
        return "water"
    return ""


def normalise_unit(unit: str) -> str:
    """A quantity unit as written, with spaces removed and m3 written m³."""
    u = re.sub(r"\s+", "", unit)
    u = re.sub(r"(?<![A-Za-z])[mM]3", "m³", u)
    u = u.replace("kW·h", "kWh")
    return u


# -- one value from a fragment -----------------------------------------------------------

def as_percent(pv: ParsedValue, *, rate_context: bool = True) -> ParsedValue | None:
    """The value as a percent rate, or None.

    A percent is kept when 0 <= v <= 100. A bare number after a rate term is read as a
    percent that lost its sign (real reports write "达标率100") when 1 < v <= 100, and as a
    fraction when it has a decimal point and is <= 1 ("0.95" -> 95). Anything else is not a
    rate.
    """
    if pv.unit == "%":
        if pv.comparator == "range":
            if pv.low is None or pv.high is None or not (0 <= pv.low <= pv.high <= 100):
                return None
            return pv
        return pv if 0 <= pv.value <= 100 else None
    if pv.unit != "" or not rate_context:
        return None
    v = pv.value
    if pv.decimals > 0 and 0 < v <= 1:
        return replace(pv, value=round(v * 100, 6), unit="%", decimals=max(0, pv.decimals - 2))
    if 1 < v <= 100:
        return replace(pv, unit="%")
    if v == 0 and pv.decimals == 0:
        return replace(pv, unit="%")
    return None


_LEFTOVER_DIGIT = re.compile(r"[\d%％‰]")


def parse_value(text: str, kind: str = "rate") -> ParsedValue | None:
    """The one value in a cell or fragment, or None.

    kind "rate": a percent 0..100 (a bare number counts as a percent, see as_percent);
    kind "quantity": a number with a quantity unit (kgce/t, m³/t …);
    kind "any": whatever the scanner reads first.
    The fragment must hold exactly one value expression; "95%%", "1e5%", "百分之" give None.
    """
    if text is None:
        return None
    try:
        s = str(text).translate(_FW_DIGITS).strip()
    except Exception:  # noqa: BLE001
        return None
    if not s or len(s) > 200:
        return None
    vals = find_values(s)
    # years, counts and concentrations are values of their own kind; a rate cell holds one number
    if len(vals) != 1:
        return None
    pv = vals[0]
    if kind != "any" and _LEFTOVER_DIGIT.search(s[:pv.start] + s[pv.end:]):
        return None  # leftovers with digits: "95%%", "1e5%", "2023年 95%"
    if kind == "rate":
        return as_percent(pv)
    if kind == "quantity":
        return pv if pv.unit and pv.unit not in ("%",) and QUANTITY_UNIT.fullmatch(pv.unit) else None
    return pv
