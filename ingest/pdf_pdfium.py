"""pdfium's view of a PDF page, in the shape the PDF reader takes from pdfplumber.

pdfminer (under pdfplumber) interprets every content stream in Python, and that is nearly
all of the time a PDF costs; pdfium does the same in C, ten to fifty times faster. This module
gives the reader, for an ordinary page, what it otherwise asks pdfplumber for:

- `chars`: one dict per character drawn (x0, x1, top, bottom, doctop, size, fontname, upright,
  text) placed as pdfminer places it: from the baseline, the font's descent and the font
  size, the advance width across;
- `find_tables(settings)`: pdfplumber's table finder (lines strategy) run on the ruling
  edges of the page's path objects, so the cells are the ones pdfplumber would find (its
  steps redone on tuples and sets by pdf_tables.ruled_tables, same floats, same order);
- `images`, `curves`: as many entries as the page has images and non-ruling paths (the reader
  only counts them).

A page pdfium cannot give in that shape (rotated, scaled text, glyphs without Unicode, form
XObjects, a cropped or offset page box, no text at all) is `None` from `read_page`: the reader
then reads that page with pdfplumber, as before, so unusual pages keep exactly their old
handling.

The page-object walk and the character loop run in C (`ingest._pdfium_fast`, built by
setup.py) when it is built; the Python loops here are the fallback and the reference it is
tested against. CPSCREEN_NO_CEXT=1 switches the C path off.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import ClassVar

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import TableFinder, TableSettings

from .cext import import_extension
from .pdf_chars import CID_PREFIX
from .pdf_tables import ruled_tables

_TEXT, _PATH, _IMAGE, _SHADING, _FORM = (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH,
                                          raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_SHADING,
                                          raw.FPDF_PAGEOBJ_FORM)
_MOVETO, _LINETO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
_GENERATED_CODES = frozenset((0x20, 0x0D, 0x0A, 0x02))
# FPDFText_GetTextObject with a plain address for a result, so that the object of each character
# can be compared with the last one's without building a ctypes pointer per character
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)
_text_object_font = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(
    ctypes.cast(raw.FPDFTextObj_GetFont, ctypes.c_void_p).value)


def _plain(fn, restype, *argtypes):
    """The same pdfium function with plain addresses for its pointers: the text page and the
    out-parameters are passed as ints, which skips ctypes' pointer checks on every call (the
    character loop makes several calls per character)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


_VP, _INT = ctypes.c_void_p, ctypes.c_int
_get_unicode = _plain(raw.FPDFText_GetUnicode, ctypes.c_uint, _VP, _INT)
_is_generated = _plain(raw.FPDFText_IsGenerated, _INT, _VP, _INT)
_map_error = _plain(raw.FPDFText_HasUnicodeMapError, _INT, _VP, _INT)
_count_chars = _plain(raw.FPDFText_CountChars, _INT, _VP)
_char_origin = _plain(raw.FPDFText_GetCharOrigin, _INT, _VP, _INT, _VP, _VP)
_loose_box = _plain(raw.FPDFText_GetLooseCharBox, _INT, _VP, _INT, _VP)
_char_matrix = _plain(raw.FPDFText_GetMatrix, _INT, _VP, _INT, _VP)
_font_size = _plain(raw.FPDFText_GetFontSize, ctypes.c_double, _VP, _INT)
_count_objects = _plain(raw.FPDFPage_CountObjects, _INT, _VP)
_page_object = _plain(raw.FPDFPage_GetObject, _VP, _VP, _INT)
_object_type = _plain(raw.FPDFPageObj_GetType, _INT, _VP)
_object_text = _plain(raw.FPDFTextObj_GetText, ctypes.c_ulong, _VP, _VP, _VP, ctypes.c_ulong)
_object_bounds = _plain(raw.FPDFPageObj_GetBounds, _INT, _VP, _VP, _VP, _VP, _VP)
_object_matrix = _plain(raw.FPDFPageObj_GetMatrix, _INT, _VP, _VP)
_count_segments = _plain(raw.FPDFPath_CountSegments, _INT, _VP)
_path_segment = _plain(raw.FPDFPath_GetPathSegment, _VP, _VP, _INT)
_segment_point = _plain(raw.FPDFPathSegment_GetPoint, _INT, _VP, _VP, _VP)
_segment_type = _plain(raw.FPDFPathSegment_GetType, _INT, _VP)
_segment_closes = _plain(raw.FPDFPathSegment_GetClose, _INT, _VP)


