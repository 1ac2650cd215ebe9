"""`cpscreen serve`: the self-check web page, and `POST /api/check` for programs.

An enterprise uploads one file, watches the stages go by, and gets the same page as
`cpscreen check --format html`, with the filled 审核表 (XLSX) and the JSON to download.
The pages are rendered on the server; the only script is a few lines that poll the job's
status (a <noscript> refresh does the same without it).

Safety, in the order a request meets it:
- the body is read in chunks and parsed as it arrives; the upload stops at the size limit
  (413) whatever Content-Length says, and the file part goes straight to disk in the job's
  own `tempfile.mkdtemp` folder under a fixed name — the client's file name is only shown
  (reduced to its last component, escaped by Jinja2's autoescape) and never a path;
- the format is sniffed from the bytes by `ingest`;
- screening runs in a pool of worker processes (spawned, each warmed up once), so the event
  loop stays free, several users are served at once, and a file that crashes or exhausts a
  worker takes only that worker with it: the jobs it held are run again once in a new pool;
  a file still running after `job_timeout` seconds (`--timeout`) has its worker stopped the
  same way, and ends with U504;
- the upload folder is deleted as soon as the result is built (copied first into
  `--keep-dir` only when the operator asks for it); results live in memory only, under an
  unguessable id, the last `max_jobs` of them, for `job_ttl` seconds;
- every response carries a Content-Security-Policy (scripts only with the page's nonce),
  X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, Cache-Control: no-store.
"""
from __future__ import annotations

import asyncio
import concurrent.futures as cf
import itertools
import logging
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import unicodedata
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from ingest.errors import ScreenError
from ingest.limits import DEFAULT_OCR_MAX_PAGES as DEFAULT_MAX_PAGES
from ingest.limits import DEFAULT_FILE_TIMEOUT, check_ocr_max_pages

try:  # the `web` extra: pip install 'cpscreen[web]'
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header
    from starlette.datastructures import MutableHeaders
    from starlette.requests import ClientDisconnect
    MISSING_DEPENDENCY: str | None = None
except ModuleNotFoundError as _exc:  # pragma: no cover - shown by `cpscreen serve`
    MISSING_DEPENDENCY = _exc.name or "fastapi"

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_MB = 50
FORM_SLACK = 64 * 1024          # multipart headers and the small fields around the file
MAX_FIELD_BYTES = 1024          # the `type` field and any other text field
MAX_PARTS = 16
UPLOAD_NAME = "upload.bin"      # the file's name inside its own temp folder, whatever the client said
MAX_NAME_CHARS = 120
DEFAULT_TIMEOUT = float(DEFAULT_FILE_TIMEOUT)   # seconds per file (ingest/limits.py)
DOC_TYPE_CHOICES = {"": None, "auto": None, "audit_report": "audit_report",
                    "work_summary": "work_summary", "审核报告": "audit_report", "工作总结": "work_summary"}
KEEP_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "wps": ".wps", "rtf": ".rtf", "text": ".txt"}
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")
log = logging.getLogger("cpscreen.web")

CSP = ("default-src 'none'; style-src 'self'; script-src 'nonce-{nonce}'; connect-src 'self'; "
       "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

class UploadError(ScreenError):
    """An upload refused before screening (codes U4xx/U5xx of the catalogue), with its HTTP status."""

    def __init__(self, code: str, status: int, **fields: object) -> None:
        self.status = status
        super().__init__(code, **fields)


@dataclass
class ServeConfig:
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * MB
    keep_dir: Path | None = None        # keep each upload (and its JSON) here; None: keep nothing
    temp_root: Path | None = None       # where the per-upload folders go (None: the system's)
    workers: int = 2                    # screening processes
    max_active: int = 12                # files queued or being screened, web and API together
    max_jobs: int = 50                  # finished results kept in memory
    job_ttl: float = 3600.0             # seconds a finished result stays available
    ocr: bool = True
    job_timeout: float = DEFAULT_TIMEOUT  # seconds one file may take in its worker; 0: no limit
    ocr_max_pages: int | None = DEFAULT_MAX_PAGES   # scanned pages OCR reads per file; None/0: all

    @property
    def max_upload_mb(self) -> str:
        return mb_text(self.max_upload_bytes)


def mb_text(size: int) -> str:
    mb = size / MB
    return f"{mb:g}" if mb >= 1 else f"{mb:.3g}"


# ------------------------------------------------------------------------------ file names

def display_name(raw: str | None) -> str:
    """The client's file name as it may be shown: the last path component, no control
    characters, not too long. It is never used to build a path."""
    text = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if text in ("", ".", ".."):
        return "上传的文件"
    return text if len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS - 1] + "…"


