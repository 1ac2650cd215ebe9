"""The command line as a user meets it: real files, the real `cpscreen` process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CONTRACT_KEYS = {"schema", "file", "sha256", "doc_type", "pages", "ocr_pages", "error", "warnings",
                 "outline", "indicators", "conflicts", "items", "score", "missing"}

SAMPLE_TEXT = """广西某某糖业有限公司
清洁生产审核报告

一、企业简况
广西某某糖业有限公司位于崇左市，主要产品为白砂糖。

二、企业清洁生产管理现状
公司成立了清洁生产审核领导小组。2023年水计量率达到100%，能源计量率为95.6%。
外排废水年达标率100%，废气达标排放率为99.2%。
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpscreen", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def report_txt(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "报告 样例.txt"
    path.write_text(SAMPLE_TEXT, encoding="gb18030")
    return path


def test_check_json_has_every_contract_key(report_txt):
    proc = run("check", str(report_txt), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)          # exactly one JSON object on stdout
    assert CONTRACT_KEYS <= set(result)
    assert result["schema"] == "cpscreen/1"
    assert result["error"] is None
    assert result["file"] == "报告 样例.txt"
    assert len(result["sha256"]) == 64
    assert result["doc_type"] == "audit_report"
    assert set(result["score"]) >= {"auto", "review_max", "max", "pass_line"}
    assert result["score"]["max"] == 100 and result["score"]["pass_line"] == 80
    assert {s["id"] for s in result["outline"]["sections"]} >= {"1", "2", "5.3", "9"}
    water = [m for m in result["indicators"] if m["key"] == "water_metering_rate"]
    assert water and water[0]["value"] == 100 and water[0]["year"] == 2023
    assert len(result["items"]) == 26


def test_type_override(report_txt):
    proc = run("check", str(report_txt), "--format", "json", "--type", "work_summary")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["doc_type"] == "work_summary"
    assert result["outline"]["template"] == "work_summary"
    assert {s["id"] for s in result["outline"]["sections"]} >= {"4.4", "6.3", "7"}


def test_output_file(report_txt, tmp_path):
    out = tmp_path / "result.json"
    proc = run("check", str(report_txt), "--format", "json", "-o", str(out))
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "cpscreen/1"


def test_table_format_is_chinese(report_txt):
    proc = run("check", str(report_txt))
    assert proc.returncode == 0, proc.stderr
    assert "章节完整性" in proc.stdout and "水计量率" in proc.stdout
    assert "自动得分" in proc.stdout


@pytest.mark.parametrize("content, code", [
    (None, "E001"),                       # no such file
    (b"", "E002"),                        # zero bytes
    (b"\x00\x01\x02\xff\xfe\x00" * 500, "E003"),  # binary garbage
    (b"%PDF-1.7\n1 0 obj\n<<", None),     # truncated PDF
], ids=["missing", "zero-bytes", "garbage", "truncated-pdf"])
def test_unreadable_files_exit_3_with_error_json(tmp_path, content, code):
    path = tmp_path / "bad.pdf"
    if content is not None:
        path.write_bytes(content)
    proc = run("check", str(path), "--format", "json")
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    result = json.loads(proc.stdout)
    assert CONTRACT_KEYS <= set(result)
    assert result["error"]
    # Chinese and English both
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result["error"])
    assert any("a" <= ch <= "z" for ch in result["error"].lower())
    if code:
        assert result["error_code"] == code


def test_usage_errors_exit_2(report_txt):
    assert run().returncode == 2
    assert run("check").returncode == 2
    assert run("check", str(report_txt), "--format", "pdf").returncode == 2
    proc = run("check", str(report_txt), "--type", "nonsense")
    assert proc.returncode == 2 and "用法错误" in proc.stderr


@pytest.mark.parametrize("value, message", [("-1", "不能为负数"), ("abc", "须为页数"), ("1.5", "须为页数")])
def test_ocr_pages_usage_errors_exit_2(report_txt, value, message):
    proc = run("check", str(report_txt), "--ocr-pages", value)
    assert proc.returncode == 2, proc.stderr
    assert "用法错误 / usage error" in proc.stderr and message in proc.stderr
    assert "--ocr-pages" in proc.stderr and "Traceback" not in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("pages", [-1, 1.5, True])
