"""The one Chinese pipeline: a blank spaCy `zh` with the jieba segmenter, loaded lazily.

Nothing here downloads anything: `spacy.blank("zh")` needs no model package, and jieba
builds its prefix dictionary from the copy inside the jieba package. Indicator terms go into
jieba's dictionary so that 回用率, 水计量率 and friends come out as one token, and a spaCy
PhraseMatcher finds them. Both are process-wide and built once.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Iterable

_LOCK = threading.Lock()
_NLP = None
_ADDED: set[str] = set()
_PENDING: list[str] = []     # terms registered before the pipeline was loaded
_MATCHERS: dict[tuple[str, ...], object] = {}
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def get_nlp():
    """The shared blank zh pipeline (jieba segmenter). First call takes about a second."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                import spacy

                jieba = import_jieba()
                jieba.setLogLevel(logging.WARNING)
                _NLP = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
                pending = _PENDING[:]
                _PENDING.clear()
                _add_words(pending)
    return _NLP


def import_jieba():
    """jieba, imported without pkg_resources.

    jieba's _compat imports pkg_resources only to open jieba's own dictionary files, and
    falls back to opening them by path when the import fails; importing pkg_resources costs
    about 0.15 s (packaging's version parsing, every installed distribution scanned), a sixth
    of a cold `cpscreen check`. It is hidden only while jieba is imported, and only when no one
    has imported it before."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None     # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if hide and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    return jieba


def register_terms(words: Iterable[str]) -> None:
    """Terms jieba must keep whole once the pipeline is loaded; loads nothing itself.

    The indicator extractor registers its terms up front but needs the pipeline only for the
    rare sentence its own scan cannot settle, so a document without one never pays for
    loading spaCy and jieba (about a second and 100 MB)."""
    words = list(words)
    with _LOCK:
        if _NLP is None:
            _PENDING.extend(words)
            return
    add_terms(words)


def add_terms(words: Iterable[str]) -> None:
    """Teach jieba the terms, so that the tokenizer keeps each one in one piece.

    jieba cuts text into runs at every non-Han character ("/", "(", "、"), so a term such as
    "无/低费方案实施率" can only be one token run by run; each Han run of it is added too.
    """
    get_nlp()
    with _LOCK:
        _add_words(words)


def _add_words(words: Iterable[str]) -> None:
    """add_terms' work; the caller holds _LOCK and the pipeline is loaded."""
    jieba = import_jieba()

    for w in words:
        for piece in [w, *_HAN_RUN.findall(w)]:
            if piece and piece not in _ADDED and _HAN_RUN.fullmatch(piece):
                _ADDED.add(piece)
                jieba.add_word(piece, freq=_freq(piece))


def _freq(word: str) -> int:
    # Longer terms need a higher frequency to beat the default segmentation of their parts.
    return 20000 + 5000 * len(word)


def phrase_matcher(terms: tuple[str, ...]):
    """A PhraseMatcher over the terms (match_id is the term itself), cached per term set."""
    matcher = _MATCHERS.get(terms)
    if matcher is not None:
        return matcher
    from spacy.matcher import PhraseMatcher

    add_terms(terms)
    nlp = get_nlp()
    with _LOCK:
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for t in terms:
            matcher.add(t, [nlp.make_doc(t)])
        _MATCHERS[terms] = matcher
    return matcher


def match_terms(text: str, terms: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start_char, end_char, term) for every token-aligned occurrence of a term in `text`."""
    if not text:
        return []
    matcher = phrase_matcher(terms)
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    out = []
    for match_id, start, end in matcher(doc):
        span = doc[start:end]
        out.append((span.start_char, span.end_char, nlp.vocab.strings[match_id]))
    return out


def tokens(text: str) -> list[str]:
    """The token texts, for tests and debugging."""
    return [t.text for t in get_nlp().make_doc(text)]
