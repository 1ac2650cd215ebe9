"""XML plumbing for numbering.xml: render Word's automatic numbering as text.

Word does not store "一、" or "1.2" in the paragraph; it stores a reference
(`w:numPr`: numId + ilvl, on the paragraph or inherited from its style) into
numbering.xml, where a `w:num` points at a `w:abstractNum` whose `w:lvl`
elements give the start value, number format and a pattern such as "%1、" or
"%1.%2". `Numbering.label()` replays Word's counters paragraph by paragraph, so
call it once per paragraph in reading order.

Counter model (what Word does for the cases we meet in audit reports):
- nums that point at the same abstractNum share one set of counters, so a list
  continues across them; a num with a `w:startOverride` is its own list instance
  (Word's "restart numbering") with its own counters;
- using a level resets every lower level, unless that level's `w:lvlRestart`
  says it restarts only after a higher level (0 = never restarts);
- a level that has not been used yet shows its start value in "%1.%2";
- `w:isLgl` on a level shows every number in its pattern as decimal.
A `w:start` that is missing counts as 1 (generators that omit it mean 1).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .docx_styles import W, StyleSheet, on_off, w_val
from .normalize import clean_line

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ["", "十", "百", "千"]
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_UNITS = ["", "拾", "佰", "仟"]
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
# Labels ending in these take no space before the text ("一、", "（一）", "①", "第一章").
_PUNCT_END = re.compile(r"[.,:;)\]}]$")
_CJK_END = re.compile(r"[\u2460-\u24ff\u3200-\u32ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                      r"，。、；：？！“”‘’（）《》【】]$")


# -- number formats -------------------------------------------------------------

def _chinese_below_10000(n: int, digits: str, units: list[str]) -> str:
    parts: list[str] = []
    text = str(n)
    gap = False
    for i, ch in enumerate(text):
        d = int(ch)
        pos = len(text) - 1 - i
        if d == 0:
            gap = True
            continue
        if gap and parts:
            parts.append(digits[0])
        gap = False
        parts.append(digits[d] + units[pos])
    return "".join(parts)


def chinese_number(n: int, legal: bool = False) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 101 -> 一百零一 (legal: 壹, 拾壹 ...)."""
    digits, units = (_CN_LEGAL_DIGITS, _CN_LEGAL_UNITS) if legal else (_CN_DIGITS, _CN_UNITS)
    if n <= 0:
        return digits[0] if n == 0 else str(n)
    if n >= 100_000_000:
        return str(n)
    high, low = divmod(n, 10_000)
    if high:
        out = _chinese_below_10000(high, digits, units) + ("萬" if legal else "万")
        if low:
            out += (digits[0] if low < 1000 else "") + _chinese_below_10000(low, digits, units)
        return out
    out = _chinese_below_10000(n, digits, units)
    if 10 <= n < 20 and not legal:
        out = out[1:]  # 一十一 is written 十一
    return out


def _letters(n: int, upper: bool) -> str:
    if n <= 0:
        return str(n)
    # Word's letter lists go A..Z, AA, BB, ... ZZ, AAA
    letter = chr((ord("A") if upper else ord("a")) + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int, upper: bool) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    text = "".join(out)
    return text if upper else text.lower()


def _enclosed(n: int, first: int, count: int = 20) -> str:
    return chr(first + n - 1) if 1 <= n <= count else str(n)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_number(n: int, fmt: str | None) -> str:
    """Render counter value `n` in Word number format `fmt` (w:numFmt/@w:val)."""
    fmt = fmt or "decimal"
    if fmt in ("none", "bullet"):
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return chinese_number(n, legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "koreanDigital2"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return _TRADITIONAL[(n - 1) % 10] if n >= 1 else str(n)
    if fmt == "ideographZodiac":
        return _ZODIAC[(n - 1) % 12] if n >= 1 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, 0x2460)
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) if d.isdigit() else d for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerLetter":
        return _letters(n, False)
    if fmt == "upperRoman":
        return _roman(n, True)
    if fmt == "lowerRoman":
        return _roman(n, False)
    if fmt == "ordinal":
        return _ordinal(n)
    return str(n)  # decimal, decimalHalfWidth and anything we do not know


# -- numbering definitions -------------------------------------------------------

