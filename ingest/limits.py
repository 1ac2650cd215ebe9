"""Limits a caller may change, kept apart from the code that applies them so that reading
them (argument defaults, `cpscreen --help`) loads nothing else."""

# OCR reads at most this many scanned pages per file (the first ones, in page order) unless
# told otherwise (`--ocr-pages N`, `ocr_max_pages=`): 100 pages take 3-6 minutes, and a
# 300-page scan would outlast a batch's time limit per file. None or 0: no limit.
DEFAULT_OCR_MAX_PAGES = 100
