"""Helpers of test_web_api.py and test_web_browser.py.

Scanned PDFs, made with tests/ingest/test_ocr.py's own helpers (scan_image, image_pdf):
- `light_scan`: pages of a few lines each, about half a second of OCR a page;
- `heavy_scan`: one page full of text, several seconds of OCR (0.6 MB).

Jobs for `cpscreen.web.Runner(target=run)`: they run in the Runner's real spawned worker
processes (which import this module by name: a spawned worker gets the test run's sys.path)
and write each start to a log, so that a test sees what ran, in which process, in what order:
- ("hang", log): never ends (as a worker stuck in C code would: SIGTERM blocked too);
- ("wait", log, flag): ends as soon as the file `flag` exists (the test decides when);
- ("threads", log): the OCR threads this worker was given (ingest.ocr.threads());
- anything else: ends at once.
"""
from __future__ import annotations

import importlib.util
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------ scanned PDFs

def ocr_test_module():
    """tests/ingest/test_ocr.py, imported once (it skips, as there, without OCR or its font)."""
    import pytest

    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
    name = "_cpscreen_web_test_ocr"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "ingest" / "test_ocr.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return module


def light_scan(path: Path, pages: int) -> Path:
    ocr = ocr_test_module()
    return ocr.image_pdf(path, [ocr.scan_image(ocr.BODY) for _ in range(pages)])


def heavy_scan(path: Path) -> Path:
    ocr = ocr_test_module()
    lines = [(16, "一、企业简况", 80)] + [
        (12, f"{i + 1}．广西某某糖业有限公司2023年全厂水计量率达到100%，能源计量器具配备率为95.6%。", 110 + 22 * i)
        for i in range(28)]
    return ocr.image_pdf(path, [ocr.scan_image(lines)])


# ------------------------------------------------------------------------------ Runner jobs

def run(kind: str, log: str, flag: str | None = None) -> tuple:
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{kind} {os.getpid()}\n")
    if kind == "hang":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
        while True:
            time.sleep(60)
    if kind == "wait":
        deadline = time.monotonic() + 120
        while not Path(flag).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never set the flag")
            time.sleep(0.02)
    if kind == "threads":
        from ingest import ocr
        return (ocr.threads(),)
    return kind, os.getpid()


def starts(log: Path) -> list[tuple[str, int]]:
    """The jobs started so far, in order: (kind, pid)."""
    if not log.exists():
        return []
    return [(kind, int(pid)) for kind, pid in
            (line.split() for line in log.read_text(encoding="utf-8").splitlines())]
