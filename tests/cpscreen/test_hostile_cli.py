"""Hostile inputs through the real command line: `python -m cpscreen check FILE --format json`.

Every bad file must give exit 3 and the contract's JSON with `error` set (Chinese and
English), or exit 0 with warnings where something could be read; never a traceback;
within 20 s and under 1 GB. Time is enforced with the subprocess time limit; memory is
the peak resident size of the CLI process and everything it ran (LibreOffice too), from
resource.getrusage(RUSAGE_CHILDREN) in a small wrapper process.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hostile_files as H  # noqa: E402
from scans import scan_copy  # noqa: E402

from ingest.errors import warning_text  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "samples"
TRUTH = REPO / "corpus" / "truth"
CONTRACT_KEYS = {"schema", "file", "sha256", "doc_type", "pages", "ocr_pages", "error", "warnings",
                 "outline", "indicators", "conflicts", "items", "score", "missing"}
TIME_LIMIT = 20.0
MEMORY_LIMIT_MB = 1024

pytest.importorskip("reportlab")
if not Path(H.WQY).is_file():
    pytest.skip("fonts-wqy-zenhei is not installed", allow_module_level=True)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


# The child is started by a small wrapper that reports getrusage(RUSAGE_CHILDREN) of what
# it ran: measured straight from this (large) test process, a child's ru_maxrss would start
# at this process's size, which Linux carries over through fork and exec.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = TIME_LIMIT,
            python_code: str | None = None) -> Run:
    """Run the CLI in a child process, with its time limit; peak memory of it and its children."""
    cmd = [sys.executable, "-c", python_code, *args] if python_code else \
        [sys.executable, "-m", "cpscreen", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, rss.name, *cmd], stdout=out,
                                stderr=err, cwd=cwd or REPO, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)       # the CLI and anything it started
            proc.wait()
            pytest.fail(f"{args} took longer than {timeout} s")
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        peak_kb = int(rss.read() or 0)
        return Run(code, out.read().decode("utf-8"), err.read().decode("utf-8"), seconds,
                   peak_kb / 1024)


def check_json(path: Path, *extra: str, timeout: float = TIME_LIMIT, cwd: Path | None = None) -> Run:
    return run_cli("check", str(path), "--format", "json", *extra, timeout=timeout, cwd=cwd)


def assert_error_json(run: Run, name: str, code: str) -> dict:
    assert run.code == 3, (run.code, run.stderr[-500:])
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    result = run.json                                     # exactly one JSON object
    assert CONTRACT_KEYS <= set(result)
    assert result["schema"] == "cpscreen/1" and result["file"] == name
    assert result["error_code"] == code, result["error"]
    zh, en = result["error"].split(" / ", 1)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)              # Chinese, then English
    assert any(ch.isascii() and ch.isalpha() for ch in en)
    assert result["indicators"] == [] and result["score"]["auto"] == 0
    assert run.seconds < TIME_LIMIT and run.peak_mb < MEMORY_LIMIT_MB, (run.seconds, run.peak_mb)
    return result


def write(tmp_path: Path, built: tuple[str, bytes]) -> Path:
    name, data = built
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("build, code", [
    (H.zero_byte, "E002"),
    (H.truncated_pdf, "E004"),
    (H.broken_xref_garbage, "E004"),
    (H.deeply_nested_pdf, "E004"),
    (H.encrypted_pdf, "E005"),
    (H.binary_garbage, "E003"),
    (H.html_as_docx, "E017"),
    (H.xlsx_as_docx, "E018"),
    (H.truncated_docx, "E006"),
    (H.zip_bomb_ratio, "E009"),
    (H.zip_bomb_total, "E009"),
    (H.zip_lying_sizes, "E009"),
    (H.ole2_garbage, "E016"),
], ids=lambda v: getattr(v, "__name__", None))
def test_bad_file_exit_3_with_error_json(tmp_path, build, code):
    if code == "E016" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = write(tmp_path, build())
    assert_error_json(check_json(path), path.name, code)


def test_encrypted_pdf_says_so_and_password_works(tmp_path):
    path = write(tmp_path, H.encrypted_pdf("mima123"))
    result = assert_error_json(check_json(path), path.name, "E005")
    assert "加密" in result["error"] and "encrypted" in result["error"]
    assert_error_json(check_json(path, "--password", "wrong"), path.name, "E005")
    run = check_json(path, "--password", "mima123")
    assert run.code == 0, run.stderr
    water = [m for m in run.json["indicators"] if m["key"] == "water_metering_rate"]
    assert water and water[0]["value"] == 100 and water[0]["year"] == 2023


def test_billion_laughs(tmp_path):
    path = write(tmp_path, H.billion_laughs())
    run = check_json(path)
    assert run.code in (0, 3) and "Traceback" not in run.stderr
    assert "哈哈" not in run.stdout
    assert run.seconds < TIME_LIMIT and run.peak_mb < MEMORY_LIMIT_MB
    if run.code == 3:
        assert run.json["error_code"] == "E006"


@pytest.mark.parametrize("build", [H.broken_xref_recoverable, H.pdf_named_docx, H.docx_named_pdf,
                                   lambda: H.utf16_text("utf-16-le"), lambda: H.utf16_text("utf-16-be")],
                         ids=["broken_xref", "pdf_named_docx", "docx_named_pdf", "utf16le", "utf16be"])
def test_readable_oddities_are_screened(tmp_path, build):
    path = write(tmp_path, build())
    run = check_json(path)
    assert run.code == 0, run.stderr
    result = run.json
    assert result["error"] is None and result["file"] == path.name
    water = [m for m in result["indicators"] if m["key"] == "water_metering_rate"]
    assert water and water[0]["value"] == 100
    assert run.seconds < TIME_LIMIT and run.peak_mb < MEMORY_LIMIT_MB
    if build is H.broken_xref_recoverable:
        assert warning_text("W010") in result["warnings"]


def test_five_thousand_tiny_tables_time_and_memory(tmp_path):
    path = write(tmp_path, H.many_tiny_tables(5000))
    run = check_json(path)
    assert run.code == 0, run.stderr
    assert run.seconds < TIME_LIMIT and run.peak_mb < MEMORY_LIMIT_MB, (run.seconds, run.peak_mb)


@pytest.mark.parametrize("name", H.ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    (tmp_path / name).write_text("\n".join(H.REPORT_LINES), encoding="utf-8")
    # relative to the working folder, after "--" so a leading "-" is not an option
    run = run_cli("check", "--format", "json", "--", name, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.json["file"] == name and run.json["error"] is None
    assert not (tmp_path / "x").exists()          # nothing in a name is ever run


def test_leading_dash_name_also_works_as_dot_slash(tmp_path):
    (tmp_path / "-报告.txt").write_text("\n".join(H.REPORT_LINES), encoding="utf-8")
    run = run_cli("check", "./-报告.txt", "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.json["file"] == "-报告.txt"


# ------------------------------------------------------------ scanned pages

def _scan_pdf(tmp_path: Path, text_pdf: Path, dpi: int = 200, pages: list[int] | None = None) -> Path:
    """An image-only copy of a PDF: its pages (0-based; all by default) rendered at `dpi`."""
    return scan_copy(text_pdf, tmp_path / f"scan_{text_pdf.name}", dpi=dpi, pages=pages)


def test_scanned_page_without_ocr_is_listed_not_scored(tmp_path):
    scan = _scan_pdf(tmp_path, SAMPLES / "a01_sugar_audit.pdf", dpi=100, pages=[3, 4])
    run = check_json(scan, "--no-ocr")
    assert run.code == 0, run.stderr
    result = run.json
    assert result["unread_pages"] == [1, 2] and result["ocr_pages"] == 0
    assert warning_text("W001", pages="1-2") in result["warnings"]
    assert any(w.startswith("第 1、2 页未能读取文字") for w in result["warnings"])      # W005
    assert result["indicators"] == []


def test_without_the_ocr_extra_pages_are_listed(tmp_path):
    scan = _scan_pdf(tmp_path, SAMPLES / "a01_sugar_audit.pdf", dpi=100, pages=[3])
    code = ("import sys; sys.modules['rapidocr_onnxruntime'] = None\n"
            "from cpscreen.cli import main; sys.exit(main(sys.argv[1:]))")
    run = run_cli("check", str(scan), "--format", "json", python_code=code)
    assert run.code == 0, run.stderr
    result = run.json
    assert result["unread_pages"] == [1]
    assert warning_text("W007") in result["warnings"]
    assert any("OCR" in w and "pip install" in w for w in result["warnings"])


def _truth_keys(name: str) -> set[tuple]:
    truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
    return {(m["key"], round(float(m["value"]), 3), m["year"]) for m in truth["indicators"]}


def _keys(result: dict) -> set[tuple]:
    return {(m["key"], round(float(m["value"]), 3), m["year"]) for m in result["indicators"]}


@pytest.mark.slow
def test_scanned_copy_recall_close_to_the_text_version(tmp_path):
    """The corpus PDF rendered at 200 dpi into an image-only PDF, read back with OCR."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
    text_pdf = SAMPLES / "a01_sugar_audit.pdf"
    scan = _scan_pdf(tmp_path, text_pdf, dpi=200)
    truth = _truth_keys("a01_sugar_audit.pdf")
    text = check_json(text_pdf, timeout=120).json
    run = check_json(scan, timeout=240)
    assert run.code == 0, run.stderr
    ocr = run.json
    assert ocr["ocr_pages"] == ocr["pages"] and ocr["unread_pages"] == []
    text_recall = len(truth & _keys(text)) / len(truth)
    ocr_recall = len(truth & _keys(ocr)) / len(truth)
    print(f"\nindicator recall: text {text_recall:.3f}, OCR {ocr_recall:.3f} "
          f"({ocr_recall / text_recall:.3f} of text); OCR run {run.seconds:.0f} s, "
          f"peak {run.peak_mb:.0f} MB")
    assert ocr_recall >= 0.9 * text_recall
    assert abs(ocr["score"]["auto"] - text["score"]["auto"]) <= 5
    assert run.peak_mb < MEMORY_LIMIT_MB


