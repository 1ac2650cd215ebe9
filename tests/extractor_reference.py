"""What the extractor tests compare the fast paths with: every corpus and held-out sample file,
and the plain str.find scan for words."""
from __future__ import annotations

import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIRS = ["corpus/samples", "corpus/heldout/samples", "corpus/heldout2/samples",
               "corpus/heldout3/samples"]


def sample_files() -> list[str]:
    """Every sample of the corpus and the held-out sets (their truth files left out)."""
    return [f for d in SAMPLE_DIRS for f in sorted(glob.glob(str(ROOT / d / "*")))
            if not f.endswith(".json")]


def every_occurrence(words, text: str) -> set[tuple[int, int, str]]:
    """(start, end, word) of every occurrence of every word in text, overlapping ones too."""
    out = set()
    for w in words:
        if w in text:
            pos = text.find(w)
            while pos >= 0:
                out.add((pos, pos + len(w), w))
                pos = text.find(w, pos + 1)
    return out
