"""One submission, start to finish: file -> Document -> facts -> assessment.

`screen()` never raises for a bad file: the error goes into the result (the CLI
turns it into exit status 3 and the contract's error JSON), so a batch can go on.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Callable

from ingest import Document, ScreenError, load
from ingest.errors import warning_text
from ingest.limits import DEFAULT_OCR_MAX_PAGES as DEFAULT_MAX_PAGES

# progress(stage, done, total): called as each stage starts, and with the pages once the file
# is read (done == total == pages); done/total are 0 when a stage has no count. The web page
# shows it, so a long file does not look frozen.
Progress = Callable[[str, int, int], None]
STAGE_READ, STAGE_OUTLINE, STAGE_INDICATORS, STAGE_SCORE = "读取文件", "识别章节", "提取指标", "评分"
STAGES = (STAGE_READ, STAGE_OUTLINE, STAGE_INDICATORS, STAGE_SCORE)
# Within 读取文件, only for scanned PDF pages: (STAGE_OCR, pages OCR'd, pages it will read),
# from (0, total) before the first page to (total, total). Not in STAGES: not every file has it.
STAGE_OCR = "文字识别"


@dataclass
class ScreenResult:
    file: str
    document: Document | None = None
    doc_type: str | None = None
    doc_type_detected: bool = True
    enterprise: str | None = None
    outline: object | None = None           # extractors.facts.OutlineResult
    mentions: list = field(default_factory=list)   # IndicatorMention
    conflicts: list = field(default_factory=list)  # Conflict
    assessment: object | None = None        # rubric.assessment.Assessment
    warnings: list[str] = field(default_factory=list)
    error: ScreenError | None = None
    sha256: str | None = None

    @property
    def error_message(self) -> str | None:
        return str(self.error) if self.error is not None else None


def screen(path: str | os.PathLike, doc_type: str | None = None, password: str | None = None,
           province: str = "guangxi", ocr: bool = True, progress: Progress | None = None,
           page_workers: int | None = None,
           ocr_max_pages: int | None = DEFAULT_MAX_PAGES) -> ScreenResult:
    """`ocr=False` leaves scanned PDF pages unread (listed, and warned about) instead of OCR.
    `ocr_max_pages`: OCR reads at most the first this many scanned pages (None or 0: all).
    `page_workers`: processes reading a PDF's pages (ingest.load; None: automatic)."""
    name = os.path.basename(os.fspath(path))
    result = ScreenResult(file=name)
    ocr_progress = None
    if progress:
        progress(STAGE_READ, 0, 0)

        def ocr_progress(done: int, total: int) -> None:
            progress(STAGE_OCR, done, total)
    try:
        doc = load(path, password=password, ocr=ocr, page_workers=page_workers,
                   ocr_max_pages=ocr_max_pages, ocr_progress=ocr_progress)
    except ScreenError as err:
        result.error = err
        result.sha256 = _sha256_or_none(path)
        return result
    return screen_document(doc, doc_type=doc_type, province=province, result=result, progress=progress)


def screen_document(doc: Document, doc_type: str | None = None, province: str = "guangxi",
                    result: ScreenResult | None = None, progress: Progress | None = None) -> ScreenResult:
    # Imported here so that `cpscreen --help` and a bad file stay fast: the
    # language tools are loaded only when a document is actually screened.
    from extractors.cover import find_enterprise_name
    from extractors.evidence import find_evidence
    from extractors.headings import find_headings, scan_toc
    from extractors.indicators import extract_indicators, find_conflicts
    from extractors.outline import detect_doc_type, match_outline
    from rubric.province import load_province
    from rubric.scoring import score

    report = progress or _no_progress
    report(STAGE_READ, doc.pages, doc.pages)
    result = result or ScreenResult(file=doc.name)
    result.document = doc
    result.warnings.extend(doc.warnings)
    if doc.page_note:
        result.warnings.append(doc.page_note)
    rules = load_province(province)

    report(STAGE_OUTLINE, 0, 0)
    toc = scan_toc(doc)           # the table of contents, found once for the three stages
    headings = find_headings(doc, toc)
    if doc_type:
        result.doc_type, result.doc_type_detected = doc_type, False
    else:
        result.doc_type = detect_doc_type(doc, rules.outlines, headings, toc)
    result.enterprise = find_enterprise_name(doc)
    result.outline = match_outline(doc, rules.outlines[result.doc_type], headings, toc)
    result.warnings.extend(result.outline.warnings)
    report(STAGE_INDICATORS, 0, 0)
    result.mentions = extract_indicators(doc, rules.indicators)
    result.conflicts = find_conflicts(result.mentions)
    report(STAGE_SCORE, 0, 0)
    evidence = find_evidence(doc, rules.items.keyword_sets)
    result.assessment = score(rules.items, result.outline, result.mentions, result.conflicts, evidence)
    if doc.unread_pages:
        pages = _page_list(doc.unread_pages)
        result.warnings.append(warning_text("W005", pages=pages))
    return result


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def _page_list(pages: list[int]) -> str:
    return "、".join(str(p) for p in pages[:20]) + ("…" if len(pages) > 20 else "")


def _sha256_or_none(path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
