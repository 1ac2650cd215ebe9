"""Searches that let the C engine skip text: one pass finds what many searches or a Python loop
over every character used to find.

    finder = WordFinder(["废水", "废水回用率", "水计量率"])
    finder.occurrences(text)        # every occurrence of every word, overlaps included
    gate = AnyPattern(patterns)
    if gate.may_match(text): ...    # False: no pattern matches; only then search with each
    word_end_gate(words).search(text)   # None: none of the words is in the text

The finder gives exactly what searching for each word gives, and a gate says no only where
the slow way finds nothing; tests/extractors/test_regex_scan.py checks both on every sentence
of the corpus.
"""
from __future__ import annotations

import re
from typing import Iterable

__all__ = ["AnyPattern", "WordFinder", "first_char_gate", "first_chars", "required_literals", "word_end_gate"]


class WordFinder:
    """Every occurrence of every word (two characters or more) in a text, overlaps included.

    One character class finds where a word could end (or start): the engine skips the other
    positions without leaving C. At each such position the words are looked up by their last
    (first) two characters and tried by length, a slice and a set lookup each. The end with
    fewer distinct characters is used: indicator terms start with some 130 different
    characters but end in 9 (nearly all in 率), so most sentences offer a handful of places.
    """

    def __init__(self, words: Iterable[str]):
        words = {w for w in words if len(w) >= 2}
        self._words = frozenset(words)
        self._backwards = len({w[-1] for w in words}) < len({w[0] for w in words})
        lengths: dict[str, set[int]] = {}
        for w in words:
            lengths.setdefault(w[-2:] if self._backwards else w[:2], set()).add(len(w))
        # the lengths of the words sharing each two-character end, shortest first
        self._lengths = {pair: sorted(ls) for pair, ls in lengths.items()}
        bounds = {w[-1] if self._backwards else w[0] for w in words}
        self._bound_rx = re.compile("[" + "".join(re.escape(ch) for ch in sorted(bounds)) + "]") if bounds else None

    def occurrences(self, text: str) -> set[tuple[int, int, str]]:
        """(start, end, word) for every occurrence of every word in `text`."""
        out: set[tuple[int, int, str]] = set()
        if self._bound_rx is None:
            return out
        words, lengths = self._words, self._lengths
        if self._backwards:
            for m in self._bound_rx.finditer(text, 1):
                end = m.end()
                for n in lengths.get(text[end - 2:end], ()):
                    start = end - n
                    if start < 0:
                        break
                    if text[start:end] in words:
                        out.add((start, end, text[start:end]))
        else:
            size = len(text)
            for m in self._bound_rx.finditer(text, 0, size - 1):
                start = m.start()
                for n in lengths.get(text[start:start + 2], ()):
                    end = start + n
                    if end > size:
                        break
                    if text[start:end] in words:
                        out.add((start, end, text[start:end]))
        return out


def word_end_gate(words: Iterable[str]) -> re.Pattern | None:
    """An expression found wherever one of the words (two characters or more) ends: its last
    character, preceded by the one before it. A text it is not found in holds none of the
    words; one search costs about one pass over the text's rarer characters. None without
    words."""
    ends = sorted({w[-2:] for w in words if len(w) >= 2})
    if not ends:
        return None
    last = "".join(sorted({re.escape(e[1]) for e in ends}))
    return re.compile(f"[{last}](?<=" + "|".join(map(re.escape, ends)) + ")")


# -- a gate in front of many patterns -----------------------------------------------------------

class AnyPattern:
    """Can any of several patterns match a text? Mostly answered by one or two searches.

    First a search for strings every match must contain (one per pattern, see
    required_literals: "噪声" for every noise flag); most sentences hold none and are done.
    Then the patterns joined behind a gate of their first characters (first_char_gate), which
    matches exactly when one of the patterns does. Where a step cannot be built it is left out:
    the answer stays exact, only slower.
    """

    def __init__(self, patterns: Iterable[str]):
        self._patterns = list(patterns)
        literals: set[str] = set()
        for p in self._patterns:
            found = required_literals(p)
            if found is None:
                literals = set()
                break
            literals |= found
        self._literals = re.compile("|".join(re.escape(x) for x in sorted(literals, key=lambda x: (-len(x), x)))) \
            if literals else None
        self._joined: re.Pattern | None = None
        self._joined_built = False   # compiled when first needed: a short document may never need it

    def may_match(self, text: str) -> bool:
        """False when no pattern matches `text`; True when one does, or (without a joined
        expression) may."""
        if not self._patterns:
            return False
        if self._literals is not None and self._literals.search(text) is None:
            return False
        if not self._joined_built:
            self._joined = first_char_gate(self._patterns)
            self._joined_built = True
        return self._joined is None or self._joined.search(text) is not None