@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None      # w:lvlText; None = no text at all
    restart: int | None = None   # w:lvlRestart (1-based level; 0 = never)
    legal: bool = False          # w:isLgl
    suffix: str = "tab"          # w:suff: tab | space | nothing
    style_id: str | None = None  # w:pStyle: the paragraph style this level is linked to

    @classmethod
    def parse(cls, lvl) -> "Level":
        fmt_el = lvl.find(W + "numFmt")
        if fmt_el is None:
            # Word 2010+ wraps custom formats in mc:AlternateContent; the fallback is a plain one
            fmt_el = lvl.find(f"{MC}AlternateContent/{MC}Fallback/{W}numFmt")
        if lvl.find(W + "lvlPicBulletId") is not None and fmt_el is None:
            fmt = "bullet"
        else:
            fmt = w_val(fmt_el, "decimal") or "decimal"
        text_el = lvl.find(W + "lvlText")
        restart_el = lvl.find(W + "lvlRestart")
        return cls(
            start=_int(w_val(lvl.find(W + "start")), 1),
            fmt=fmt,
            text=None if text_el is None else (text_el.get(W + "val") or ""),
            restart=None if restart_el is None else _int(w_val(restart_el), None),
            legal=bool(on_off(lvl.find(W + "isLgl"))),
            suffix=w_val(lvl.find(W + "suff"), "tab") or "tab",
            style_id=w_val(lvl.find(W + "pStyle")),
        )


