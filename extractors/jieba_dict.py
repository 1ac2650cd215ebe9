"""jieba's prefix dictionary, loaded one first character at a time.

Before its first cut a jieba.Tokenizer loads its whole prefix dictionary (FREQ, about 498,000
entries): about half a second, more than half of a cold `cpscreen check`. Segmenting a text
only ever looks up entries that start with one of the text's own characters, so a document's
titles need a small part of it.

The prepared file holds exactly the FREQ and total jieba's own gen_pfdict builds from its
dictionary, grouped by first character, and is made once per machine in the user's cache
directory (`$XDG_CACHE_HOME` or `~/.cache`, then `cpscreen/`). Its name and header carry
jieba's version and the dictionary's size and SHA-256, so another jieba never reads it. The
tokenizer gets a LazyFreq over it and is marked initialised; everything else about
segmentation stays jieba's own code.

Nothing here may fail a screening: when the file cannot be made or read (read-only home,
corrupt file, another dictionary), the tokenizer gets the dictionary built in full, or jieba
loads its own as it always did. Nothing is downloaded.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import threading
import zlib
from pathlib import Path

# Bumped whenever the file's layout changes: the name then differs and old files are ignored.
FORMAT = 1
_MAGIC = b"cpscreen-jieba-freq %d\n" % FORMAT


class LazyFreq(dict):
    """jieba's FREQ, filled one first character at a time from a PreparedDictionary.

    jieba's Tokenizer reads FREQ only through `in`, `.get`, `[k]`, and add_word writes it
    through `[k] = v`; each of these first makes sure the entries starting with the key's
    first character are in. A write loads them too, so a later load can never overwrite what
    add_word set. Other dict methods see only what is loaded so far (load_all() fills it).
    """

    __slots__ = ("_prepared", "_loaded", "_lock")

    def __init__(self, prepared: PreparedDictionary) -> None:
        super().__init__()
        self._prepared = prepared
        self._loaded: set[str] = set()
        self._lock = threading.Lock()   # web and batch tokenise from several threads

    def _load(self, key: str) -> None:
        first = key[:1]
        if first in self._loaded:
            return
        with self._lock:
            if first not in self._loaded:
                dict.update(self, self._prepared.entries(first))
                # marked only once its entries are in: another thread reads without the lock
                self._loaded.add(first)

    def __contains__(self, key) -> bool:
        self._load(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._load(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._load(key)
        return dict.get(self, key, default)

    def __setitem__(self, key, value) -> None:
        self._load(key)
        dict.__setitem__(self, key, value)

    def load_all(self) -> None:
        """Every entry in (what jieba would have loaded up front)."""
        for first in self._prepared.first_chars():
            self._load(first)


class PreparedDictionary:
    """The prepared file read into memory: "word<TAB>freq" lines grouped by first character,
    and where each group lies."""

    def __init__(self, data: bytes, base: int, spans: dict[str, tuple[int, int]],
                 total: int) -> None:
        self._data = data
        self._base = base
        self._spans = spans
        self.total = total

    def first_chars(self) -> list[str]:
        return list(self._spans)

    def entries(self, first: str) -> dict[str, int]:
        span = self._spans.get(first)
        if span is None:
            return {}
        start, end = span
        # without the last line's "\n", the lines read word, freq, word, freq … once both
        # separators are one: split in C, a fifth cheaper than splitting line by line
        text = str(self._data[self._base + start:self._base + end - 1], "utf-8")
        fields = text.replace("\n", "\t").split("\t")
        return dict(zip(fields[0::2], map(int, fields[1::2])))


def prepared_tokenizer(jieba):
    """A jieba.Tokenizer whose prefix dictionary loads as segmentation needs it; a plain one
    (jieba loads its dictionary on first use) when the prepared file cannot serve."""
    tokenizer = jieba.Tokenizer()
    try:
        freq, total = _prefix_dictionary(jieba, tokenizer, cache_dir())
    except Exception:
        return tokenizer
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):     # the XDG rule: a relative or empty value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cpscreen"


def _prefix_dictionary(jieba, tokenizer, directory: Path) -> tuple[dict[str, int], int]:
    """(FREQ, total): lazily from the prepared file, or built in full (and the file written for
    the next process) when the file is missing, unreadable or not this dictionary's."""
    with tokenizer.get_dict_file() as f:
        source = f.read()
    key = dictionary_key(jieba.__version__, source)
    path = directory / prepared_name(key)
    try:
        return _open_prepared(path, key)
    except Exception:
        pass    # made afresh below; a corrupt file is replaced
    freq, total = tokenizer.gen_pfdict(io.BytesIO(source))
    with contextlib.suppress(Exception):    # a read-only cache only costs the next process time
        write_prepared(path, key, freq, total)
    return freq, total


def dictionary_key(jieba_version: str, source: bytes) -> dict:
    return {"format": FORMAT, "jieba": jieba_version, "dict_size": len(source),
            "dict_sha256": hashlib.sha256(source).hexdigest()}


def prepared_name(key: dict) -> str:
    return "jieba-freq-v{format}-{jieba}-{dict_size}-{sha}.txt".format(
        sha=key["dict_sha256"][:16], **key)


def _open_prepared(path: Path, key: dict) -> tuple[LazyFreq, int]:
    prepared = read_prepared(path, key)
    return LazyFreq(prepared), prepared.total


def read_prepared(path: Path, key: dict) -> PreparedDictionary:
    """The prepared file, checked whole up front: a fault found later, in the middle of
    segmenting a title, could no longer fall back."""
    data = path.read_bytes()
    if not data.startswith(_MAGIC):
        raise ValueError(f"{path}: not a prepared jieba dictionary")
    header_end = data.index(b"\n", len(_MAGIC))
    header = json.loads(data[len(_MAGIC):header_end])
    if header["key"] != key:
        raise ValueError(f"{path}: prepared from another dictionary")
    base = header_end + 1
    chars, offsets = header["chars"], header["offsets"]
    if (len(offsets) != len(chars) + 1 or offsets[-1] != len(data) - base
            or zlib.crc32(memoryview(data)[base:]) != header["crc32"]):
        raise ValueError(f"{path}: truncated or corrupt")
    spans = {ch: (offsets[i], offsets[i + 1]) for i, ch in enumerate(chars)}
    return PreparedDictionary(data, base, spans, header["total"])


def prepared_bytes(key: dict, freq: dict[str, int], total: int) -> bytes:
    """The file's contents: magic line, JSON header (key, total, first characters and where
    their lines start), then the lines."""
    groups: dict[str, list[str]] = {}
    for word, count in freq.items():
        if not word or "\t" in word or "\n" in word:
            raise ValueError(f"cannot store the dictionary entry {word!r}")
        groups.setdefault(word[0], []).append(f"{word}\t{count}\n")
    blobs = ["".join(lines).encode("utf-8") for lines in groups.values()]
    offsets = [0]
    for blob in blobs:
        offsets.append(offsets[-1] + len(blob))
    body = b"".join(blobs)
    header = {"key": key, "total": total, "chars": "".join(groups), "offsets": offsets,
              "crc32": zlib.crc32(body)}
    return _MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body


def write_prepared(path: Path, key: dict, freq: dict[str, int], total: int) -> None:
    """Written to a temporary file and renamed: a reader never sees half a file, and
    processes preparing it at once each put a whole one in place."""
    payload = prepared_bytes(key, freq, total)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