def _load_fast():
    """ingest._pdfium_fast bound to the pdfium pypdfium2 loaded, or None: not built, switched
    off, or built for other object type numbers than this pdfium's."""
    fast = import_extension("_pdfium_fast")
    if fast is None:
        return None
    if (fast.OBJ_TEXT, fast.OBJ_PATH, fast.OBJ_IMAGE, fast.OBJ_FORM) != (_TEXT, _PATH, _IMAGE, _FORM):
        return None
    fast.bind([ctypes.cast(getattr(raw, name), ctypes.c_void_p).value for name in fast.NAMES])
    return fast


# the C path, or None for the Python one (tests set it to None to compare the two)
_fast = _load_fast()


_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_LINES_SETTINGS = TableSettings.resolve(_LINES)


@dataclass
class _Table:
    cells: list[tuple[float, float, float, float]]


@dataclass
class PdfiumPage:
    # every character is one upright character with its own text, never a "(cid:N)" glyph
    # (those pages are pdfplumber's): the reader skips the tests for them
    plain_chars: ClassVar[bool] = True

    page_number: int
    width: float
    height: float
    chars: list[dict]
    images: list = field(default_factory=list)
    curves: list = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def find_tables(self, settings: dict) -> list[_Table]:
        if not self.edges:
            return []
        # the reader's settings every time: resolved once
        resolved = _LINES_SETTINGS if settings == _LINES else TableSettings.resolve(settings)
        if _lines_only(resolved):
            return [_Table(cells) for cells in ruled_tables(self.edges, resolved)]
        finder = TableFinder(self, resolved)  # reads .edges and .bbox only, for "lines"
        return [_Table(t.cells) for t in finder.tables]

    def close(self) -> None:
        pass


