"""Check that a ZIP's members are as big as its directory says, before anything inflates them.

The DOCX reader's first guard (`docx_reader._guard_zip`) trusts the sizes the ZIP
directory declares. A crafted file can declare a small size and carry a deflate
stream that inflates to gigabytes: Python's `zipfile` hands back only the declared
number of bytes (and the CRC of those matches), but `ZipFile.read()` inflates the
whole stream into memory first. So every member is inflated here, a megabyte at a
time, and refused as soon as it outgrows its declared size; and an XML part too big
to parse within the memory budget is refused even when honest.
"""
from __future__ import annotations

import struct
import zipfile
import zlib

from .errors import ScreenError

CHUNK = 1 << 20
# lxml needs several times an XML part's size to parse it; a report's document.xml
# is a few MB (a 500-page report about 20 MB).
MAX_XML_PART_BYTES = 32 * 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length


def check_members(data: bytes, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Raise ScreenError (E006 damaged, E009 too big) unless every member inflates to its declared size."""
    view = memoryview(data)
    for info in infos:
        if info.is_dir():
            continue
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
            raise ScreenError("E009", path=name,
                              detail=f"{info.filename}: {info.file_size // 2**20} MB of XML")
        start = _data_offset(data, info, name)
        stream = view[start:start + info.compress_size]
        if len(stream) < info.compress_size:
            raise ScreenError("E006", path=name, detail=f"zip: {info.filename} is cut off")
        if info.compress_type == zipfile.ZIP_STORED:
            if info.compress_size != info.file_size:
                raise ScreenError("E006", path=name, detail=f"zip: {info.filename} has the wrong size")
            continue
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise ScreenError("E006", path=name,
                              detail=f"zip: {info.filename} uses compression method {info.compress_type}")
        _inflate_within(stream, info, name)


def _data_offset(data: bytes, info: zipfile.ZipInfo, name: str) -> int:
    off = info.header_offset
    header = data[off:off + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise ScreenError("E006", path=name, detail=f"zip: {info.filename} is cut off")
    signature, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise ScreenError("E006", path=name, detail=f"zip: no local header for {info.filename}")
    return off + _LOCAL_HEADER.size + name_len + extra_len


def _inflate_within(stream: memoryview, info: zipfile.ZipInfo, name: str) -> None:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    pending = bytes(stream[:CHUNK])
    rest = stream[CHUNK:]
    try:
        while True:
            out = inflater.decompress(pending, CHUNK)
            produced += len(out)
            if produced > info.file_size:
                raise ScreenError("E009", path=name,
                                  detail=f"{info.filename} inflates beyond its declared "
                                         f"{info.file_size} bytes")
            pending = inflater.unconsumed_tail
            if not pending and rest:
                pending, rest = bytes(rest[:CHUNK]), rest[CHUNK:]
            if inflater.eof or (not pending and not rest and len(out) < CHUNK):
                break
    except zlib.error as exc:
        raise ScreenError("E006", path=name, detail=f"zip: {info.filename}: {exc}"[:200]) from None
    if produced != info.file_size:
        raise ScreenError("E006", path=name, detail=f"zip: {info.filename} has the wrong size")
