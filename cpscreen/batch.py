"""`cpscreen batch DIR_OR_FILES... -o OUTDIR [--workers N] [--timeout SECONDS] [--no-ocr] [--ocr-pages N]`:
screen many submissions.

For every input file: `<name>-<sha12>.json`, `.html` and `.xlsx` in OUTDIR, and at the end
`OUTDIR/summary.xlsx` with one row per file. Promises a review office relies on:

- one bad file never stops the batch: it becomes an error row, even when it kills its worker
  process or keeps it busy past the time limit (`_run_pool`);
- every result is written atomically (a temp file, then os.replace), so an interrupted or
  killed batch leaves only whole results; Ctrl-C writes the summary of what finished and
  exits 130;
- resumable: a file whose bytes (sha256) already have a complete result in OUTDIR is not
  screened again. `index.json` (written atomically) maps sha256 -> outputs; the outputs on
  disk are checked too, so a result written just before an interruption is found even if
  the index missed it. A result that depends on OCR (it has pages read by OCR or left unread)
  is reused only under the same OCR settings (`--no-ocr`, `--ocr-pages`, whether the OCR
  extra is installed), which the index records: a `--no-ocr` run followed by one with OCR
  screens the scanned files again, and nothing else;
- output names never use the input name unsanitised: it is reduced to letters, digits,
  CJK and `-_.`, cut short, and made unique by the sha256 prefix;
- the workers share the cores for OCR (`ingest.ocr.set_threads`: cores // workers threads
  each, unless $CPSCREEN_OCR_THREADS says otherwise): two onnxruntime pools on two cores
  with two threads each only slow each other down;
- after every file is screened, each work summary is checked against the audit report of the
  same enterprise (`cpscreen.cross_check`): a value the two state differently for the same
  indicator and year goes into both results (`cross_conflicts`), whose JSON, HTML and XLSX
  are rewritten (atomically, only when that changed), and into the summary's
  与另一份材料不一致 column.

Files that could not be read (exit status 3 in `check`) are results like any other and are
kept; a crash inside cpscreen (a bug, a worker killed, a time-out) is not kept, so a later run
retries it.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import re
import signal
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ingest.limits import DEFAULT_OCR_MAX_PAGES as DEFAULT_MAX_PAGES
from ingest.limits import DEFAULT_FILE_TIMEOUT, check_ocr_max_pages

from .scoresheet import DOC_TYPE_SHORT

INPUT_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".txt"}
INDEX_NAME = "index.json"
SUMMARY_NAME = "summary.xlsx"
SHA_PREFIX = 12
MAX_STEM = 60
OUTPUT_KINDS = ("html", "xlsx", "json")      # json last: it marks the result complete

SUMMARY_COLUMNS = ["文件", "企业名称", "类型", "自动得分", "待复核分值", "可达80分", "缺失项数",
                   "数值不一致数", "与另一份材料不一致", "错误", "页数", "结果文件", "路径", "sha256"]

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
WORKER_DIED = "（处理进程异常退出 / a worker process died）"
DEFAULT_TIMEOUT = DEFAULT_FILE_TIMEOUT      # seconds per file (ingest/limits.py)
UNFINISHED = "未完成（批处理被中断，再次运行可继续） / not done (the batch was interrupted; run it again to resume)"


class BatchUsageError(Exception):
    pass


@dataclass(frozen=True)
class OcrOptions:
    """What a worker passes to `pipeline.screen` about scanned pages."""

    ocr: bool = True
    max_pages: int | None = DEFAULT_MAX_PAGES     # None or 0: all

    def settings(self) -> dict:
        """What a result made under these options depends on, as the index records it."""
        from ingest import ocr as ocr_module

        if not self.ocr:
            return {"ocr": False}
        if not ocr_module.available():          # scanned pages listed, with W007 (not installed)
            return {"ocr": True, "installed": False}
        return {"ocr": True, "max_pages": self.max_pages or None}


@dataclass
class Job:
    path: str                 # as found (for the summary)
    sha256: str | None        # None: the bytes could not be read
    stem: str                 # output name without extension
    read_error: str | None = None


# ------------------------------------------------------------------------------ inputs

def collect_inputs(args: Iterable[str], outdir: Path | None = None) -> list[str]:
    """Files given directly (any extension) and the accepted files under given folders."""
    out: list[str] = []
    seen: set[str] = set()
    skip = os.path.realpath(outdir) if outdir else None

    def add(p: str) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for arg in args:
        if os.path.isdir(arg):
            for root, dirs, files in os.walk(arg):           # does not follow symlinked folders
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and os.path.realpath(os.path.join(root, d)) != skip)
                for name in sorted(files):
                    if name.startswith((".", "~$")):       # hidden files, Word's lock files
                        continue
                    if os.path.splitext(name)[1].lower() in INPUT_SUFFIXES:
                        add(os.path.join(root, name))
        else:
            add(arg)      # a missing or odd file becomes an error row, not a stop
    return out


def safe_stem(name: str) -> str:
    """A file-name-safe, short version of an input's name (no folders, no dots in front)."""
    base = os.path.basename(name.replace("\\", "/"))
    stem = os.path.splitext(base)[0] or base
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"[^\w\-.\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", "_", stem, flags=re.UNICODE)
    stem = re.sub(r"_+", "_", stem).strip("._- ")
    return stem[:MAX_STEM] or "file"


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def make_job(path: str) -> Job:
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return Job(path, None, safe_stem(path), read_error=exc.strerror or str(exc))
    return Job(path, sha, f"{safe_stem(path)}-{sha[:SHA_PREFIX]}")


