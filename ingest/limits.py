"""Limits a caller may change, kept apart from the code that applies them so that reading
them (argument defaults, `cpscreen --help`) loads nothing else."""

# OCR reads at most this many scanned pages per file (the first ones, in page order) unless
# told otherwise (`--ocr-pages N`, `ocr_max_pages=`): 100 pages take 3-6 minutes, and a
# 300-page scan would outlast a batch's time limit per file. None or 0: no limit.
DEFAULT_OCR_MAX_PAGES = 100
# Seconds one file may take in a batch or web-page worker before the worker is stopped
# (`--timeout`, applied by cpscreen/batch.py and cpscreen/web.py): generous, so that only a
# stuck worker reaches it. 0: no limit.
DEFAULT_FILE_TIMEOUT = 600


def check_ocr_max_pages(n) -> None:
    """ValueError unless `n` is a page cap: None, or a whole number >= 0 (0 and None: no cap).
    A caller's mistake, not the user's file, so not a ScreenError; the CLI, batch and the web
    server turn it into their usage error."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise ValueError(f"OCR 页数上限（--ocr-pages）须为 0 或正整数，而不是 {n!r} / the OCR page "
                         f"cap (--ocr-pages, ocr_max_pages) must be 0 or a positive whole number, not {n!r}")
