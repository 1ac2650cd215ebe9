"""The prefix dictionary loaded by first character (extractors/jieba_dict.py) segments exactly
as jieba's own, fully loaded one: on every title the project tokenises, on random text, through
text_match's tokens and word_bounds, and on every fallback path.

The prepared files live in a temporary cache directory (XDG_CACHE_HOME), never the real home.
"""
from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

import pytest

import ingest
from extractors import jieba_dict, text_match
from extractors.headings import find_headings
from extractors.jieba_dict import LazyFreq, prepared_tokenizer
from extractors.nlp import import_jieba
from extractors.outline import match_outline
from extractors.text_match import compact
from ingest.model import Document
from rubric.province import load_province

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from extractor_reference import sample_files  # noqa: E402

jieba = import_jieba()
EMPTY = Document(name="empty.txt", sha256="", format="txt", pages=0)


def jieba_reference():
    """A jieba.Tokenizer loaded the way jieba always loads it, in full."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def prepared_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "cpscreen").glob("jieba-freq-*"))


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(home))
        prepared_tokenizer(jieba)   # first use: builds the dictionary and writes the file
        yield home


@pytest.fixture(scope="module")
def titles() -> list[str]:
    """Every heading of every corpus and held-out sample, and every outline section name."""
    found: list[str] = []
    for path in sample_files():
        if path.endswith((".docx", ".pdf")):
            found.extend(h.title for h in find_headings(ingest.load(path)))
    for template in load_province("guangxi").outlines.values():
        for s in template.sections:
            found.extend([s.title, *s.aliases, *s.stage_aliases])
    assert len(found) > 1000
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def tokenizers(cache_home):
    """(lazy, reference): the tokenizer text_match makes, given the rubric's terms as the outline
    matcher gives them, and jieba's fully loaded one given the same add_word calls in order."""
    calls = []
    add_word = jieba.Tokenizer.add_word

    def recording_add_word(self, word, freq=None, tag=None):
        calls.append((word, freq, tag))
        return add_word(self, word, freq, tag)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jieba.Tokenizer, "add_word", recording_add_word)
        mp.setattr(text_match, "_jieba", None)
        mp.setattr(text_match, "_added", set())
        lazy = text_match._tokenizer()
        for template in load_province("guangxi").outlines.values():
            match_outline(EMPTY, template, headings=[])
        added = set(text_match._added)
    _forget_tokens()
    reference = jieba_reference()
    for word, freq, tag in calls:
        reference.add_word(word, freq, tag)
    assert isinstance(lazy.FREQ, LazyFreq) and len(calls) > len(text_match.DOMAIN_TERMS)
    return lazy, reference, added


def _forget_tokens():
    text_match._tokens.cache_clear()
    text_match.word_bounds.cache_clear()


def random_texts(pool: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def cuts(tokenizer, texts) -> list[list[str]]:
    return [tokenizer.lcut(t) for t in texts]


def test_first_use_writes_the_file_that_later_uses_read(cache_home):
    [path] = prepared_files(cache_home)
    assert jieba.__version__ in path.name
    tokenizer = prepared_tokenizer(jieba)
    assert isinstance(tokenizer.FREQ, LazyFreq) and tokenizer.initialized
    assert len(tokenizer.FREQ) == 0     # nothing loaded before something is looked up
    assert tokenizer.lcut("清洁生产审核报告") == jieba_reference().lcut("清洁生产审核报告")
    assert 0 < len(tokenizer.FREQ) < 100_000


def test_fully_loaded_freq_and_total_are_jiebas(cache_home):
    tokenizer = prepared_tokenizer(jieba)
    reference = jieba_reference()
    tokenizer.FREQ.load_all()
    assert len(tokenizer.FREQ) == len(reference.FREQ)
    assert dict(tokenizer.FREQ) == reference.FREQ
    assert tokenizer.total == reference.total


def test_every_title_segments_as_with_jiebas_dictionary(tokenizers, titles):
    lazy, reference, _ = tokenizers
    texts = titles + [compact(t) for t in titles]
    assert cuts(lazy, texts) == cuts(reference, texts)


def test_random_cjk_text_segments_as_with_jiebas_dictionary(tokenizers, titles):
    lazy, reference, _ = tokenizers
    title_chars = "".join(sorted(set("".join(titles))))
    any_cjk = "".join(chr(cp) for cp in range(0x4E00, 0x9FD6))
    texts = random_texts(title_chars, 1500, seed=1) + random_texts(any_cjk, 1500, seed=2)
    assert cuts(lazy, texts) == cuts(reference, texts)


def test_tokens_and_word_bounds_are_unchanged(tokenizers, titles, monkeypatch):
    lazy, reference, added = tokenizers
    monkeypatch.setattr(text_match, "_added", added)   # nothing more gets added to either

    def tokens_and_bounds(tokenizer):
        monkeypatch.setattr(text_match, "_jieba", tokenizer)
        _forget_tokens()
        try:
            return ([text_match.tokens(t) for t in titles],
                    [text_match.word_bounds(compact(t)) for t in titles])
        finally:
            _forget_tokens()

    assert tokens_and_bounds(lazy) == tokens_and_bounds(reference)


def test_threads_loading_at_once_segment_as_jieba(cache_home):
    tokenizer = prepared_tokenizer(jieba)
    texts = random_texts("清洁生产审核报告企业管理现状污染物排放能源资源", 400, seed=3)
    expected = cuts(jieba_reference(), texts)
    results: dict[int, list[list[str]]] = {}

    def work(n):
        results[n] = cuts(tokenizer, texts)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[n] == expected for n in range(4))


