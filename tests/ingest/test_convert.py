""".doc / .wps / .rtf through the real LibreOffice (ingest/convert.py).

The legacy files are made here from the corpus DOCX with `soffice --convert-to doc`.
LibreOffice cannot write WPS; a Kingsoft WPS user who "saves as .wps" for Word
compatibility submits a Word 97 compound file under a .wps name, so the .wps here
is the .doc's bytes under that name.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

from ingest import ScreenError, load, load_bytes
from ingest.convert import convert_to_docx
from ingest.errors import warning_text
from ingest.sniff import OLE2_MAGIC

REPO = Path(__file__).resolve().parents[2]
CORPUS_DOCX = REPO / "corpus" / "samples" / "a01_sugar_audit.docx"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def soffice_convert(src: Path, to: str, outdir: Path) -> Path:
    """What a user's Word would have saved: `soffice --convert-to` with a throwaway profile."""
    profile = Path(tempfile.mkdtemp(prefix="lo_test_profile_"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{src.stem}.{to}"
    assert out.is_file(), f"LibreOffice made no .{to}"
    return out


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("legacy")
    src = d / "a01_sugar_audit.docx"
    shutil.copy(CORPUS_DOCX, src)
    doc = soffice_convert(src, "doc", d)
    rtf = soffice_convert(src, "rtf", d)
    wps = d / "a01_sugar_audit.wps"
    wps.write_bytes(doc.read_bytes())
    return {"docx": src, "doc": doc, "wps": wps, "rtf": rtf}


def _texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


@pytest.mark.parametrize("fmt", ["doc", "wps", "rtf"])
def test_legacy_file_reads_like_the_docx(legacy, fmt):
    original = load(legacy["docx"])
    converted = load(legacy[fmt])
    head = legacy[fmt].read_bytes()[:8]
    assert head.startswith(b"{\\rtf") if fmt == "rtf" else head == OLE2_MAGIC
    assert converted.format == fmt
    assert warning_text("W009", fmt=fmt.upper()) in converted.warnings
    assert converted.sha256 != original.sha256          # the hash is of the submitted bytes
    if fmt == "rtf":
        # RTF keeps the text but not Word's numbering definitions exactly
        assert "2023年全厂水计量率达到100%" in converted.text()
    else:
        assert _texts(converted) == _texts(original)
        assert [t.grid() for t in converted.tables()] == [t.grid() for t in original.tables()]


def test_user_file_name_never_reaches_libreoffice(legacy, tmp_path):
    # a leading "-" would be an option, "%2F" a slash in a URL, ".." a parent folder
    odd = tmp_path / "-报告 ..%2F..;$(x).doc"
    odd.write_bytes(legacy["doc"].read_bytes())
    doc = load(odd)
    assert doc.name == odd.name and doc.format == "doc"
    assert "水计量率达到100%" in doc.text()


@needs_soffice
def test_damaged_compound_file_is_a_conversion_error():
    garbage = OLE2_MAGIC + os.urandom(30_000)
    with pytest.raises(ScreenError) as err:
        load_bytes(garbage, "damaged.doc")
    # named filter: LibreOffice does not fall back to reading the bytes as plain text
    assert err.value.code == "E016"
    assert "LibreOffice" in err.value.zh and "LibreOffice" in err.value.en


def test_truncated_doc_is_a_conversion_error(legacy):
    data = legacy["doc"].read_bytes()
    with pytest.raises(ScreenError) as err:
        load_bytes(data[: len(data) // 2], "cut.doc")
    assert err.value.code == "E016"


def _lo_workdirs() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "cpscreen-lo-*")))


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(cmdline, "rb") as fh:
                if text.encode() in fh.read():
                    found.append(int(cmdline.split("/")[2]))
        except OSError:
            continue
    return found


def test_timeout_kills_libreoffice_and_cleans_up(legacy):
    before = _lo_workdirs()
    with pytest.raises(ScreenError) as err:
        convert_to_docx(legacy["doc"].read_bytes(), "doc", "slow.doc", timeout=0.2)
    assert err.value.code == "E015"
    assert "0.2" in err.value.zh and "timed out" in err.value.en
    assert _lo_workdirs() == before                           # temp folder and profile removed
    assert _processes_mentioning("cpscreen-lo-") == []         # the whole process group is gone


def test_each_conversion_has_its_own_profile(legacy):
    data = legacy["doc"].read_bytes()
    results: list[object] = [None, None]

    def work(i: int) -> None:
        try:
            results[i] = convert_to_docx(data, "doc", f"w{i}.doc")
        except Exception as exc:  # noqa: BLE001 - reported below
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(isinstance(r, bytes) and r[:2] == b"PK" for r in results), results


def test_libreoffice_missing_is_a_clear_error(legacy, monkeypatch, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CPSCREEN_SOFFICE", raising=False)
    with pytest.raises(ScreenError) as err:
        load(legacy["wps"])
    assert err.value.code == "E014"
    assert "LibreOffice" in err.value.zh and "WPS" in err.value.zh
    assert "not installed" in err.value.en


def test_soffice_that_fails_to_run(legacy, monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'cannot start: no display' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CPSCREEN_SOFFICE", str(fake))
    with pytest.raises(ScreenError) as err:
        load(legacy["doc"])
    assert err.value.code == "E016"
    assert "cannot start" in err.value.en


def test_unique_names_do_not_leak(legacy):
    # a unique marker in the user's name must not appear in any process or temp path
    marker = uuid.uuid4().hex
    seen: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.extend(_processes_mentioning(marker))
            stop.wait(0.05)

    t = threading.Thread(target=watch)
    t.start()
    try:
        load_bytes(legacy["doc"].read_bytes(), f"{marker}.doc")
    finally:
        stop.set()
        t.join()
    assert [p for p in seen if p != os.getpid()] == []
