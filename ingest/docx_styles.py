"""XML plumbing for styles.xml: style names, basedOn chains and inherited properties.

Word resolves a paragraph's look by walking direct formatting, then the run's
character style chain, then the paragraph style chain (each style `w:basedOn`
another), then `w:docDefaults`. This module answers those look-ups for the
reader; it knows nothing about blocks or pages.

A reader asks the same few questions for every paragraph and run, so each answer
is remembered, in the StyleSheet of that one document (a styles part never
changes while it is read).
"""
from __future__ import annotations

import re

from docx.styles import BabelFish

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

_FALSE = {"0", "false", "off", "none"}
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


def w_val(el, default: str | None = None) -> str | None:
    """The w:val attribute of `el`, or `default` when the element or attribute is absent."""
    if el is None:
        return default
    return el.get(W + "val", default)


def on_off(el) -> bool | None:
    """An OOXML on/off property: present without val means on; None when absent."""
    if el is None:
        return None
    return (el.get(W + "val") or "true").lower() not in _FALSE


class StyleSheet:
    """Styles by id, with chain look-ups. Works with no styles part at all."""

    def __init__(self, styles_el=None) -> None:
        self.by_id: dict[str, object] = {}
        self.default_para: str | None = None
        self.default_char: str | None = None
        self.default_rpr = None
        self.default_ppr = None
        self._chains: dict[str, list] = {}
        self._answers: dict[tuple, object] = {}   # (question, *arguments) -> answer
        if styles_el is None:
            return
        defaults = styles_el.find(W + "docDefaults")
        if defaults is not None:
            self.default_rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
            self.default_ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
        for style in styles_el.findall(W + "style"):
            sid = style.get(W + "styleId")
            if not sid:
                continue
            self.by_id.setdefault(sid, style)
            if on_off_attr(style.get(W + "default")):
                kind = style.get(W + "type")
                if kind == "paragraph" and self.default_para is None:
                    self.default_para = sid
                elif kind == "character" and self.default_char is None:
                    self.default_char = sid

    # -- chains -------------------------------------------------------------
    def chain(self, style_id: str | None) -> list:
        """The style and its basedOn ancestors, nearest first; cycles and gaps end the chain."""
        if not style_id:
            return []
        cached = self._chains.get(style_id)
        if cached is not None:
            return cached
        out, seen, sid = [], set(), style_id
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            sid = w_val(style.find(W + "basedOn"))
        self._chains[style_id] = out
        return out

    def para_style_id(self, ppr) -> str | None:
        return self.known_para_style(w_val(ppr.find(W + "pStyle")) if ppr is not None else None)

    def known_para_style(self, style_id: str | None) -> str | None:
        """A paragraph's w:pStyle value if this sheet has it, else the default paragraph style."""
        if style_id and style_id in self.by_id:
            return style_id
        return self.default_para

    def name(self, style_id: str | None) -> str | None:
        """The style's name as a user sees it ("Heading 1", "标题 1", "正文")."""
        return self._remembered(("name", style_id), self._name)

    def _name(self, style_id: str | None) -> str | None:
        if not style_id or style_id not in self.by_id:
            return None
        raw = w_val(self.by_id[style_id].find(W + "name"))
        if not raw:
            return style_id
        return BabelFish.internal2ui(raw)

    # -- inherited properties -------------------------------------------------
    def _remembered(self, key: tuple, compute):
        try:
            return self._answers[key]
        except KeyError:
            answer = self._answers[key] = compute(*key[1:])
            return answer

    def para_prop(self, style_id: str | None, tag: str):
        """The first `w:pPr/w:{tag}` along the paragraph style chain, then docDefaults."""
        return self._remembered(("para", style_id, tag), self._para_prop)

    def _para_prop(self, style_id: str | None, tag: str):
        for style in self.chain(style_id):
            el = style.find(f"{W}pPr/{W}{tag}")
            if el is not None:
                return el
        if self.default_ppr is not None:
            return self.default_ppr.find(W + tag)
        return None

    def run_prop(self, char_style_id: str | None, para_style_id: str | None, tag: str):
        """The first `w:rPr/w:{tag}` along the character style chain, the paragraph
        style chain, then docDefaults."""
        return self._remembered(("run", char_style_id, para_style_id, tag), self._run_prop)

    def _run_prop(self, char_style_id: str | None, para_style_id: str | None, tag: str):
        for sid in (char_style_id or self.default_char, para_style_id):
            for style in self.chain(sid):
                el = style.find(f"{W}rPr/{W}{tag}")
                if el is not None:
                    return el
        if self.default_rpr is not None:
            return self.default_rpr.find(W + tag)
        return None

    def outline_level(self, style_id: str | None) -> int | None:
        """outlineLvl from the style chain, else N-1 for a built-in "heading N" style."""
        return self._remembered(("outline", style_id), self._outline_level)

    def _outline_level(self, style_id: str | None) -> int | None:
        el = self.para_prop(style_id, "outlineLvl")
        if el is not None:
            return outline_value(el)
        for style in self.chain(style_id):
            raw = w_val(style.find(W + "name")) or ""
            m = _HEADING_NAME.match(raw.strip())
            if m:
                return int(m.group(1)) - 1
        return None


def on_off_attr(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE


def outline_value(el) -> int | None:
    """A w:outlineLvl element as 0..8, or None for Word's "body text" (9) or junk."""
    try:
        level = int(w_val(el, "9"))
    except ValueError:
        return None
    return level if 0 <= level <= 8 else None