# ------------------------------------------------------------ .doc and .wps

@pytest.fixture(scope="module")
def legacy_copies(tmp_path_factory) -> dict[str, Path]:
    """The corpus DOCX saved as .doc by LibreOffice; the .wps is those bytes under a .wps name
    (LibreOffice cannot write WPS; WPS users mostly submit Word 97 files named .wps)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("legacy_cli")
    src = d / "a01_sugar_audit.docx"
    shutil.copy(SAMPLES / src.name, src)
    profile = Path(tempfile.mkdtemp(prefix="lo_test_profile_"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", str(d), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    doc = d / "a01_sugar_audit.doc"
    wps = d / "a01 sugar 报告.wps"
    wps.write_bytes(doc.read_bytes())
    return {"docx": src, "doc": doc, "wps": wps}


def _summary(result: dict) -> tuple:
    headings = [(s["id"], s["status"], s["heading"]) for s in result["outline"]["sections"]]
    indicators = sorted(((m["key"], m["value"], m["year"]) for m in result["indicators"]), key=repr)
    return headings, indicators, result["score"]


@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_doc_and_wps_screen_like_the_docx(legacy_copies, fmt):
    base = check_json(legacy_copies["docx"], timeout=60)
    run = check_json(legacy_copies[fmt], timeout=60)
    assert base.code == 0 and run.code == 0, run.stderr
    result = run.json
    assert result["format"] == fmt and result["file"] == legacy_copies[fmt].name
    assert warning_text("W009", fmt=fmt.upper()) in result["warnings"]
    assert _summary(result) == _summary(base.json)
    assert result["indicators"], "the .doc gave no indicators at all"
    assert run.seconds < TIME_LIMIT and run.peak_mb < MEMORY_LIMIT_MB, (run.seconds, run.peak_mb)


def test_doc_without_libreoffice_is_exit_3(legacy_copies, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env_code = ("import os, sys; os.environ['PATH'] = sys.argv.pop(1); os.environ.pop('CPSCREEN_SOFFICE', None)\n"
                "from cpscreen.cli import main; sys.exit(main(sys.argv[1:]))")
    run = run_cli(str(empty), "check", str(legacy_copies["doc"]), "--format", "json", python_code=env_code)
    result = assert_error_json(run, legacy_copies["doc"].name, "E014")
    assert "LibreOffice" in result["error"]
