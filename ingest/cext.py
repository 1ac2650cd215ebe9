"""The optional C extensions of the PDF reader (`ingest/_pdfium_fast.c`, `ingest/_lines_fast.c`).

`pip install -e .` builds them (setup.py, optional: without a compiler pip only warns). Each
replaces a Python loop that stays as the fallback and as the tests' reference; the environment
variable CPSCREEN_NO_CEXT (anything but empty or 0) runs the Python code instead.
"""
from __future__ import annotations

import importlib
import os

ENV_NO_CEXT = "CPSCREEN_NO_CEXT"


def import_extension(name: str):
    """`ingest.<name>`, or None: not built, or switched off."""
    if os.environ.get(ENV_NO_CEXT, "") not in ("", "0"):
        return None
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError:
        return None
