"""`python -m cpscreen.bench`: the benchmark runs end to end on a small generated report, and its
recall and the naive baseline's regular expression do what they say. No timed assertions."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cpscreen.bench import _rate_names, naive_regex, recall

ROOT = Path(__file__).resolve().parents[2]


def test_recall_counts_each_truth_mention_once():
    truth = [{"key": "water_metering_rate", "value": 100.0, "year": 2023, "role": "actual"},
             {"key": "water_metering_rate", "value": 100.0, "year": 2022, "role": "actual"},
             {"key": "wastewater_reuse_rate", "value": 95.0, "year": 2024, "role": "target"}]
    found = [("water_metering_rate", 100.0, None, None)] * 3
    r, p = recall(found, truth)
    assert r == pytest.approx(2 / 3) and p == pytest.approx(2 / 3)
    strict = [("water_metering_rate", 100.0, 2023, "actual"), ("wastewater_reuse_rate", 95.0, 2024, "actual")]
    r, p = recall(strict, truth, strict=True)
    assert r == pytest.approx(1 / 3) and p == pytest.approx(1 / 2)


def test_naive_regex_takes_a_name_then_a_percentage():
    names = _rate_names()
    rx = naive_regex(names)
    hits = [(names[m.group(1)], float(m.group(2)))
            for m in rx.finditer("2023年全厂水计量率达到100%，能源计量器具配备率为95.6%。产能利用率为89.7%")]
    assert hits == [("water_metering_rate", 100.0), ("energy_metering_rate", 95.6)]


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is needed to make the report's PDF")
def test_bench_smoke(tmp_path):
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, "-m", "cpscreen.bench", "--pages", "10", "--repeat", "1", "--no-batch",
         "--workdir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    for label in ("(a) naive", "(b) pypdfium2", "(c) cpscreen pipeline", "(c) cpscreen check",
                  "(c) the same, pages read in one process", "as DOCX", "cold start"):
        assert label in text, text
    assert re.search(r"ratio a/c: [\d.]+x", text), text
    assert re.search(r"ratio a/c, pages read in one process: [\d.]+x", text), text
    assert re.search(r"reads the PDF's pages in \d+ process", text), text
    assert re.search(r"ratio b/c: [\d.]+", text), text
    assert re.search(r"ratio docx/pdf: [\d.]+", text), text
    assert re.search(r"outputs batch writes per file \(JSON, HTML, XLSX\) of this report: from the PDF "
                     r"[\d.]+ s, from the DOCX [\d.]+ s", text), text
    m = re.search(r"recall \(key, value\): a ([\d.]+) \(precision [\d.]+\), c ([\d.]+)", text)
    assert m, text
    figures = json.loads(out.read_text())
    assert figures["pages"] >= 5 and figures["recall_c"] == float(m.group(2))
    assert figures["recall_c"] >= figures["recall_a"]
    assert figures["c_1"] > 0 and figures["rss_c_1"] > 0 and figures["page_workers"] >= 1
    assert figures["outputs_pdf"] > 0 and figures["outputs_docx"] > 0
    assert (tmp_path / "longreport-10.pdf").is_file() and (tmp_path / "longreport-10.truth.json").is_file()