@dataclass
class Num:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _int(value: str | None, default):
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """numbering.xml plus the running counters of one pass over a document."""

    def __init__(self, numbering_el=None, styles: StyleSheet | None = None) -> None:
        self.styles = styles or StyleSheet()
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}   # abstractNum id -> numStyleLink style id
        self.nums: dict[str, Num] = {}
        if numbering_el is not None:
            self._parse(numbering_el)
        self.counters: dict[tuple[str, str], dict[int, int | None]] = {}
        # (own numId, own ilvl, style id) -> (numId, ilvl) or None: the definitions
        # decide it, so it is worked out once per combination, not per paragraph
        self._targets: dict[tuple, tuple[str, int] | None] = {}

    def _parse(self, root) -> None:
        for absn in root.findall(W + "abstractNum"):
            aid = absn.get(W + "abstractNumId")
            if aid is None or aid in self.abstracts:
                continue
            levels = {}
            for lvl in absn.findall(W + "lvl"):
                ilvl = _int(lvl.get(W + "ilvl"), None)
                if ilvl is not None and 0 <= ilvl <= 8:
                    levels[ilvl] = Level.parse(lvl)
            self.abstracts[aid] = levels
            link = w_val(absn.find(W + "numStyleLink"))
            if link:
                self.style_links[aid] = link
        for num_el in root.findall(W + "num"):
            nid = num_el.get(W + "numId")
            aid = w_val(num_el.find(W + "abstractNumId"))
            if nid is None or aid is None or nid in self.nums:
                continue
            num = Num(aid)
            for ov in num_el.findall(W + "lvlOverride"):
                ilvl = _int(ov.get(W + "ilvl"), None)
                if ilvl is None:
                    continue
                start = ov.find(W + "startOverride")
                if start is not None:
                    num.start_overrides[ilvl] = _int(w_val(start), 1)
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    num.level_overrides[ilvl] = Level.parse(lvl)
            self.nums[nid] = num

    def fresh(self) -> "Numbering":
        """The same definitions with counters at zero (for headers, a separate story)."""
        other = Numbering.__new__(Numbering)
        other.styles, other.abstracts, other.style_links, other.nums = (
            self.styles, self.abstracts, self.style_links, self.nums)
        other.counters = {}
        other._targets = self._targets
        return other

    # -- resolving a paragraph's list and level --------------------------------
    def _abstract_id(self, num: Num) -> str:
        """Follow numStyleLink (a list style) to the abstractNum that holds the levels."""
        aid, seen = num.abstract_id, set()
        while aid in self.style_links and aid not in seen:
            seen.add(aid)
            target = self._style_num_id(self.style_links[aid])
            nxt = self.nums.get(target) if target else None
            if nxt is None or nxt.abstract_id == aid:
                break
            aid = nxt.abstract_id
        return aid

    def _style_num_id(self, style_id: str) -> str | None:
        for style in self.styles.chain(style_id):
            nid = w_val(style.find(f"{W}pPr/{W}numPr/{W}numId"))
            if nid is not None:
                return nid
        return None

    def resolve(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) for a paragraph: its own numPr first, then its style chain."""
        return self.resolve_numpr(ppr.find(W + "numPr") if ppr is not None else None, style_id)

    def resolve_numpr(self, numpr, style_id: str | None) -> tuple[str, int] | None:
        """`resolve` for a paragraph whose w:pPr/w:numPr (or None) is already at hand."""
        num_id = ilvl = None
        if numpr is not None:
            num_id = w_val(numpr.find(W + "numId"))
            ilvl = w_val(numpr.find(W + "ilvl"))
        key = (num_id, ilvl, style_id)
        try:
            return self._targets[key]
        except KeyError:
            target = self._targets[key] = self._resolve(num_id, ilvl, style_id)
            return target

    def _resolve(self, num_id: str | None, ilvl: str | None,
                 style_id: str | None) -> tuple[str, int] | None:
        chain = self.styles.chain(style_id)
        for style in chain:
            if num_id is not None and ilvl is not None:
                break
            snumpr = style.find(f"{W}pPr/{W}numPr")
            if snumpr is None:
                continue
            if num_id is None:
                num_id = w_val(snumpr.find(W + "numId"))
            if ilvl is None:
                ilvl = w_val(snumpr.find(W + "ilvl"))
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        level = _int(ilvl, None)
        if level is None:
            # a style linked from a level (w:lvl/w:pStyle) takes that level
            levels = self.abstracts.get(self._abstract_id(self.nums[num_id]), {})
            chain_ids = [s.get(W + "styleId") for s in chain]
            level = next((i for sid in chain_ids for i, lv in sorted(levels.items())
                          if lv.style_id == sid), 0)
        return num_id, max(0, min(level, 8))

    # -- counting and rendering -------------------------------------------------
    def _level(self, num: Num, aid: str, ilvl: int) -> Level | None:
        if ilvl in num.level_overrides:
            return num.level_overrides[ilvl]
        return self.abstracts.get(aid, {}).get(ilvl)

    def _start(self, num: Num, aid: str, ilvl: int) -> int:
        if ilvl in num.start_overrides:
            return num.start_overrides[ilvl]
        level = self._level(num, aid, ilvl)
        return level.start if level else 1

    def advance(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Count one paragraph at (num_id, ilvl); return (label, separator) or None."""
        num = self.nums.get(num_id)
        if num is None:
            return None
        aid = self._abstract_id(num)
        level = self._level(num, aid, ilvl)
        if level is None:
            return None
        key = ("num", num_id) if num.start_overrides else ("abstract", aid)
        counters = self.counters.setdefault(key, {})
        current = counters.get(ilvl)
        counters[ilvl] = self._start(num, aid, ilvl) if current is None else current + 1
        for lower in [m for m in counters if m > ilvl]:
            lower_level = self._level(num, aid, lower)
            threshold = lower
            if lower_level is not None and lower_level.restart is not None:
                if lower_level.restart <= lower:   # a value pointing at a lower level is ignored
                    threshold = lower_level.restart
            if ilvl < threshold:
                counters[lower] = None
        if level.fmt == "bullet" or not level.text:
            return None

        def substitute(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            value = counters.get(k)
            if value is None:
                value = self._start(num, aid, k)
            ref = self._level(num, aid, k)
            fmt = "decimal" if level.legal else (ref.fmt if ref else "decimal")
            if level.legal and ref is not None and ref.fmt in ("none", "bullet"):
                fmt = ref.fmt
            return format_number(value, fmt)

        rendered = re.sub(r"%([1-9])", substitute, level.text)
        label = clean_line(rendered)
        if not label:
            return None
        if level.suffix == "nothing":
            sep = ""
        elif level.suffix == "space":
            sep = " "
        else:
            # A tab: nothing after a label that ends in a Chinese character or in
            # punctuation ("一、企业简况", "（一）企业基本信息", "1.生产工艺"), one space
            # after a bare number ("1.1 生产工艺"). Decided on the label as Word shows
            # it, before normalisation folds "（一）" to "(一)".
            tail = rendered.rstrip()
            sep = "" if _CJK_END.search(tail) or _PUNCT_END.search(tail) else " "
        return label, sep

    def label(self, ppr, style_id: str | None) -> tuple[str, str] | None:
        """Resolve and count a paragraph; (label, separator) when Word numbers it."""
        return self.label_numpr(ppr.find(W + "numPr") if ppr is not None else None, style_id)

    def label_numpr(self, numpr, style_id: str | None) -> tuple[str, str] | None:
        """`label` for a paragraph whose w:pPr/w:numPr (or None) is already at hand."""
        target = self.resolve_numpr(numpr, style_id)
        if target is None:
            return None
        return self.advance(*target)