class _Fonts:
    """Font name and descent per pdfium font handle (the same few fonts on every page)."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self._buf = ctypes.create_string_buffer(256)

    def name(self, font) -> str:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        name = self.names.get(key)
        if name is None:
            n = raw.FPDFFont_GetBaseFontName(font, self._buf, len(self._buf))
            if n > len(self._buf):
                buf = ctypes.create_string_buffer(n)
                raw.FPDFFont_GetBaseFontName(font, buf, n)
                data = buf.value
            else:
                data = self._buf.value
            # pdfminer gives the name's bytes as Latin-1; pdf_chars.font_family decodes GBK
            name = self.names[key] = data.decode("latin-1")
        return name



class PdfiumReader:
    """Opens the file once; `read_page(i)` gives a PdfiumPage or None (read it with pdfplumber)."""

    def __init__(self, data: bytes, password: str | None, pdfminer_pages: list) -> None:
        self.pdf = pdfium.PdfDocument(data, password=password)
        self.fonts = _Fonts()
        self.doctop = 0.0
        self.pdfminer_fonts = _PdfminerFonts(pdfminer_pages)
        self._rect = raw.FS_RECTF()
        self._matrix = raw.FS_MATRIX()
        self._matrix_at = ctypes.addressof(self._matrix)

    def __len__(self) -> int:
        return len(self.pdf)

    def close(self) -> None:
        self.pdf.close()

    def read_page(self, index: int) -> PdfiumPage | None:
        page = self.pdf[index]
        try:
            return self._read(page, index)
        finally:
            page.close()

    def _read(self, page, index: int) -> PdfiumPage | None:
        width, height = page.get_width(), page.get_height()
        doctop = self.doctop
        self.doctop += height
        if page.get_rotation() or _offset_box(page):
            return None
        out = PdfiumPage(page_number=index + 1, width=float(width), height=float(height), chars=[])
        fast = _fast
        page_addr = ctypes.cast(page.raw, ctypes.c_void_p).value
        text_objects = self._objects(fast, page_addr, height, out)
        if text_objects is None:
            return None           # nested content: left to pdfminer, which walks into it
        page_fonts = self.pdfminer_fonts.page(index)
        if page_fonts is None:
            return None
        textpage = page.get_textpage()
        try:
            tp_addr = ctypes.cast(textpage.raw, ctypes.c_void_p).value
            if fast is not None:
                chars = fast.page_chars(tp_addr, text_objects, height, doctop,
                                        self._font_resolver(page_fonts))
            else:
                chars = self._chars(tp_addr, height, doctop, page_fonts, text_objects)
        finally:
            textpage.close()
        if chars is None or not chars:
            return None           # no text layer, unmapped glyphs …: pdfplumber decides
        out.chars = chars
        return out

    def _objects(self, fast, page_addr: int, height: float, out: PdfiumPage):
        """The page's text objects (for the character loop); its ruling edges, images and
        curves go into `out`. None: the page has a form XObject."""
        if fast is not None:
            walked = fast.walk_objects(page_addr)
            if walked is None:
                return None
            text_objects, paths, n_images = walked     # text objects: packed addresses
            for obj in paths:
                self._path_edges(obj, height, out)
            out.images.extend([None] * n_images)
            return text_objects
        text_objects = []                   # plain addresses
        for i in range(_count_objects(page_addr)):
            obj = _page_object(page_addr, i)
            kind = _object_type(obj)
            if kind == _TEXT:
                text_objects.append(obj)
            elif kind == _PATH:
                self._path_edges(obj, height, out)
            elif kind == _IMAGE:
                out.images.append(None)
            elif kind == _FORM:
                return None
        return text_objects

    # -- characters ------------------------------------------------------------------------

    def _font_resolver(self, page_fonts: dict[str, list[_PdfminerFont]]):
        """For the C loop: pdfium font handle and the texts drawn with it -> the pdfminer
        font's (name, descent), or None, decided as the Python loop decides it."""
        fonts = self.fonts

        def resolve(key: int, texts: set[str]) -> tuple[str, float] | None:
            family = _family(fonts.name(ctypes.cast(key, raw.FPDF_FONT)))
            found = _resolve(page_fonts.get(family, []), texts)
            return None if found is None else (found.name, found.descent)

        return resolve

    def _chars(self, tp_addr: int, height: float, doctop: float,
               page_fonts: dict[str, list[_PdfminerFont]], text_objects: list) -> list[dict] | None:
        """The reference character loop (ingest/_pdfium_fast.c's page_chars does the same)."""
        if self._drops_duplicates(tp_addr, text_objects):
            return None
        n = _count_chars(tp_addr)
        rect, matrix = self._rect, self._matrix
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_at, oy_at = ctypes.addressof(ox), ctypes.addressof(oy)
        rect_at, matrix_at = ctypes.addressof(rect), ctypes.addressof(matrix)
        fonts = self.fonts
        chars: list[dict] = []
        font_of: list[int] = []                 # per char: its pdfium font handle
        texts_of: dict[int, set[str]] = {}      # pdfium font handle -> texts drawn with it
        family_of: dict[int, str] = {}
        get_unicode, is_generated, map_error = _get_unicode, _is_generated, _map_error
        origin, loose_box, text_object = _char_origin, _loose_box, _text_object
        last_obj = -1             # no object yet (a missing one is None)
        key, size = 0, 0.0
        texts: set[str] = set()
        for i in range(n):
            code = get_unicode(tp_addr, i)
            if code in _GENERATED_CODES and is_generated(tp_addr, i):
                continue      # pdfium's own spaces and line ends (it makes no others)
            if code == 0 or code == 0xFFFD or map_error(tp_addr, i):
                return None   # pdfminer writes (cid:N) here: the reader's rules for it apply
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                return None   # a surrogate pair, or no character at all: leave it to pdfminer
            text = chr(code)
            if text in "\r\n":
                return None   # a drawn line break: unusual, leave it to pdfminer
            obj = text_object(tp_addr, i)
            if obj != last_obj:
                # a text object is one show operation: one font, size and matrix for all
                # its characters (only the position moves)
                last_obj = obj
                if not obj:
                    return None
                key = _text_object_font(obj)
                if not key:
                    return None
                if key not in family_of:
                    family_of[key] = _family(fonts.name(ctypes.cast(key, raw.FPDF_FONT)))
                    texts_of[key] = set()
                texts = texts_of[key]
                if not _char_matrix(tp_addr, i, matrix_at):
                    return None
                a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
                if b or c or a <= 0 or d <= 0:
                    return None   # rotated, skewed or mirrored text
                size = _font_size(tp_addr, i) * d
            if not (origin(tp_addr, i, ox_at, oy_at) and loose_box(tp_addr, i, rect_at)):
                return None
            texts.add(text)
            font_of.append(key)
            chars.append({
                "text": text, "size": size, "upright": True,
                "x0": ox.value, "x1": rect.right, "y": oy.value,
            })
        resolved: dict[int, _PdfminerFont] = {}
        for key, family in family_of.items():
            found = _resolve(page_fonts.get(family, []), texts_of[key])
            if found is None:
                return None   # a font pdfminer would name or size differently, or unknown
            resolved[key] = found
        for ch, key in zip(chars, font_of):
            font = resolved[key]
            y0 = ch.pop("y") + font.descent * ch["size"]
            top = height - (y0 + ch["size"])
            ch["fontname"] = font.name
            ch["top"], ch["bottom"], ch["doctop"] = top, height - y0, doctop + top
        return chars

    def _drops_duplicates(self, tp_addr: int, text_objects: list) -> bool:
        """Did pdfium's text page leave out a text object? It skips one drawn again at (almost)
        the same place, which is how fake bold is made; pdfminer keeps both, and the reader
        needs both to see the line as bold. Such an object has no text in the text page."""
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        at = [ctypes.addressof(v) for v in (left, bottom, right, top)]
        for obj in text_objects:
            if _object_text(obj, tp_addr, None, 0) > 2:
                continue
            if _object_bounds(obj, *at) and right.value > left.value:
                return True
        return False

    # -- ruling --------------------------------------------------------------------------

    def _path_edges(self, obj: int, height: float, out: PdfiumPage) -> None:
        """pdfplumber's edges of one path (`obj`: its address): a segment between consecutive
        points of a subpath (and the closing one), in top-down coordinates; only horizontal
        and vertical ones are kept (the table finder uses nothing else)."""
        m = self._matrix
        if not _object_matrix(obj, self._matrix_at):
            return
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        # fresh per path, as a segment pdfium cannot give leaves them as they were
        x, y = ctypes.c_float(), ctypes.c_float()
        x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
        points: list[tuple[float, float]] = []
        any_edge = False

        def flush(close: bool) -> None:
            nonlocal any_edge
            pts = points + [points[0]] if close and len(points) > 2 else points
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                if x0 == x1 or y0 == y1:
                    any_edge = True
                    out.edges.append({
                        "object_type": "curve_edge",
                        "x0": min(x0, x1), "x1": max(x0, x1),
                        "top": min(y0, y1), "bottom": max(y0, y1),
                        "doctop": min(y0, y1),
                        "width": abs(x1 - x0), "height": abs(y1 - y0),
                        "orientation": "v" if x0 == x1 else "h",
                    })

        for i in range(_count_segments(obj)):
            seg = _path_segment(obj, i)
            _segment_point(seg, x_at, y_at)
            px = a * x.value + c * y.value + e
            py = height - (b * x.value + d * y.value + f)
            if _segment_type(seg) == _MOVETO:
                if points:
                    flush(False)
                points = [(px, py)]
            else:
                points.append((px, py))
            if _segment_closes(seg):
                flush(True)
                points = []
        if points:
            flush(False)
        if not any_edge:
            out.curves.append(None)