# ------------------------------------------------------------------------------ writing

def _file_mode() -> int:
    # mkstemp makes 0600 files; results are for the office to share, as open() would make them
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and os.replace: readers see all or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def output_paths(outdir: Path, stem: str) -> dict[str, Path]:
    return {kind: outdir / f"{stem}.{kind}" for kind in OUTPUT_KINDS}


def write_outputs(result: dict, outdir: Path, stem: str) -> None:
    from .render_html import render_html
    from .render_xlsx import render_xlsx
    from .result import dumps

    paths = output_paths(outdir, stem)
    write_atomic(paths["html"], render_html(result).encode("utf-8"))
    write_atomic(paths["xlsx"], render_xlsx(result))
    write_atomic(paths["json"], (dumps(result) + "\n").encode("utf-8"))


# ------------------------------------------------------------------------------ workers

def _init_worker(ocr_threads: int | None = None) -> None:
    # Ctrl-C is the parent's to handle: it stops the batch and writes the summary.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if ocr_threads is not None:
        from ingest import ocr
        ocr.set_threads(ocr_threads)
    warm_up()


def warm_up() -> None:
    """Load the title tokenizer (jieba) and the rubric once per process, before the first file.
    spaCy is not loaded here: the indicator extractor asks for it only for the rare sentence
    whose terms stand apart with white space (extractors.indicators.find_terms)."""
    try:
        from extractors.text_match import tokens
        tokens("清洁生产审核")
        from .scoresheet import rubric_meta
        rubric_meta()
    except Exception:  # noqa: BLE001 - a failed warm-up shows again, per file, as an error row
        pass


def screen_one(path: str, outdir: str, stem: str, options: OcrOptions = OcrOptions()) -> dict:
    """Screen one file and write its outputs; returns its JSON result. Runs in a worker."""
    from .pipeline import screen
    from .result import result_json

    result = result_json(screen(path, ocr=options.ocr, ocr_max_pages=options.max_pages))
    if not result.get("error"):
        result["cross_conflicts"], result["cross_checked"] = [], []   # filled once the batch is screened
    write_outputs(result, Path(outdir), stem)
    return result


# ------------------------------------------------------------------------------ index

def load_index(outdir: Path) -> dict[str, dict]:
    try:
        data = json.loads((outdir / INDEX_NAME).read_text(encoding="utf-8"))
        entries = data.get("results", {}) if isinstance(data, dict) else {}
        return {k: v for k, v in entries.items()
                if isinstance(v, dict) and isinstance(v.get("stem"), str) and _plain_name(v["stem"])}
    except (OSError, ValueError):
        return {}


def _plain_name(stem: str) -> bool:
    """A name this module could have made: no folders, not hidden (the index is not trusted)."""
    return bool(stem) and not stem.startswith(".") and "/" not in stem and "\\" not in stem \
        and "\x00" not in stem