def test_a_word_set_before_its_character_loads_is_kept(cache_home):
    freq = prepared_tokenizer(jieba).FREQ
    freq["清洁生产"] = 7                 # the first touch of 清: its entries load first
    assert freq["清洁生产"] == 7
    assert freq.get("清洁") == jieba_reference().FREQ["清洁"]


# Fallbacks: each gives jieba's own segmentation.

FALLBACK_TEXTS = ["企业清洁生产管理现状", "主要污染物排放情况", "（三）厂容厂貌", "绩效评价",
                  "清洁生产提标改造及资金投入", "水计量率100％"]


@pytest.fixture(scope="module")
def expected_fallback_cuts():
    return cuts(jieba_reference(), FALLBACK_TEXTS)


def test_unwritable_cache_builds_in_full(tmp_path, monkeypatch, expected_fallback_cuts):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    tokenizer = prepared_tokenizer(jieba)
    assert type(tokenizer.FREQ) is dict and tokenizer.initialized
    assert cuts(tokenizer, FALLBACK_TEXTS) == expected_fallback_cuts


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "another dictionary", "empty"])
def test_a_bad_file_is_not_read_and_is_replaced(cache_home, tmp_path, monkeypatch, damage,
                                                expected_fallback_cuts):
    [good] = prepared_files(cache_home)
    path = tmp_path / "cpscreen" / good.name
    path.parent.mkdir()
    data = good.read_bytes()
    if damage == "flipped byte":
        data = data[:-1000] + bytes([data[-1000] ^ 1]) + data[-999:]
    elif damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "another dictionary":
        data = data.replace(b'"dict_size": ', b'"dict_size": 1', 1)
    else:
        data = b""
    path.write_bytes(data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tokenizer = prepared_tokenizer(jieba)
    assert type(tokenizer.FREQ) is dict      # built in full, the bad file not used
    assert cuts(tokenizer, FALLBACK_TEXTS) == expected_fallback_cuts
    assert path.read_bytes() == good.read_bytes()   # replaced by a good one


def test_anything_else_leaves_jieba_to_load_its_own(cache_home, monkeypatch,
                                                    expected_fallback_cuts):
    def broken(*args):
        raise OSError("dictionary unreadable")

    monkeypatch.setattr(jieba_dict, "dictionary_key", broken)
    tokenizer = prepared_tokenizer(jieba)
    assert not tokenizer.initialized
    assert cuts(tokenizer, FALLBACK_TEXTS) == expected_fallback_cuts


def test_the_file_name_depends_on_jieba_and_its_dictionary():
    keys = [jieba_dict.dictionary_key(version, source) for version, source in (
        ("0.42.1", b"a 1\n"), ("0.42.2", b"a 1\n"), ("0.42.1", b"b 1\n"), ("0.42.1", b"a 12\n"))]
    assert len({jieba_dict.prepared_name(k) for k in keys}) == 4