def first_char_gate(patterns: Iterable[str]) -> re.Pattern | None:
    """One expression that matches a text exactly when one of the patterns does, or None when
    no such expression can be trusted (then search with each pattern).

    The patterns are joined as alternatives; in front of them goes a lookahead for the
    characters any of them can start with, so that at most positions the engine stops after
    one set lookup instead of trying every alternative. Patterns with groups of their own are
    not joined (a backreference would point into another pattern); when the first characters
    cannot be worked out (a pattern may start with almost anything), the plain alternation is
    returned: as exact, only not faster.
    """
    patterns = list(patterns)
    try:
        if not patterns or any(re.compile(p).groups for p in patterns):
            return None
        alternation = "|".join(f"(?:{p})" for p in patterns)
        starts: set[str] = set()
        for p in patterns:
            chars = first_chars(p)
            if chars is None:
                return re.compile(alternation)
            starts |= chars
        char_class = "[" + "".join(re.escape(ch) for ch in sorted(starts)) + "]"
        return re.compile(f"(?={char_class})(?:{alternation})")
    except re.error:   # inline flags that only work at the start of a pattern, …
        return None


def first_chars(pattern: str) -> frozenset[str] | None:
    """Every character a match of `pattern` can begin with, or None when that is no small known
    set (a match may be empty, or start with `.`, a negated class, \\w, a wide range …).

    Reads the pattern with Python's own parser (re._parser, CPython 3.11 and later); without
    it, None."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:  # another Python: the caller simply does not gate
        return None
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE | c.SRE_FLAG_VERBOSE):
        return None
    found = _seq_first(parsed.data, c)
    if found is None or found[1]:
        return None
    return frozenset(found[0])


def _seq_first(items, c) -> tuple[set[str], bool] | None:
    """(first characters, may match empty) of a sequence of parsed items."""
    out: set[str] = set()
    for op, av in items:
        found = _item_first(op, av, c)
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True


_MAX_RANGE = 64   # a class such as [\u4e00-\u9fff] lets nearly every position through: no gate


def _item_first(op, av, c) -> tuple[set[str], bool] | None:
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is c.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < _MAX_RANGE:
                chars.update(map(chr, range(sub_av[0], sub_av[1] + 1)))
            else:
                return None   # NEGATE, CATEGORY, a wide RANGE
        return chars, False
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE):
            return None
        return _seq_first(sub.data, c)
    if op is c.BRANCH:
        chars, empty = set(), False
        for alt in av[1]:
            found = _seq_first(alt.data, c)
            if found is None:
                return None
            chars |= found[0]
            empty = empty or found[1]
        return chars, empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        found = _seq_first(sub.data, c)
        if found is None:
            return None
        return found[0], found[1] or low == 0
    if op is c.ATOMIC_GROUP:
        return _seq_first(av.data, c)
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return set(), True   # takes no character: what follows starts the match
    return None               # ANY, NOT_LITERAL, CATEGORY, GROUPREF, …: could be anything


# -- strings a match must contain ---------------------------------------------------------------

def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when none is known.

    Of the parts every match goes through (a run of plain characters, a group or an
    alternation of such, a repeat taken at least once), the one whose shortest string is
    longest is chosen: "(?:废水|污水)[^。]{0,60}?零排放" gives {"零排放"}. Lookarounds, classes and
    optional parts require nothing."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:
        return None
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE):
        return None
    found = _seq_required(parsed.data, c)
    return frozenset(found) if found else None


def _seq_required(items, c) -> set[str] | None:
    choices: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            choices.append({run})
            run = ""
        needed = None
        if op is c.SUBPATTERN:
            if not av[1] & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_LOCALE):
                needed = _seq_required(av[3].data, c)
        elif op is c.BRANCH:
            each = [_seq_required(alt.data, c) for alt in av[1]]
            needed = set().union(*each) if all(each) else None
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            needed = _seq_required(av[2].data, c)
        elif op is c.ATOMIC_GROUP:
            needed = _seq_required(av.data, c)
        if needed:
            choices.append(needed)
    if run:
        choices.append({run})
    if not choices:
        return None
    return max(choices, key=lambda strings: (min(map(len, strings)), -len(strings)))