def download_name(name: str, suffix: str) -> str:
    """A Content-Disposition header value: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\-.]+", "_", stem, flags=re.UNICODE).strip("._")[:60] or "cpscreen"
    return (f'attachment; filename="cpscreen-result{suffix}"; '
            f"filename*=UTF-8''{quote(stem + '-预审结果' + suffix, safe='')}")


# ------------------------------------------------------------------------------ the upload

@dataclass
class Upload:
    path: Path
    name: str                   # display name
    size: int
    fields: dict[str, str]


class _UploadReader:
    """python-multipart callbacks: the part named `file` goes to disk, small fields to memory."""

    def __init__(self, dest: Path, limit: int) -> None:
        self.dest, self.limit = dest, limit
        self.fh = None
        self.filename: str | None = None
        self.file_size = 0
        self.file_complete = False
        self.fields: dict[str, str] = {}
        self.parts = 0
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._kind = "skip"
        self._field_name = ""
        self._field = bytearray()

    def callbacks(self) -> dict[str, Callable]:
        return {"on_part_begin": self.on_part_begin, "on_part_data": self.on_part_data,
                "on_part_end": self.on_part_end, "on_header_field": self.on_header_field,
                "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
                "on_headers_finished": self.on_headers_finished}

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise UploadError("U401", 400, detail=f"more than {MAX_PARTS} parts")
        self._disposition, self._kind = b"", "skip"

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if name == "file" and self.fh is None and not self.file_complete:
                self.filename = options[b"filename"].decode("utf-8", "replace")
                self.fh = open(self.dest, "xb")       # a fixed name in our own fresh folder
                self._kind = "file"
            else:
                self._kind = "skip"                   # a second file is ignored
        else:
            self._kind, self._field_name, self._field = "field", name, bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._kind == "file":
            self.file_size += end - start
            if self.file_size > self.limit:
                raise UploadError("U413", 413, limit=self.limit_mb)
            self.fh.write(data[start:end])
        elif self._kind == "field":
            if len(self._field) + end - start > MAX_FIELD_BYTES:
                raise UploadError("U401", 400, detail=f"field '{self._field_name[:40]}' too long")
            self._field += data[start:end]

    def on_part_end(self) -> None:
        if self._kind == "file":
            self.fh.close()
            self.fh = None
            self.file_complete = True
        elif self._kind == "field":
            self.fields.setdefault(self._field_name, self._field.decode("utf-8", "replace").strip())
        self._kind = "skip"

    @property
    def limit_mb(self) -> str:
        return mb_text(self.limit)

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


async def receive_upload(request: "Request", workdir: Path, limit: int) -> Upload:
    """Read a multipart body as it arrives; raise UploadError (400/413) and stop reading
    as soon as it is malformed or over the limit."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError("U401", 400, detail="expected multipart/form-data")
    reader = _UploadReader(workdir / UPLOAD_NAME, limit)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_SLACK:   # refuse early; not trusted otherwise
        raise UploadError("U413", 413, limit=reader.limit_mb)
    parser = MultipartParser(params[b"boundary"], reader.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + FORM_SLACK:
                raise UploadError("U413", 413, limit=reader.limit_mb)
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError("U401", 400, detail=type(exc).__name__) from None
    except ClientDisconnect:
        raise UploadError("U401", 400, detail="the client disconnected") from None
    finally:
        reader.close()
    if not reader.file_complete:
        raise UploadError("U400", 400)
    return Upload(path=workdir / UPLOAD_NAME, name=display_name(reader.filename),
                  size=reader.file_size, fields=reader.fields)


def doc_type_of(fields: dict[str, str]) -> str | None:
    value = fields.get("type", "").strip()
    if value not in DOC_TYPE_CHOICES:
        raise UploadError("U402", 400, value=value[:40])
    return DOC_TYPE_CHOICES[value]


# ------------------------------------------------------------------------------ the worker processes

_PROGRESS_QUEUE = None


def _init_worker(queue, workers: int = 1) -> None:
    """Runs once in each worker process: the progress queue, and the same warm-up as a batch
    worker (jieba and the rubric). spaCy is not loaded here: the pipeline loads it only for
    the rare sentence that needs it (extractors.indicators.find_terms)."""
    global _PROGRESS_QUEUE
    _PROGRESS_QUEUE = queue
    # Progress is best effort (a finished job takes its stage and pages from the result): a
    # worker that exits must not wait on the queue's feeder thread to flush it, which was seen
    # to hang a pool's shutdown for good.
    queue.cancel_join_thread()
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the server's to handle
    # The workers may OCR side by side: each gets its share of the cores for onnxruntime
    # (unless the operator set $CPSCREEN_OCR_THREADS), so that they do not slow each other down.
    from ingest import ocr
    ocr.set_threads(ocr.threads_per_worker(workers))
    from .batch import warm_up
    warm_up()


def _tell(message: tuple) -> None:
    """A message to the server's listener (Runner._listen), from a worker."""
    if _PROGRESS_QUEUE is not None:
        try:
            _PROGRESS_QUEUE.put_nowait(message)
        except Exception:  # noqa: BLE001 - progress is advisory
            pass


def _run_job(token: int, target: Callable[..., Any], args: tuple) -> Any:
    """What the pool runs: tell the server that the job has started in this process (its time
    limit counts from here, not from when it was queued), then run it."""
    _tell(("start", token, os.getpid()))
    return target(*args)


def screen_upload(job_id: str | None, path: str, name: str, doc_type: str | None, max_bytes: int,
                  ocr: bool = True, want_xlsx: bool = True,
                  ocr_max_pages: int | None = DEFAULT_MAX_PAGES) -> tuple[dict, bytes | None]:
    """Screen one uploaded file (in a worker): the contract's JSON and, for the page, the XLSX.

    Like `pipeline.screen`, but the Document is named after the client's file name (shown
    only), not after the temp file. The page's jobs (`job_id` set) report their stages, and
    the scanned pages as OCR reads them (STAGE_OCR, done, total)."""
    import hashlib

    from ingest import load_bytes

    from .pipeline import STAGE_OCR, STAGE_READ, ScreenResult, screen_document
    from .result import result_json

    def progress(stage: str, done: int, total: int) -> None:
        if job_id is not None:
            _tell(("progress", job_id, stage, done, total))

    def ocr_progress(done: int, total: int) -> None:
        progress(STAGE_OCR, done, total)

    progress(STAGE_READ, 0, 0)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    try:
        doc = load_bytes(data, name, ocr=ocr, ocr_max_pages=ocr_max_pages,
                         ocr_progress=ocr_progress if job_id is not None else None)
    except ScreenError as err:
        result = ScreenResult(file=name, error=err, sha256=hashlib.sha256(data).hexdigest())
    else:
        result = screen_document(doc, doc_type=doc_type, progress=progress)
    out = result_json(result)
    xlsx = None
    if want_xlsx:
        from .render_xlsx import render_xlsx
        xlsx = render_xlsx(out)
    return out, xlsx


def _noop() -> None:
    return None


class JobTimeout(Exception):
    """The job ran longer than the time limit, and its worker process was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"stopped after {seconds:g} s")


@dataclass
class _Run:
    """One attempt at a job, from its submission until its future is done."""
    pool: cf.ProcessPoolExecutor
    pid: int | None = None              # the worker running it, once it said so
    started: float | None = None        # time.monotonic() when it started in that worker
    timed_out: bool = False             # its worker was stopped for the time limit
    spared: bool = False                # its pool was broken by another job's time-out


class Runner:
    """A pool of spawned worker processes. A worker that dies (a crash, the kernel's OOM killer)
    breaks the whole pool: the pool is replaced and the jobs it held run once more.

    `timeout` (seconds, 0: none) limits each job from the moment it starts in a worker (a
    queued job's clock is not running). A watchdog thread stops the worker of a job past it
    with SIGKILL (a worker stuck in C code never runs a Python signal handler); that breaks
    the pool like a crash, and the same machinery replaces it. The job that was stopped ends
    with `JobTimeout`; the others the pool held run again, and that attempt is not counted
    against them. `target` is what a job runs (`screen_upload`; tests give their own)."""

    RETRIES = 1

    def __init__(self, workers: int, timeout: float = 0.0,
                 on_progress: Callable[[str, str, int, int], None] | None = None,
                 target: Callable[..., Any] | None = None) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout if timeout and timeout > 0 else 0.0
        self.on_progress = on_progress
        self.target = target or screen_upload
        self._ctx = multiprocessing.get_context("spawn")
        self.progress_queue = self._ctx.Queue()
        # this process only puts the listener's stop mark on it: exiting must not wait for the
        # queue's feeder thread (seen to hang the interpreter's exit for good)
        self.progress_queue.cancel_join_thread()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)     # wakes the watchdog
        self._pool: cf.ProcessPoolExecutor | None = None
        self._closed = False
        self._watching = False
        self._runs: dict[int, _Run] = {}
        self._tokens = itertools.count(1)
        self._stopped: weakref.WeakSet = weakref.WeakSet()   # pools broken by a time-out
        self._threads: list[threading.Thread] = []
        self.timeouts = 0                   # jobs stopped so far (for the log and the tests)

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx,
                                      initializer=_init_worker,
                                      initargs=(self.progress_queue, self.workers),
                                      max_tasks_per_child=50)

    def start(self) -> None:
        with self._lock:
            self._pool = self._new_pool()
            self._watching = True
            pool = self._pool
        self._threads = [threading.Thread(target=self._listen, name="cpscreen-progress", daemon=True),
                         threading.Thread(target=self._watch, name="cpscreen-watchdog", daemon=True)]
        for thread in self._threads:
            thread.start()
        for _ in range(self.workers):      # start and warm the workers before the first user
            pool.submit(_noop)

    def _current(self) -> cf.ProcessPoolExecutor:
        with self._lock:
            if self._closed or self._pool is None:
                raise RuntimeError("the server is shutting down")
            return self._pool

    def _replace(self, broken: cf.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._closed or self._pool is not broken:
                return
            self._pool = self._new_pool()
        broken.shutdown(wait=False, cancel_futures=True)

    def submit(self, args: tuple, done: Callable[[Any, BaseException | None], None], attempt: int = 0) -> None:
        """Run `target(*args)`; `done(value, error)` is called once, from a pool thread
        (or from this one, when the job cannot be started). `error` is a `JobTimeout` when
        the job was stopped for the time limit."""
        token = next(self._tokens)
        for _ in range(3):
            try:
                pool = self._current()
            except RuntimeError as exc:         # shutting down
                return done(None, exc)
            with self._lock:                    # before the worker can say it started
                self._runs[token] = run = _Run(pool)
            try:
                future = pool.submit(_run_job, token, self.target, args)
                break
            except RuntimeError:                # broken, or replaced a moment ago: try the new pool
                with self._lock:
                    self._runs.pop(token, None)
                self._replace(pool)
        else:
            return done(None, RuntimeError("the worker pool cannot start"))

        def finished(f: cf.Future) -> None:
            with self._changed:
                self._runs.pop(token, None)
                self._changed.notify_all()
            if f.cancelled():
                return done(None, RuntimeError("cancelled"))
            exc = f.exception()
            if isinstance(exc, cf.process.BrokenProcessPool):
                if run.timed_out:
                    self._replace(pool)
                    return done(None, JobTimeout(self.timeout))
                if not self._closed:
                    self._replace(pool)
                    # broken by another job's time-out: not this job's fault, not counted
                    if pool in self._stopped:
                        return self.submit(args, done, attempt)
                    if attempt < self.RETRIES:
                        return self.submit(args, done, attempt + 1)
            done(None if exc else f.result(), exc)

        future.add_done_callback(finished)

    # -------------------------------------------------------------- the two threads

    def _listen(self) -> None:
        """The workers' messages: a job has started (its clock starts), a job's progress."""
        while True:
            item = self.progress_queue.get()
            if item is None:
                return
            if item[0] == "start":
                _, token, pid = item
                with self._changed:
                    run = self._runs.get(token)     # None: that attempt is already over
                    if run is not None and run.started is None:
                        run.pid, run.started = pid, time.monotonic()
                        self._changed.notify_all()
            elif item[0] == "progress" and self.on_progress is not None:
                try:
                    self.on_progress(*item[1:])
                except Exception:  # noqa: BLE001 - progress is advisory
                    log.exception("progress message %r", item)

    def _watch(self) -> None:
        """Stops the worker of every job past the time limit, oldest first."""
        with self._changed:
            while self._watching:
                wait = None
                if self.timeout:
                    now = time.monotonic()
                    timed = sorted((r for r in self._runs.values() if r.started is not None),
                                   key=lambda r: r.started)
                    for run in timed:
                        if run.timed_out or run.spared:
                            continue
                        left = run.started + self.timeout - now
                        if left <= 0:
                            self._stop(run)
                        else:
                            wait = left if wait is None else min(wait, left)
                self._changed.wait(None if wait is None else wait + 0.02)

    def _stop(self, run: _Run) -> None:
        """(With the lock held.) Stop the worker running `run`. The other jobs of its pool will
        fail with it and run again: their clocks stop now."""
        run.timed_out = True
        self.timeouts += 1
        self._stopped.add(run.pool)
        for other in self._runs.values():
            if other.pool is run.pool and other is not run:
                other.spared = True
        log.warning("a file took longer than %g s: its worker (pid %s) is stopped", self.timeout, run.pid)
        # only a process of that pool, by its pid (never a pid that has meanwhile gone to another)
        if run.pid in (getattr(run.pool, "_processes", None) or {}):
            try:
                os.kill(run.pid, signal.SIGKILL)
            except OSError:                 # it has just ended
                pass

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            # waits for the jobs in progress, within their time limit (the watchdog runs on)
            pool.shutdown(wait=True, cancel_futures=True)
        with self._changed:
            self._watching = False
            self._changed.notify_all()
        self.progress_queue.put(None)       # stops the progress listener
        for thread in self._threads:
            thread.join(timeout=5)


# ------------------------------------------------------------------------------ jobs

@dataclass
class Job:
    id: str
    name: str
    doc_type: str | None
    workdir: Path | None
    created: float = field(default_factory=time.time)
    state: str = "queued"               # queued, running, done
    stage: str = ""
    pages: int = 0
    ocr_done: int = 0                   # scanned pages read by OCR so far, of
    ocr_total: int = 0                  # the scanned pages OCR will read (0: none, or not yet)
    finished: float | None = None
    result: dict | None = None
    xlsx: bytes | None = None

    def status(self) -> dict[str, Any]:
        """`step` of `steps`: the stage in progress (文字识别 is within step 1, 读取文件);
        `progress`: the work done, in steps (the bar), moving within step 1 with the OCR."""
        from .pipeline import STAGE_OCR, STAGE_READ, STAGES

        stage = STAGE_READ if self.stage == STAGE_OCR else self.stage
        step = STAGES.index(stage) + 1 if stage in STAGES else 0
        progress = float(max(0, step - 1))
        if self.state == "done":
            message, progress = "预审完成", float(len(STAGES))
        elif self.state == "queued":
            message = "排队等候中……"
        elif self.stage == STAGE_OCR:
            message = f"第 {step} 步（共 {len(STAGES)} 步）：正在文字识别（扫描页 {self.ocr_done} / {self.ocr_total}）"
            if self.ocr_total:
                progress += min(1.0, self.ocr_done / self.ocr_total)
        else:
            message = f"第 {step} 步（共 {len(STAGES)} 步）：正在{self.stage}"
            if self.pages:
                message += f"，已读取 {self.pages} 页"
        message += f"（已用时 {int(time.time() - self.created)} 秒）" if self.state != "done" else ""
        return {"state": self.state, "stage": self.stage, "step": step, "steps": len(STAGES),
                "pages": self.pages, "ocr_done": self.ocr_done, "ocr_total": self.ocr_total,
                "progress": round(progress, 3), "message": message}


class JobStore:
    """The jobs of the web page, in memory: the newest `max_jobs` finished ones, each for `ttl`."""

    def __init__(self, max_jobs: int, ttl: float) -> None:
        self.max_jobs, self.ttl = max_jobs, ttl
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._prune()
            self._jobs[job.id] = job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            self._prune()
            return self._jobs.get(job_id)

    def update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.state != "done":
                for key, value in changes.items():
                    setattr(job, key, value)

    def finish(self, job: Job, result: dict, xlsx: bytes | None) -> None:
        from .pipeline import STAGES

        with self._lock:
            job.result, job.xlsx = result, xlsx
            job.finished = time.time()
            job.state = "done"
            # The worker's progress messages come through a queue and a listener thread, the
            # result through the pool: a quick file can be done before its last messages are
            # read (and update() ignores them once it is), so a finished job shows every stage
            # passed and its pages from the result.
            job.stage = STAGES[-1]
            job.pages = (result or {}).get("pages") or job.pages

    def unfinished(self) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if j.state != "done"]

    def _prune(self) -> None:
        now = time.time()
        for job_id in [k for k, j in self._jobs.items() if j.finished and now - j.finished > self.ttl]:
            del self._jobs[job_id]
        finished = [k for k, j in self._jobs.items() if j.state == "done"]
        for job_id in finished[:max(0, len(finished) - self.max_jobs)]:
            del self._jobs[job_id]


# ------------------------------------------------------------------------------ the app

class SecurityHeaders:
    """Pure ASGI middleware (the request body is streamed through untouched): a fresh CSP
    nonce per request, and the safety headers on every response, errors included."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error_result(name: str, err: Exception, code: str) -> dict[str, Any]:
    """The contract's JSON for a file that was never screened (every key present, error set)."""
    from .pipeline import ScreenResult
    from .result import result_json

    class _Error:       # the two things result_json reads from an error
        def __init__(self) -> None:
            self.code = code

        def __str__(self) -> str:
            return str(err)

    return result_json(ScreenResult(file=name, error=_Error()))  # type: ignore[arg-type]


def create_app(config: ServeConfig | None = None) -> "FastAPI":
    from contextlib import asynccontextmanager

    from .pipeline import STAGE_OCR, STAGE_READ, STAGES
    from .render_html import environment, report_context

    config = config or ServeConfig()
    store = JobStore(config.max_jobs, config.job_ttl)

    def on_progress(job_id: str, stage: str, done: int, total: int) -> None:
        changes: dict[str, Any] = {"stage": stage, "state": "running"}
        if stage == STAGE_READ and total:
            changes["pages"] = total
        elif stage == STAGE_OCR:
            changes["ocr_done"], changes["ocr_total"] = done, total
        store.update(job_id, **changes)

    runner = Runner(config.workers, timeout=config.job_timeout, on_progress=on_progress)
    env = environment()
    active = {"api": 0}
    active_lock = threading.Lock()
    workdirs: set[Path] = set()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runner.start()
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, runner.close)
            runner.progress_queue.close()
            for path in list(workdirs):
                _remove(path)

    app = FastAPI(title="cpscreen", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.state.config, app.state.store, app.state.runner = config, store, runner

    # -------------------------------------------------------------- helpers

    def page(request: Request, template: str, status: int = 200, root: str = "", **context: Any) -> HTMLResponse:
        """`root`: the relative way back to "/" (links stay right behind a proxy's path prefix)."""
        context.setdefault("error", None)
        context["root"] = root
        text = env.get_template(template).render(nonce=request.state.csp_nonce, config=config,
                                                 stages=STAGES, **context)
        return HTMLResponse(text, status_code=status)

    def busy() -> bool:
        with active_lock:
            return len(store.unfinished()) + active["api"] >= config.max_active

    def new_workdir() -> Path:
        if config.temp_root is not None:
            config.temp_root.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix="cpscreen-upload-", dir=config.temp_root))
        workdirs.add(path)
        return path

    def finish_upload(workdir: Path, result: dict | None) -> None:
        """The upload is done with: keep a copy only if the operator asked, then delete it."""
        try:
            if config.keep_dir is not None and result is not None:
                _keep(config.keep_dir, workdir / UPLOAD_NAME, result)
        finally:
            _remove(workdir)
            workdirs.discard(workdir)

    def failure(name: str, exc: BaseException) -> tuple[dict[str, Any], int]:
        """The error result (and the API's HTTP status) of a job that did not finish."""
        if isinstance(exc, JobTimeout):
            log.warning("screening %r stopped: longer than %g s", name, exc.seconds)
            err = UploadError("U504", 504, seconds=f"{exc.seconds:g}")
        else:
            log.error("screening %r failed: %s: %s", name, type(exc).__name__, exc)
            err = UploadError("U500", 500, detail=type(exc).__name__)
        return error_result(name, err, err.code), err.status

    async def read_request(request: Request) -> tuple[Upload | None, str | None, Path | None, UploadError | None]:
        if busy():
            return None, None, None, UploadError("U503", 503)
        workdir = new_workdir()
        try:
            upload = await receive_upload(request, workdir, config.max_upload_bytes)
            doc_type = doc_type_of(upload.fields)
        except UploadError as err:
            finish_upload(workdir, None)
            return None, None, None, err
        except BaseException:
            finish_upload(workdir, None)
            raise
        return upload, doc_type, workdir, None

    # -------------------------------------------------------------- routes

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    stylesheet_text: list[str] = []

    @app.get("/static/cpscreen.css")
    def stylesheet() -> Response:
        if not stylesheet_text:    # the report's own CSS, then the web page's additions
            stylesheet_text.append(env.get_template("report.css.j2").render() + "\n"
                                   + env.get_template("web.css.j2").render())
        return Response(stylesheet_text[0], media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return page(request, "web_upload.html.j2")

    @app.post("/upload")
    async def upload_page(request: Request) -> Response:
        upload, doc_type, workdir, err = await read_request(request)
        if err is not None:
            return page(request, "web_upload.html.j2", status=err.status, error=err)
        job = Job(id=secrets.token_urlsafe(24), name=upload.name, doc_type=doc_type, workdir=workdir)
        store.add(job)

        def done(value: Any, exc: BaseException | None) -> None:
            result, xlsx = value if exc is None else (failure(job.name, exc)[0], None)
            finish_upload(workdir, result)
            store.finish(job, result, xlsx)

        runner.submit((job.id, str(upload.path), upload.name, doc_type, config.max_upload_bytes,
                       config.ocr, True, config.ocr_max_pages), done)
        return RedirectResponse(f"jobs/{job.id}", status_code=303)

    def find_job(job_id: str) -> Job | None:
        return store.get(job_id) if JOB_ID.match(job_id) else None

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str) -> HTMLResponse:
        job = find_job(job_id)
        if job is None:
            return page(request, "web_gone.html.j2", status=404, root="../")
        if job.state != "done":
            return page(request, "web_progress.html.j2", root="../", job=job, status_info=job.status())
        expires = time.strftime("%H:%M", time.localtime(job.finished + config.job_ttl))
        context = report_context(job.result)
        return HTMLResponse(env.get_template("web_result.html.j2").render(
            job=job, expires=expires, nonce=request.state.csp_nonce, **context))

    @app.get("/jobs/{job_id}/status")
    def job_status(job_id: str) -> JSONResponse:
        job = find_job(job_id)
        if job is None:
            return JSONResponse({"state": "gone", "message": "结果不存在或已过期"}, status_code=404)
        return JSONResponse(job.status())

    def finished_job(job_id: str) -> Job | None:
        job = find_job(job_id)
        return job if job is not None and job.state == "done" else None

    @app.get("/jobs/{job_id}/result.json")
    def job_json(job_id: str) -> Response:
        job = finished_job(job_id)
        if job is None:
            return JSONResponse({"state": "gone"}, status_code=404)
        from .result import dumps
        return Response(dumps(job.result) + "\n", media_type="application/json; charset=utf-8",
                        headers={"Content-Disposition": download_name(job.name, ".json")})

    @app.get("/jobs/{job_id}/result.xlsx")
    def job_xlsx(job_id: str) -> Response:
        job = finished_job(job_id)
        if job is None or job.xlsx is None:
            return JSONResponse({"state": "gone"}, status_code=404)
        return Response(job.xlsx, headers={"Content-Disposition": download_name(job.name, ".xlsx")},
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.get("/jobs/{job_id}/report.html")
    def job_html(job_id: str) -> Response:
        job = finished_job(job_id)
        if job is None:
            return JSONResponse({"state": "gone"}, status_code=404)
        from .render_html import render_html
        return Response(render_html(job.result), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": download_name(job.name, ".html")})

    @app.post("/api/check")
    async def api_check(request: Request) -> JSONResponse:
        upload, doc_type, workdir, err = await read_request(request)
        if err is not None:
            return JSONResponse(error_result("", err, err.code), status_code=err.status)
        with active_lock:
            active["api"] += 1
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future = loop.create_future()

        def done(value: Any, exc: BaseException | None) -> None:
            result, status = (value[0], 200) if exc is None else failure(upload.name, exc)
            finish_upload(workdir, result)

            def settle() -> None:
                if not outcome.done():
                    outcome.set_result((result, status))
            loop.call_soon_threadsafe(settle)

        try:
            runner.submit((None, str(upload.path), upload.name, doc_type, config.max_upload_bytes,
                           config.ocr, False, config.ocr_max_pages), done)
            result, status = await outcome
        finally:
            with active_lock:
                active["api"] -= 1
        if status == 200 and result.get("error"):
            status = 422
        return JSONResponse(result, status_code=status)

    return app


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _keep(keep_dir: Path, upload: Path, result: dict) -> None:
    """Operator's choice: the upload and its JSON, named by time and hash, never by the client."""
    from .result import dumps

    keep_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{(result.get('sha256') or secrets.token_hex(6))[:12]}"
    target = keep_dir / (stem + KEEP_SUFFIX.get(result.get("format") or "", ".bin"))
    shutil.copyfile(upload, target)
    (keep_dir / (stem + ".json")).write_text(dumps(result) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------ `cpscreen serve`

def cmd_serve(host: str, port: int, max_upload_mb: float, keep_dir: str | None, workers: int,
              timeout: float = DEFAULT_TIMEOUT, ocr: bool = True,
              ocr_pages: int | None = DEFAULT_MAX_PAGES) -> int:
    """`timeout`: seconds one file may take in its worker (0: no limit). `ocr`, `ocr_pages`:
    as `cpscreen check --no-ocr / --ocr-pages` (scanned pages OCR reads per file; 0: all)."""
    if MISSING_DEPENDENCY:
        sys.stderr.write(f"用法错误 / usage error: 网页功能需要安装 web 组件（缺少 {MISSING_DEPENDENCY}）："
                         f"pip install 'cpscreen[web]' / the web page needs the `web` extra "
                         f"(missing {MISSING_DEPENDENCY}): pip install 'cpscreen[web]'\n")
        return 2
    if not 0 < max_upload_mb <= 200:
        sys.stderr.write("用法错误 / usage error: --max-upload-mb 应在 0 到 200 之间 / "
                         "--max-upload-mb must be between 0 and 200\n")
        return 2
    if not 0 <= port <= 65535 or workers < 1:
        sys.stderr.write("用法错误 / usage error: 端口应在 0–65535，--workers 至少为 1 / "
                         "the port must be 0-65535 and --workers at least 1\n")
        return 2
    if not timeout >= 0:                 # also refuses NaN
        sys.stderr.write("用法错误 / usage error: --timeout 不能为负数（0 表示不限时）/ "
                         "--timeout must not be negative (0: no limit)\n")
        return 2
    try:
        check_ocr_max_pages(ocr_pages)
    except ValueError as err:
        sys.stderr.write(f"用法错误 / usage error: {err}\n")
        return 2
    keep = None
    if keep_dir:
        keep = Path(keep_dir)
        try:
            keep.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            sys.stderr.write(f"用法错误 / usage error: 无法创建 --keep-dir 文件夹 / cannot create the "
                             f"--keep-dir folder: {keep_dir} ({exc.strerror})\n")
            return 2
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        sys.stderr.write(f"用法错误 / usage error: 无法监听 {host}:{port}（{exc.strerror}）/ "
                         f"cannot listen on {host}:{port} ({exc.strerror})\n")
        return 2
    import uvicorn

    config = ServeConfig(max_upload_bytes=int(max_upload_mb * MB), keep_dir=keep, workers=workers,
                         max_active=max(12, workers * 4), job_timeout=timeout, ocr=ocr,
                         ocr_max_pages=ocr_pages)
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"cpscreen 自查网页 / self-check page: http://{shown}:{port}/  （Ctrl-C 停止 / to stop）\n")
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write("注意：网页没有登录，能访问该地址的人都可以上传文件 / note: there is no login; "
                         "anyone who can reach this address can upload files\n")

    def stop(signum, frame) -> None:
        # uvicorn shuts down gracefully, then raises the signal it caught once more: end here,
        # normally, so the worker pool and its queues are cleaned up and the exit status is 0.
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        uvicorn.run(create_app(config), host=host, port=port, log_level="info", server_header=False,
                    proxy_headers=False, timeout_graceful_shutdown=10)
    except KeyboardInterrupt:           # Ctrl-C, re-raised by uvicorn after its shutdown
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
