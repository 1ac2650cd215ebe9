"""`cpscreen batch` goes on when a file kills its worker process or makes it hang.

The bad files are real: the test process patches the screening function, and the batch's
forked workers inherit the patch, so one worker really dies of SIGKILL and another really
sleeps for ever with SIGTERM and SIGINT blocked (as a worker stuck in a C call would).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import cpscreen.pipeline
from cpscreen.batch import cmd_batch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from processes import children  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"
GOOD = ["a01_sugar_audit.docx", "a02_cement_summary.docx", "a03_paper_audit_chapters.docx",
        "a04_zinc_audit_decimal.docx"]
KILLS, HANGS = "a01x_kills_its_worker.txt", "a02x_hangs_its_worker.txt"   # sorted among the good
TIMEOUT = 5

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the workers must inherit the test's patch (fork)")


@pytest.fixture()
def bad_files_break_workers(monkeypatch, tmp_path) -> Path:
    """Patch the screening so KILLS kills and HANGS hangs its worker; returns the log of
    every file a worker started on."""
    attempts = tmp_path / "attempts.log"
    screen, test_pid = cpscreen.pipeline.screen, os.getpid()

    def breaking_screen(path, *args, **kwargs):
        with open(attempts, "a", encoding="utf-8") as fh:
            fh.write(os.path.basename(path) + "\n")
        name = os.path.basename(path)
        if name in (KILLS, HANGS):
            assert os.getpid() != test_pid, "a bad file must never run in the batch's own process"
            if name == KILLS:
                os.kill(os.getpid(), signal.SIGKILL)
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
            while True:
                time.sleep(60)
        return screen(path, *args, **kwargs)

    monkeypatch.setattr(cpscreen.pipeline, "screen", breaking_screen)
    return attempts


def results(outdir: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in outdir.glob("*.json")
            if p.name != "index.json"}


def summary_errors(outdir: Path) -> dict[str, str]:
    df = pd.read_excel(outdir / "summary.xlsx", dtype=str).fillna("")
    return dict(zip(df["文件"], df["错误"]))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_dead_or_hung_worker_costs_only_its_own_file(tmp_path, capsys, workers,
                                                       bad_files_break_workers):
    before = children()
    box = tmp_path / "收件"
    box.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES / name, box / name)
    clean = tmp_path / "clean"
    assert cmd_batch([str(box)], str(clean), 2) == 0         # the bad files are not there yet
    expected = results(clean)
    assert len(expected) == len(GOOD)

    attempts = bad_files_break_workers
    # other bytes each: identical bytes would be screened once, as twins
    (box / KILLS).write_text("广西甲公司\n清洁生产审核报告\n", encoding="utf-8")
    (box / HANGS).write_text("广西乙公司\n清洁生产审核报告\n", encoding="utf-8")
    out = tmp_path / "结果"
    capsys.readouterr()
    started = time.monotonic()
    status = cmd_batch([str(box)], str(out), int(workers), timeout=TIMEOUT)
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert status == 0, err
    # the hang costs the limit once alone and, with two workers, once more beside others
    assert took < 4 * TIMEOUT + 60, took
    assert f"本次预审 {len(GOOD)} 份" in err and "出错 2 份" in err, err

    assert results(out) == expected                     # every other file as in a clean batch
    errors = summary_errors(out)
    assert all(errors[name] == "" for name in GOOD), errors
    assert "a worker process died" in errors[KILLS] and "处理进程异常退出" in errors[KILLS]
    assert f"timed out after {TIMEOUT} s" in errors[HANGS] and f"超过 {TIMEOUT} 秒" in errors[HANGS]
    assert "Traceback" not in err
    assert children() == before                        # no worker left behind
    assert not list(out.glob(".*"))                     # no temp files left
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert len(index["results"]) == len(GOOD)           # the bad files are not kept

    # a second run screens only the files not kept, and ends the same way
    kept = {name: (out / name).stat().st_mtime_ns for name in expected}
    attempts.write_text("", encoding="utf-8")
    assert cmd_batch([str(box)], str(out), int(workers), timeout=TIMEOUT) == 0
    err = capsys.readouterr().err
    assert f"已有结果跳过 {len(GOOD)} 份" in err and "本次预审 0 份" in err and "出错 2 份" in err, err
    assert set(attempts.read_text(encoding="utf-8").split()) == {KILLS, HANGS}
    assert all((out / name).stat().st_mtime_ns == mtime for name, mtime in kept.items())
    assert children() == before