def save_index(outdir: Path, index: dict[str, dict]) -> None:
    data = {"schema": "cpscreen-batch/1", "results": index}
    write_atomic(outdir / INDEX_NAME, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def load_done(outdir: Path, job: Job, index: dict[str, dict], settings: dict | None = None,
              since: float | None = None) -> dict | None:
    """The saved result of a job's bytes, if complete on disk. With `settings` (OcrOptions.settings),
    a result that depends on OCR counts only when the index says it was made under the same
    settings, or (`since`, a time.time()) when it was written since then, by this run."""
    if job.sha256 is None:
        return None
    stems = [job.stem]
    entry = index.get(job.sha256)
    if entry and entry["stem"] != job.stem:
        stems.insert(0, entry["stem"])          # the same bytes under another name
    for stem in stems:
        paths = output_paths(outdir, stem)
        if not all(p.is_file() for p in paths.values()):
            continue
        try:
            result = json.loads(paths["json"].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not (isinstance(result, dict) and result.get("sha256") == job.sha256):
            continue
        if settings is not None and _depends_on_ocr(result):
            made_under = entry.get("ocr") if entry and entry["stem"] == stem else None
            if made_under != settings and not _written_since(paths["json"], since):
                continue
        return {"stem": stem, "result": result}
    return None


def _depends_on_ocr(result: dict) -> bool:
    """Other OCR settings could give another result: the file has pages without a usable text
    layer (read by OCR, or left unread). Text PDFs, Word and text files do not."""
    return bool(result.get("ocr_pages") or result.get("unread_pages"))


def _written_since(path: Path, since: float | None) -> bool:
    if since is None:
        return False
    try:
        return path.stat().st_mtime >= since
    except OSError:
        return False


# ------------------------------------------------------------------------------ summary

def summary_row(job: Job, result: dict | None, stem: str | None, error: str | None = None) -> dict:
    r = result or {}
    score = r.get("score") or {}
    err = error or r.get("error")
    ok = result is not None and not err
    auto = score.get("auto") if ok else None
    review = score.get("review_max") if ok else None
    reachable = None
    if ok and auto is not None and review is not None:
        reachable = "是" if auto + review >= (score.get("pass_line") or 80) else "否"
    return {
        "文件": os.path.basename(job.path),
        "企业名称": r.get("enterprise") or "",
        "类型": DOC_TYPE_SHORT.get(r.get("doc_type") or "", r.get("doc_type") or "") if ok else "",
        "自动得分": auto,
        "待复核分值": review,
        "可达80分": reachable,
        "缺失项数": len(r.get("missing") or []) if ok else None,
        "数值不一致数": len(r.get("conflicts") or []) if ok else None,
        "与另一份材料不一致": cross_text(r) if ok else "",
        "错误": err or "",
        "页数": r.get("pages") if ok else None,
        "结果文件": f"{stem}.html" if stem and result is not None else "",
        "路径": job.path,
        "sha256": job.sha256 or "",
    }


def cross_text(r: dict) -> str:
    """The 与另一份材料不一致 cell: each disagreement with its pages, or what was checked."""
    from .cross_check import describe, partners_text

    found = r.get("cross_conflicts") or []
    if found:
        return f"{len(found)} 处：" + "；".join(describe(c) for c in found)
    checked = r.get("cross_checked") or []
    return f"无（已与{partners_text(checked)}核对）" if checked else ""


def write_summary(outdir: Path, rows: list[dict]) -> Path:
    """summary.xlsx: one row per file, a work summary beside the audit report of its enterprise."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    if not df.empty:
        # files that named no enterprise (and error rows) go last; then enterprise, type, file
        df["_none"] = df["企业名称"].eq("")
        df = df.sort_values(["_none", "企业名称", "类型", "文件", "路径"], kind="stable").drop(columns="_none")
    path = outdir / SUMMARY_NAME
    fd, tmp = tempfile.mkstemp(dir=outdir, prefix=".summary.", suffix=".xlsx")
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            df.to_excel(writer, sheet_name="汇总", index=False)
            _style_summary(writer.sheets["汇总"], len(df))
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _style_summary(ws, nrows: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [30, 30, 10, 9, 10, 9, 9, 11, 50, 50, 6, 40, 50, 66]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=2, max_row=nrows + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column in (1, 2, 9, 10))
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"          # a file name starting with "=" is text
    ws.freeze_panes = "A2"
    if nrows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}{nrows + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# ------------------------------------------------------------------------------ the batch

@dataclass
class BatchReport:
    total: int
    screened: int
    skipped: int
    errors: int
    interrupted: bool
    summary: Path | None
    unfinished: int = 0


def run_batch(inputs: list[str], outdir: str, workers: int = 1,
              progress: bool = True, on_result: Callable[[Job, dict], None] | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, ocr: bool = True,
              ocr_pages: int | None = DEFAULT_MAX_PAGES) -> BatchReport:
    """Screen the inputs into outdir. `timeout`: seconds one file may take (0 or None: no limit).
    `ocr=False`: scanned pages are listed as unread; `ocr_pages`: OCR at most the first this many
    scanned pages of a file (0 or None: all)."""
    if workers < 1:
        raise BatchUsageError("--workers 至少为 1 / --workers must be at least 1")
    if timeout is not None and not timeout >= 0:          # also refuses NaN
        raise BatchUsageError("--timeout 不能为负数 / --timeout must not be negative")
    try:
        check_ocr_max_pages(ocr_pages)
    except ValueError as err:
        raise BatchUsageError(str(err)) from None
    options = OcrOptions(ocr, ocr_pages)
    settings = options.settings()
    started = time.time()
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise BatchUsageError(f"输出位置不是文件夹：{outdir} / the output is not a folder: {outdir}")
    files = collect_inputs(inputs, out)
    if not files:
        raise BatchUsageError("没有找到可预审的文件（.pdf .docx .doc .wps .txt） / "
                              "no files to screen (.pdf .docx .doc .wps .txt)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchUsageError(f"无法创建输出文件夹：{outdir}（{exc.strerror}） / "
                              f"cannot create the output folder: {outdir} ({exc.strerror})") from None
    _remove_stale_temp(out)

    from tqdm import tqdm

    jobs = [make_job(p) for p in files]
    index = load_index(out)
    rows: dict[int, dict] = {}
    done: dict[int, tuple[str, dict]] = {}      # row -> (stem, result), for the cross-check
    todo: list[tuple[int, Job]] = []
    skipped = 0
    for i, job in enumerate(jobs):
        if job.read_error is not None:
            rows[i] = summary_row(job, None, None, f"无法读取文件：{job.read_error} / cannot read the file: "
                                                   f"{job.read_error}")
            continue
        saved = load_done(out, job, index, settings)
        if saved:
            rows[i] = summary_row(job, saved["result"], saved["stem"])
            done[i] = (saved["stem"], saved["result"])
            index[job.sha256] = _index_entry(saved["stem"], saved["result"], settings)
            skipped += 1
            continue
        todo.append((i, job))

    # identical bytes under two names: screen the first, give the others its result
    first_of: dict[str, int] = {}
    twins: dict[int, list[int]] = {}
    unique: list[tuple[int, Job]] = []
    for i, job in todo:
        if job.sha256 in first_of:
            twins.setdefault(first_of[job.sha256], []).append(i)
        else:
            first_of[job.sha256] = i
            unique.append((i, job))

    bar = tqdm(total=len(jobs), initial=len(jobs) - len(todo), file=sys.stderr, unit="份",
               desc="预审", disable=not progress, dynamic_ncols=True)
    interrupted = False
    screened = 0

    def finish(i: int, job: Job, result: dict | None, error: str | None) -> None:
        nonlocal screened
        for k in [i] + twins.get(i, []):
            rows[k] = summary_row(jobs[k], result, job.stem if result is not None else None, error)
            if result is not None:
                done[k] = (job.stem, result)
        if result is not None:
            index[job.sha256] = _index_entry(job.stem, result, settings)
            save_index(out, index)
            screened += 1
            if on_result:
                on_result(job, result)
        bar.update(1 + len(twins.get(i, [])))

    try:
        # a pool even for one worker: in this process, a file that crashes the C PDF reader
        # would end the batch, and at the same file again on every resumed run
        _run_pool(unique, out, workers, finish, timeout or None, options, started)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()

    unfinished = 0
    for i, job in enumerate(jobs):
        if i in rows:
            continue
        # a worker may have finished just as we stopped
        saved = load_done(out, job, index, settings, since=started)
        if saved:
            rows[i] = summary_row(job, saved["result"], saved["stem"])
            done[i] = (saved["stem"], saved["result"])
            index[job.sha256] = _index_entry(saved["stem"], saved["result"], settings)
            screened += 1
        else:
            rows[i] = summary_row(job, None, None, UNFINISHED)
            unfinished += 1
    save_index(out, index)
    if not interrupted:
        cross_check_results(out, jobs, rows, done)
    ordered = [rows[i] for i in range(len(jobs))]
    summary = write_summary(out, ordered)
    errors = sum(1 for r in ordered if r["错误"] and r["错误"] != UNFINISHED)
    return BatchReport(total=len(jobs), screened=screened, skipped=skipped, errors=errors,
                       interrupted=interrupted, summary=summary, unfinished=unfinished)


def _index_entry(stem: str, result: dict, settings: dict) -> dict:
    # every result this run keeps was made under `settings`, or does not depend on them
    return {"stem": stem, "file": result.get("file"), "ocr": settings}


def cross_check_results(out: Path, jobs: list[Job], rows: dict[int, dict],
                        done: dict[int, tuple[str, dict]]) -> None:
    """Pair work summaries with audit reports of the same enterprise across the whole batch,
    write the disagreements into both results and rewrite the outputs that changed."""
    from .cross_check import check_all

    by_stem: dict[str, dict] = {}
    for stem, result in done.values():
        by_stem.setdefault(stem, result)          # identical bytes share one result
    names = {stem: r.get("file") or stem for stem, r in by_stem.items()}
    try:
        changed = check_all(by_stem, names)
    except Exception as exc:  # noqa: BLE001 - the screened results stand without the cross-check
        sys.stderr.write(f"材料间核对失败，各文件的结果不受影响 / the cross-check failed, the results "
                         f"stand as screened: {type(exc).__name__}: {exc}\n")
        return
    for stem in sorted(changed):
        try:
            write_outputs(by_stem[stem], out, stem)
        except Exception as exc:  # noqa: BLE001 - one result that cannot be rewritten stops no other
            sys.stderr.write(f"无法更新 {stem} 的结果 / cannot update the result {stem}: {exc}\n")
    for i, (stem, result) in done.items():
        rows[i] = summary_row(jobs[i], by_stem.get(stem, result), stem)


def _run_pool(unique: list[tuple[int, Job]], out: Path, workers: int, finish,
              timeout: float | None, options: OcrOptions = OcrOptions(),
              started: float | None = None) -> None:
    """Screen in worker processes so that a file that kills or hangs its worker (a segfault in
    a C extension, the OOM killer, an endless C loop no signal handler can stop) costs only
    its own row. When a pool breaks, every file it was running fails with it: those are only
    suspects, and each is screened again alone, so that only the guilty one gets the error."""
    queue = list(unique)
    suspects: list[tuple[int, Job]] = []
    while queue:
        size = min(workers, len(queue))
        lost, cause, queue = _screen_round(queue, out, size, finish, timeout, options)
        if size == 1:
            _blame(lost, cause, finish)          # it was alone in its pool: it is the culprit
        else:
            suspects.extend(lost)
    for i, job in suspects:
        saved = load_done(out, job, {}, options.settings(), since=started)
        if saved:                                # it finished before its pool broke: keep that
            finish(i, job, saved["result"], None)
            continue
        lost, cause, _ = _screen_round([(i, job)], out, 1, finish, timeout, options)
        _blame(lost, cause, finish)


def _blame(lost: list[tuple[int, Job]], cause: str, finish) -> None:
    # Not kept (finish indexes only results), so a later run tries the file again: a worker
    # killed by the OOM killer or a timeout on a loaded machine says little about the file,
    # and a later run may have more memory or a longer --timeout.
    for i, job in lost:
        finish(i, job, None, cause)


def _screen_round(queue: list[tuple[int, Job]], out: Path, workers: int, finish,
                  timeout: float | None, options: OcrOptions = OcrOptions()
                  ) -> tuple[list[tuple[int, Job]], str, list[tuple[int, Job]]]:
    """Screen the queue in one pool until it is done or the pool breaks.
    Returns the files in flight when it broke, why it broke, and the files never handed to it.
    At most `workers` files are handed over at a time, so every one in flight has a worker:
    those not yet handed over are not suspects, and a file's clock starts when it is."""
    from ingest.ocr import threads_per_worker

    pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                  initargs=(threads_per_worker(workers),))
    waiting = list(queue)
    running: dict[cf.Future, tuple[int, Job, float]] = {}
    lost: list[tuple[int, Job]] = []
    broken: list[BaseException] = []
    timed_out = refused = False
    handed_over = 0
    try:
        while (waiting or running) and not lost:
            while waiting and len(running) < workers and not refused:
                i, job = waiting.pop(0)
                try:
                    running[pool.submit(screen_one, job.path, str(out), job.stem, options)] = \
                        (i, job, time.monotonic())
                    handed_over += 1
                except (cf.process.BrokenProcessPool, OSError) as exc:
                    # broken between two files (an idle worker died): not this file's fault. But
                    # a pool that takes no file at all (cannot fork) must not be retried for ever.
                    if handed_over:
                        waiting.insert(0, (i, job))
                    else:
                        lost.append((i, job))
                    broken.append(exc)
                    refused = True
            if not running:
                break
            done, _ = cf.wait(running, timeout=_time_left(running, timeout),
                              return_when=cf.FIRST_COMPLETED)
            if not done and _overdue(running, timeout):
                timed_out = True
                break
            lost += _collect(done, running, finish, broken)
    except KeyboardInterrupt:
        # Stop now: the workers ignore SIGINT, so end them (they are ours) rather than wait
        # for the files they are on. A worker ended mid-write leaves a temp file; once all
        # of them are gone, nobody else writes those, so remove them now, not next run.
        _end_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        _remove_stale_temp(out)
        raise
    if lost or timed_out or refused:
        # A broken pool ends its other workers with SIGTERM and then waits for them: a worker
        # stuck where SIGTERM does not reach would keep this batch waiting for ever.
        _end_workers(pool)
    pool.shutdown(wait=True)                     # a broken pool fails all its futures first
    lost += _collect(list(running), running, finish, broken)
    if lost:
        _remove_stale_temp(out)                  # what the dead workers were writing
    cause = _timeout_text(timeout) if timed_out else \
        _crash_text(broken[0] if broken else cf.process.BrokenProcessPool()) + WORKER_DIED
    return lost, cause, waiting


def _collect(done: Iterable[cf.Future], running: dict, finish,
             broken: list[BaseException]) -> list[tuple[int, Job]]:
    """Finish the done futures; return the files whose worker died under them (their
    exceptions go to `broken`)."""
    lost = []
    for fut in done:
        i, job, _ = running.pop(fut)
        try:
            result = fut.result()
        except cf.process.BrokenProcessPool as exc:
            lost.append((i, job))
            broken.append(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            finish(i, job, None, _crash_text(exc))
            continue
        finish(i, job, result, None)
    return lost


def _time_left(running: dict, timeout: float | None) -> float | None:
    if not timeout or not running:
        return None
    first_start = min(start for _, _, start in running.values())
    return max(0.0, first_start + timeout - time.monotonic()) + 0.05   # wake just past the limit


def _overdue(running: dict, timeout: float | None) -> bool:
    now = time.monotonic()
    return bool(timeout) and any(now - start >= timeout for _, _, start in running.values())


def _end_workers(pool: cf.ProcessPoolExecutor) -> None:
    # SIGKILL: a worker stuck in a C call may never get to run a Python signal handler
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass


def _timeout_text(timeout: float | None) -> str:
    return (f"处理超时（超过 {timeout:g} 秒），已停止；再次运行会重试 / "
            f"timed out after {timeout:g} s and was stopped; a later run retries it")


def _crash_text(exc: BaseException) -> str:
    return (f"内部错误，请将此文件报告给开发者 / internal error, please report this file: "
            f"{type(exc).__name__}: {exc}")


def _remove_stale_temp(out: Path) -> None:
    for p in out.glob(".*.tmp"):
        try:
            p.unlink()
        except OSError:
            pass
    for p in out.glob(".summary.*.xlsx"):
        try:
            p.unlink()
        except OSError:
            pass


def cmd_batch(inputs: list[str], outdir: str | None, workers: int,
              timeout: float | None = DEFAULT_TIMEOUT, ocr: bool = True,
              ocr_pages: int | None = DEFAULT_MAX_PAGES) -> int:
    """The CLI entry: exit 0 when the batch ran (error rows included), 2 usage, 130 interrupted."""
    if not outdir:
        raise BatchUsageError("batch 需要 -o 输出文件夹 / batch needs -o OUTDIR")
    if not inputs:
        raise BatchUsageError("请给出要预审的文件或文件夹 / give the files or folders to screen")
    report = run_batch(inputs, outdir, workers=workers, timeout=timeout, ocr=ocr, ocr_pages=ocr_pages)
    parts = [f"共 {report.total} 份", f"本次预审 {report.screened} 份", f"已有结果跳过 {report.skipped} 份",
             f"出错 {report.errors} 份"]
    if report.unfinished:
        parts.append(f"未完成 {report.unfinished} 份")
    sys.stderr.write("，".join(parts) + f"。汇总：{report.summary}\n")
    if report.interrupted:
        sys.stderr.write("已中断，已完成的结果均已保存，再次运行同一命令可继续 / "
                         "interrupted; finished results are kept, run the same command again to resume\n")
        return EXIT_INTERRUPTED
    return EXIT_OK