def test_a_bad_ocr_page_cap_from_a_program_is_a_usage_error(report_txt, tmp_path, pages):
    """cmd_check and run_batch called directly (not through argparse) refuse the cap as the
    command line does, before screening anything."""
    from cpscreen.batch import BatchUsageError, run_batch
    from cpscreen.cli import UsageError, cmd_check

    with pytest.raises(UsageError, match="--ocr-pages"):
        cmd_check(str(report_txt), None, "json", str(tmp_path / "r.json"), None, ocr_pages=pages)
    with pytest.raises(BatchUsageError, match="--ocr-pages"):
        run_batch([str(report_txt)], str(tmp_path / "out"), progress=False, ocr_pages=pages)
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "out").exists()


def test_unwritable_output_is_a_usage_error(report_txt, tmp_path):
    proc = run("check", str(report_txt), "--format", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------ scanned pages: the OCR page cap

@pytest.fixture(scope="module")
def text_then_three_scans(tmp_path_factory) -> Path:
    """Page 1 has a text layer; pages 2-4 are scans of one short line each."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
    pytest.importorskip("reportlab")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from scans import have_font, mixed_pdf, scan_image
    if not have_font():
        pytest.skip("fonts-wqy-zenhei is not installed")
    lines = ["第二页是扫描件，水计量率为100%。", "第三页是扫描件，废水回用率为92.3%。",
             "第四页是扫描件，固废利用率为88.5%。"]
    return mixed_pdf(tmp_path_factory.mktemp("cap") / "扫描 报告.pdf",
                     ["第一页是文字页，内容正常。"] + [scan_image([(12, t, 100)]) for t in lines])


def test_ocr_pages_caps_what_ocr_reads_and_says_which_pages_were_not(text_then_three_scans):
    from ingest.errors import warning_text

    proc = run("check", str(text_then_three_scans), "--format", "json", "--ocr-pages", "2")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["ocr_pages"] == 2 and result["unread_pages"] == [4]
    w011 = warning_text("W011", total=3, limit=2, pages="4")
    assert w011 in result["warnings"]
    assert warning_text("W005", pages="4") in result["warnings"]     # not in the score
    assert not any(w.startswith("第 4 页没有文字层") for w in result["warnings"])   # no W001 too
    # the table a user reads: the reason once, how to read all, and that it is not scored
    table = run("check", str(text_then_three_scans), "--ocr-pages", "2")
    assert table.returncode == 0, table.stderr
    notes = [ln for ln in table.stdout.splitlines() if ln.startswith("注意：")]
    assert notes.count(f"注意：{w011}") == 1
    assert sum("第 4 页" in ln for ln in notes) == 2                   # W011 and W005
    assert "--ocr-pages 0" in table.stdout


def test_ocr_pages_0_reads_every_scanned_page(text_then_three_scans):
    proc = run("check", str(text_then_three_scans), "--format", "json", "--ocr-pages", "0")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["ocr_pages"] == 3 and result["unread_pages"] == []
    assert not any("--ocr-pages" in w for w in result["warnings"])


def _run_with_terminal_stderr(*args: str) -> tuple[subprocess.CompletedProcess, str]:
    """`cpscreen ARGS` with stderr on a pseudo-terminal (as in a user's shell), stdout piped."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))   # 24 x 100
    try:
        proc = subprocess.run([sys.executable, "-m", "cpscreen", *args], stdout=subprocess.PIPE,
                              stderr=follower, timeout=300)
        os.close(follower)
        follower = None
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:            # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    return proc, b"".join(chunks).decode("utf-8", "replace")


def test_check_shows_ocr_progress_on_a_terminal_and_nothing_when_piped(text_then_three_scans):
    proc, terminal = _run_with_terminal_stderr("check", str(text_then_three_scans), "--format", "json",
                                               "--ocr-pages", "2")
    assert proc.returncode == 0
    # the bar counts the two pages OCR reads (it is cleared at the end: leave=False)
    assert "文字识别" in terminal and "0/2" in terminal and "1/2" in terminal
    assert json.loads(proc.stdout)["ocr_pages"] == 2        # stdout is the result alone
    piped = run("check", str(text_then_three_scans), "--format", "json", "--ocr-pages", "2")
    assert piped.returncode == 0 and "文字识别" not in piped.stderr and piped.stderr.strip() == ""
