"""`cpscreen batch`: real samples, a broken file, an interrupted run resumed — the real command."""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from cpscreen.batch import SUMMARY_COLUMNS, collect_inputs, safe_stem, write_summary

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"


def cpscreen(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpscreen", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def read_summary(outdir: Path) -> pd.DataFrame:
    return pd.read_excel(outdir / "summary.xlsx", dtype=str).fillna("")


def result_files(outdir: Path) -> dict[str, Path]:
    return {p.name: p for p in outdir.iterdir() if p.suffix in (".json", ".html", ".xlsx")
            and p.name not in ("index.json", "summary.xlsx")}


@pytest.fixture()
def inbox(tmp_path) -> Path:
    """A folder as an office receives it: reports, a twin name in a subfolder, a broken PDF, clutter."""
    box = tmp_path / "收件"
    (box / "第二批").mkdir(parents=True)
    shutil.copy(SAMPLES / "a01_sugar_audit.docx", box / "a01_sugar_audit.docx")
    shutil.copy(SAMPLES / "a01_sugar_audit.pdf", box / "a01_sugar_audit.pdf")
    shutil.copy(SAMPLES / "a02_cement_summary.docx", box / "a02_cement_summary.docx")
    # the same name, other bytes: the outputs must not clash
    shutil.copy(SAMPLES / "a03_paper_audit_chapters.docx", box / "第二批" / "a01_sugar_audit.docx")
    # the same bytes, another name: screened once, listed twice
    shutil.copy(SAMPLES / "a01_sugar_audit.docx", box / "第二批" / "副本.docx")
    (box / "第二批" / "损坏的报告.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")
    (box / "说明.md").write_text("不是报告", encoding="utf-8")           # not an accepted extension
    (box / ".隐藏.docx").write_bytes(b"")                                 # hidden: skipped
    return box


def test_batch_with_a_broken_file(inbox, tmp_path):
    odd = tmp_path / "a<b>|c..report"                     # given directly: taken whatever its extension
    odd.write_text("广西某某糖业有限公司\n清洁生产审核报告\n一、企业简况\n2023年水计量率达到100%。\n", encoding="utf-8")
    out = tmp_path / "结果"
    proc = cpscreen("batch", str(inbox), str(odd), "-o", str(out), "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "预审" in proc.stderr                          # the progress bar, on stderr

    df = read_summary(out)
    assert list(df.columns) == SUMMARY_COLUMNS
    assert len(df) == 7
    errors = df[df["错误"] != ""]
    assert list(errors["文件"]) == ["损坏的报告.pdf"]
    assert "PDF" in errors["错误"].iloc[0]
    ok = df[df["错误"] == ""]
    assert (ok["自动得分"] != "").all() and (ok["待复核分值"] != "").all()
    assert set(ok["可达80分"]) <= {"是", "否"}
    for _, row in ok.iterrows():
        reach = float(row["自动得分"]) + float(row["待复核分值"]) >= 80
        assert row["可达80分"] == ("是" if reach else "否")

    # every input has its JSON, HTML and XLSX; names are safe and distinct
    files = result_files(out)
    stems = {Path(n).stem for n in files}
    assert len(stems) == 6 and len(files) == 18
    copy_row = df[df["文件"] == "副本.docx"].iloc[0]
    original = df[(df["文件"] == "a01_sugar_audit.docx") & (df["sha256"] == copy_row["sha256"])].iloc[0]
    assert copy_row["结果文件"] == original["结果文件"] and copy_row["自动得分"] == original["自动得分"]
    for stem in stems:
        assert re.fullmatch(r"[\w\-.\u4e00-\u9fff]+-[0-9a-f]{12}", stem), stem
        assert not stem.startswith(".")
    for name, path in files.items():
        if name.endswith(".json"):
            result = json.loads(path.read_text(encoding="utf-8"))
            assert name.endswith(result["sha256"][:12] + ".json")
    a01 = [n for n in files if n.startswith("a01_sugar_audit-") and n.endswith(".json")]
    assert len(a01) == 3                                  # docx, pdf and the other file of that name
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert len(index["results"]) == 6

    # an enterprise's files sit together (sorted by enterprise, then type)
    sugar = [i for i, e in enumerate(df["企业名称"]) if "糖业" in e and "丰蔗" in e]
    assert len(sugar) == 3 and sugar == list(range(sugar[0], sugar[0] + 3))
    blank = list(df["企业名称"].eq(""))                    # no enterprise (the error row): at the end
    assert blank == sorted(blank) and blank[-1]
    assert not list(out.glob(".*"))                        # no temp files left


def test_summary_sorts_an_enterprise_together(tmp_path):
    def row(file, enterprise, kind, error=""):
        return {c: "" for c in SUMMARY_COLUMNS} | {"文件": file, "企业名称": enterprise, "类型": kind, "错误": error}
    rows = [row("b_总结.pdf", "广西乙公司", "工作总结"), row("坏.pdf", "", "", "损坏"),
            row("a_报告.pdf", "广西甲公司", "审核报告"), row("b_报告.docx", "广西乙公司", "审核报告"),
            row("a_总结.docx", "广西甲公司", "工作总结")]
    write_summary(tmp_path, rows)
    df = read_summary(tmp_path)
    # (names sort by code point: 乙 before 甲; 审核报告 before 工作总结)
    assert list(df["文件"]) == ["b_报告.docx", "b_总结.pdf", "a_报告.pdf", "a_总结.docx", "坏.pdf"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_interrupted_batch_resumes(tmp_path, workers):
    box = tmp_path / "in"
    box.mkdir()
    names = ["a01_sugar_audit.docx", "a02_cement_summary.docx", "a03_paper_audit_chapters.docx",
             "a04_zinc_audit_decimal.docx", "a05_cassava_audit_styles.docx", "a06_ceramics_audit_spaced.docx",
             "a07_pharma_audit_sevenstage.docx", "a08_silk_audit_sevenstage.docx"]
    for n in names:
        shutil.copy(SAMPLES / n, box / n)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cpscreen", "batch", str(box), "-o", str(out), "--workers", workers],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 300
    while not [p for p in out.glob("*.json") if p.name != "index.json"]:
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "no result appeared"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)                      # Ctrl-C
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "已中断" in err

    done = {Path(n).stem for n in result_files(out) if n.endswith(".json")}   # the JSON comes last
    first = {name: p.stat().st_mtime_ns for name, p in result_files(out).items() if Path(name).stem in done}
    assert 1 <= len(done) < len(names), "the interruption should fall inside the batch"
    assert all((out / f"{stem}.{ext}").exists() for stem in done for ext in ("json", "html", "xlsx"))
    df = read_summary(out)                               # the summary of what finished
    assert len(df) == len(names)
    finished = df[df["自动得分"] != ""]
    assert len(finished) == len(done)
    assert df[df["自动得分"] == ""]["错误"].str.contains("未完成").all()
    assert not list(out.glob(".*.tmp"))

    again = cpscreen("batch", str(box), "-o", str(out), "--workers", workers)
    assert again.returncode == 0, again.stderr
    assert f"已有结果跳过 {len(done)} 份" in again.stderr
    assert f"本次预审 {len(names) - len(done)} 份" in again.stderr
    after = result_files(out)
    assert len(after) == 3 * len(names)
    for name, mtime in first.items():                    # nothing done was redone
        assert after[name].stat().st_mtime_ns == mtime, name
    df = read_summary(out)
    assert (df["错误"] == "").all() and (df["自动得分"] != "").all()

    third = cpscreen("batch", str(box), "-o", str(out))  # everything done: nothing screened
    assert third.returncode == 0 and f"已有结果跳过 {len(names)} 份" in third.stderr


def test_usage_errors(tmp_path):
    empty = tmp_path / "空"
    empty.mkdir()
    for args in (["batch", str(empty), "-o", str(tmp_path / "o")],          # nothing to screen
                 ["batch", str(SAMPLES / "a01_sugar_audit.docx")],           # no -o
                 ["batch", str(SAMPLES / "a01_sugar_audit.docx"), "-o", str(tmp_path / "o"), "--workers", "0"],
                 ["batch", str(SAMPLES / "a01_sugar_audit.docx"), "-o", str(tmp_path / "o"), "--timeout", "-1"],
                 ["batch", str(SAMPLES / "a01_sugar_audit.docx"), "-o", str(tmp_path / "o"), "--ocr-pages", "-3"],
                 ["batch", str(SAMPLES / "a01_sugar_audit.docx"), "-o", str(tmp_path / "o"), "--ocr-pages", "all"]):
        proc = cpscreen(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "用法错误" in proc.stderr and "usage error" in proc.stderr and "Traceback" not in proc.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    proc = cpscreen("batch", str(SAMPLES / "a01_sugar_audit.docx"), "-o", str(a_file))
    assert proc.returncode == 2 and "不是文件夹" in proc.stderr
    assert not (tmp_path / "o").exists()                  # refused before anything was made


def test_names_are_sanitised():
    assert safe_stem("../../etc/passwd") == "passwd"
    assert safe_stem("..\\..\\x.docx") == "x"
    assert safe_stem(".bashrc") == "bashrc"
    assert safe_stem("广西 某某 糖业（2024）审核报告.pdf") == "广西_某某_糖业（2024）审核报告"
    assert safe_stem("a<b>|c:*?.pdf") == "a_b_c"
    assert safe_stem("....pdf") == "pdf" and safe_stem("...") == "file" and safe_stem("<>|") == "file"
    assert len(safe_stem("很长" * 100 + ".pdf")) <= 60
    assert os.sep not in safe_stem("a/b/c.pdf")


def test_collect_inputs(tmp_path, inbox):
    out = inbox / "结果"               # an output folder inside the input is not read back
    out.mkdir()
    (out / "old.docx").write_bytes(b"x")
    found = collect_inputs([str(inbox), str(inbox / "a01_sugar_audit.docx")], out)
    names = sorted(Path(p).name for p in found)
    assert names == ["a01_sugar_audit.docx", "a01_sugar_audit.docx", "a01_sugar_audit.pdf",
                     "a02_cement_summary.docx", "副本.docx", "损坏的报告.pdf"]


# ------------------------------------------------------------ OCR settings

@pytest.fixture()
def scanned_inbox(tmp_path) -> Path:
    """A one-page scan and a Word report."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
    pytest.importorskip("reportlab")
    sys.path.insert(0, str(ROOT / "tests"))
    from scans import have_font, image_pdf, scan_image
    if not have_font():
        pytest.skip("fonts-wqy-zenhei is not installed")
    box = tmp_path / "in"
    box.mkdir()
    image_pdf(box / "扫描件.pdf", [scan_image([(16, "一、企业简况", 100),
                                              (12, "2023年全厂水计量率达到100%。", 140)])])
    shutil.copy(SAMPLES / "a01_sugar_audit.docx", box / "a01_sugar_audit.docx")
    return box


def test_resume_reuses_a_result_only_under_the_same_ocr_settings(scanned_inbox, tmp_path):
    out = tmp_path / "out"

    def batch(*options: str) -> dict[str, dict]:
        proc = cpscreen("batch", str(scanned_inbox), "-o", str(out), *options)
        assert proc.returncode == 0, proc.stderr
        results = {json.loads(p.read_text(encoding="utf-8"))["file"]: p for n, p in result_files(out).items()
                   if n.endswith(".json")}
        return {"stderr": proc.stderr, "scan": json.loads(results["扫描件.pdf"].read_text(encoding="utf-8")),
                "mtimes": {n: p.stat().st_mtime_ns for n, p in results.items()}}

    first = batch("--no-ocr")
    assert "本次预审 2 份" in first["stderr"]
    assert first["scan"]["unread_pages"] == [1] and first["scan"]["ocr_pages"] == 0
    same = batch("--no-ocr")                              # same settings: nothing screened again
    assert "本次预审 0 份" in same["stderr"] and "已有结果跳过 2 份" in same["stderr"]
    assert same["mtimes"] == first["mtimes"]

    with_ocr = batch()                                    # OCR now: the scan, and only it, again
    assert "本次预审 1 份" in with_ocr["stderr"] and "已有结果跳过 1 份" in with_ocr["stderr"]
    assert with_ocr["scan"]["ocr_pages"] == 1 and with_ocr["scan"]["unread_pages"] == []
    assert [(i["key"], i["value"]) for i in with_ocr["scan"]["indicators"]] == [("water_metering_rate", 100)]
    assert with_ocr["mtimes"]["a01_sugar_audit.docx"] == first["mtimes"]["a01_sugar_audit.docx"]
    again = batch()
    assert "本次预审 0 份" in again["stderr"] and "已有结果跳过 2 份" in again["stderr"]
    back = batch("--no-ocr")                              # and back: screened without OCR again
    assert "本次预审 1 份" in back["stderr"] and back["scan"]["unread_pages"] == [1]
    df = read_summary(out)
    assert len(df) == 2 and (df["错误"] == "").all()


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the workers must inherit the test's patch (fork)")
def test_workers_share_the_cores_for_ocr(tmp_path, monkeypatch, capsys):
    """Each of N pool workers lets onnxruntime use cores // N threads (at least one)."""
    import cpscreen.pipeline
    from cpscreen.batch import cmd_batch
    from ingest import ocr

    log = tmp_path / "threads.log"
    screen = cpscreen.pipeline.screen

    def logging_screen(path, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {ocr.threads()}\n")
        return screen(path, *args, **kwargs)

    monkeypatch.setattr(cpscreen.pipeline, "screen", logging_screen)
    monkeypatch.delenv(ocr.THREADS_ENV, raising=False)
    box = tmp_path / "in"
    box.mkdir()
    for name in ("a01_sugar_audit.docx", "a02_cement_summary.docx"):
        shutil.copy(SAMPLES / name, box / name)
    assert cmd_batch([str(box)], str(tmp_path / "out"), 2) == 0
    cores = len(os.sched_getaffinity(0))
    seen = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(seen) == 2 and {t for _, t in seen} == {str(max(1, cores // 2))}
    assert all(int(pid) != os.getpid() for pid, _ in seen)
    assert ocr.threads() is None                          # this process is left as it was
    assert ocr.threads_per_worker(1) == cores and ocr.threads_per_worker(4 * cores) == 1
    monkeypatch.setenv(ocr.THREADS_ENV, "1")              # the user's setting wins
    assert ocr.threads_per_worker(2) is None
