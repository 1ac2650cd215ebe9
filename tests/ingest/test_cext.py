"""The optional C extensions (ingest/cext.py): built in this checkout, and switched off by
CPSCREEN_NO_CEXT. Their results are compared with the Python code in test_pdfium_fast.py and
test_lines_fast.py."""
from __future__ import annotations

import importlib
import shutil

import pytest

from ingest import pdf_chars, pdf_pdfium
from ingest.cext import ENV_NO_CEXT, import_extension

EXTENSIONS = [("_pdfium_fast", pdf_pdfium), ("_lines_fast", pdf_chars)]


@pytest.mark.parametrize("name, user", EXTENSIONS, ids=[n for n, _ in EXTENSIONS])
def test_the_extension_is_built(name, user, monkeypatch):
    # the build is optional (pip only warns when it fails): this is where a checkout that
    # should have it notices
    if not any(shutil.which(cc) for cc in ("cc", "gcc", "clang")):
        pytest.skip("no C compiler: the Python code runs")
    importlib.import_module(f"ingest.{name}")     # run `pip install -e .` to build it
    monkeypatch.delenv(ENV_NO_CEXT, raising=False)
    assert user._load_fast() is not None


@pytest.mark.parametrize("name, user", EXTENSIONS, ids=[n for n, _ in EXTENSIONS])
@pytest.mark.parametrize("value, off", [("1", True), ("yes", True), ("0", False), ("", False)])
def test_the_environment_switches_the_c_path_off(name, user, value, off, monkeypatch):
    if import_extension(name) is None and not off:
        pytest.skip("not built here")
    monkeypatch.setenv(ENV_NO_CEXT, value)
    assert (import_extension(name) is None) is off
    assert (user._load_fast() is None) is off
