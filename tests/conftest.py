"""Settings for the whole test run.

The title tokenizer prepares jieba's dictionary once per machine in the user's cache
(extractors/jieba_dict.py: `$XDG_CACHE_HOME/cpscreen`). Tests must neither write into the
real `~/.cache` nor depend on what an earlier run left there, so the run gets a cache of its
own, set before any test module is imported; child processes the tests start (the CLI, batch
and web workers, the bench) inherit it, and it is removed at the end.
"""
from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="cpscreen-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)
