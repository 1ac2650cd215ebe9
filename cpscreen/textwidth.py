"""Terminal column widths of mixed Chinese and Latin text."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, cols: int) -> str:
    """Cut `text` to at most `cols` columns (with … when cut), then pad with spaces."""
    text = text.replace("\n", " ")
    if width(text) > cols:
        out, used = [], 0
        for ch in text:
            w = width(ch)
            if used + w > cols - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (cols - width(text))
