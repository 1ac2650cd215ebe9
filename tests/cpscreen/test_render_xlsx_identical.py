"""The .xlsx renderer applies each style combination through openpyxl once per workbook and copies
the resulting style arrays after that (and computes each merged range's edge borders once): the
workbooks must be byte for byte those of the plain way, every style set on every cell and every
merge through `ws.merge_cells`, which the reference below does."""
from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest

from cpscreen import render_xlsx as rx
from cpscreen.cross_check import check_all
from cpscreen.pipeline import screen
from cpscreen.result import result_json

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
# a04 states a value differently inside the report; p03/p04 disagree with each other (batch)
SCREENED = ["a02_cement_summary.docx", "a04_zinc_audit_decimal.docx", "a07_pharma_audit_sevenstage.pdf",
            "p03_brewery_summary.docx", "p04_brewery_audit.docx"]
ERROR_RESULT = {"schema": "cpscreen/1", "file": "坏.pdf", "sha256": None, "doc_type": None, "pages": 0,
                "ocr_pages": 0, "error": "PDF 文件已损坏 / The PDF is damaged", "warnings": [],
                "outline": {"template": None, "sections": []}, "indicators": [], "conflicts": [], "items": [],
                "score": {"auto": 0, "review_max": 0, "max": 100, "pass_line": 80}, "missing": []}


class ReferenceStyles(rx._Styles):
    """The plain way: a new style object for every assignment, each merge through openpyxl."""

    def apply(self, cell, styles):
        for attribute, name in styles:
            setattr(cell, attribute, copy.copy(self._object(name)))

    def merge(self, ws, start_row, start_column, end_row, end_column):
        ws.merge_cells(start_row=start_row, start_column=start_column, end_row=end_row, end_column=end_column)


def reference_xlsx(result: dict, monkeypatch) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(rx, "_Styles", ReferenceStyles)
        return rx.render_xlsx(result)


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of the zip but docProps/core.xml, which holds the time of writing."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    found = {name: result_json(screen(str(SAMPLES / name))) for name in SCREENED}
    crossed = copy.deepcopy({name: found[name] for name in ("p03_brewery_summary.docx", "p04_brewery_audit.docx")})
    check_all(crossed)
    assert all(r["cross_conflicts"] for r in crossed.values())
    assert found["a04_zinc_audit_decimal.docx"]["conflicts"]
    found.update({f"cross {name}": r for name, r in crossed.items()})
    found["fixture a01"] = json.loads((DATA / "result_a01_sugar_audit.json").read_text(encoding="utf-8"))
    found["error"] = ERROR_RESULT
    return found


def test_workbooks_identical_to_the_plain_way(results, monkeypatch):
    for name, result in results.items():
        new, reference = parts(rx.render_xlsx(result)), parts(reference_xlsx(result, monkeypatch))
        assert list(new) == list(reference), name
        differing = [part for part in new if new[part] != reference[part]]
        assert not differing, (name, differing)


def test_conflicts_sheet_and_merges_are_exercised(results):
    with zipfile.ZipFile(io.BytesIO(rx.render_xlsx(results["cross p04_brewery_audit.docx"]))) as z:
        assert "xl/worksheets/sheet5.xml" in z.namelist()
        assert z.read("xl/worksheets/sheet1.xml").count(b"<mergeCell ") > 10


def test_one_workbook_styles_do_not_leak_into_the_next(results, monkeypatch):
    """Rendering other workbooks first (other style tables) leaves a workbook unchanged."""
    first = parts(rx.render_xlsx(results["error"]))
    for result in results.values():
        rx.render_xlsx(result)
    assert parts(rx.render_xlsx(results["error"])) == first == parts(reference_xlsx(results["error"], monkeypatch))