def _family(name: str) -> str:
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" and name[:6].isupper() else name


@dataclass
class _PdfminerFont:
    name: str                   # as pdfminer gives it, subset tag included ("BAAAAA+WenQuanYiZenHei")
    family: str                 # without the tag, as pdfium names it
    descent: float              # pdfminer's: the FontDescriptor's /Descent (pdfium reads the font file's)
    charset: frozenset | None   # the text its Unicode map can give; None: any


class _PdfminerFonts:
    """The fonts of each page as pdfminer builds them (fonts are shared by pages and built once).

    pdfium names a font without its subset tag and places glyphs with the font file's descent;
    pdfminer keeps the tag (two subsets of one face count as two fonts, which decides a
    line's dominant font) and uses the descriptor's descent. The reader must see what
    pdfminer shows, so each pdfium font is matched to the pdfminer font of its page with the
    same family that can give all its characters. A Type3 font, a font pdfminer cannot
    build, or a page where the match is not unique: the page is pdfplumber's."""

    def __init__(self, pdfminer_pages: list) -> None:
        from pdfminer.pdfinterp import PDFResourceManager

        self._pages = pdfminer_pages            # pdfminer PDFPage objects (resources only)
        self._by_objid: dict[int, _PdfminerFont | None] = {}
        self._rsrc = PDFResourceManager(caching=True)

    def page(self, index: int) -> dict[str, list[_PdfminerFont]] | None:
        """family -> the page's fonts of that family; None when the page is not for pdfium."""
        from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1

        if index >= len(self._pages):
            return None
        out: dict[str, list[_PdfminerFont]] = {}
        try:
            fonts = dict_value(self._pages[index].resources.get("Font", {}))
            for ref in fonts.values():
                objid = ref.objid if isinstance(ref, PDFObjRef) else None
                if objid is not None and objid in self._by_objid:
                    font = self._by_objid[objid]
                else:
                    font = self._build(objid, dict_value(resolve1(ref)))
                    if objid is not None:
                        self._by_objid[objid] = font
                if font is None:
                    return None
                same = out.setdefault(font.family, [])
                if all(f.name != font.name for f in same):
                    same.append(font)
        except Exception:  # noqa: BLE001 - whatever pdfminer makes of it, pdfplumber reads the page
            return None
        return out

    def _build(self, objid, spec) -> _PdfminerFont | None:
        from pdfminer.pdffont import PDFType3Font

        font = self._rsrc.get_font(objid, spec)
        if isinstance(font, PDFType3Font):
            return None
        name = str(font.fontname)
        charset: set | None = set()
        umap = getattr(font, "unicode_map", None)
        if umap is not None:
            table = getattr(umap, "cid2unichr", None)
            if table:
                charset.update(table.values())
            else:
                charset = None          # an identity map: any character
        c2u = getattr(font, "cid2unicode", None)
        if charset is not None and c2u:
            charset.update(c2u.values())
        return _PdfminerFont(name, _family(name), font.get_descent(),
                             frozenset(charset) if charset is not None else None)


def _resolve(family_fonts: list[_PdfminerFont], texts: set[str]) -> _PdfminerFont | None:
    """The one font of the family that can give every text, or None."""
    if len(family_fonts) == 1:
        return family_fonts[0]
    fits = [f for f in family_fonts if f.charset is None or texts <= f.charset]
    return fits[0] if len(fits) == 1 else None


def _lines_only(settings) -> bool:
    """Settings under which pdfplumber's TableFinder uses nothing but the page's edges."""
    return (settings.vertical_strategy == settings.horizontal_strategy == "lines"
            and not settings.explicit_vertical_lines and not settings.explicit_horizontal_lines)


def _offset_box(page) -> bool:
    """A page whose crop or media box does not start at (0, 0): left to pdfplumber."""
    try:
        mb = page.get_mediabox()
        cb = page.get_cropbox()
    except Exception:  # noqa: BLE001 - any doubt: the slow, careful path
        return True
    return tuple(mb) != tuple(cb) or mb[0] != 0 or mb[1] != 0
