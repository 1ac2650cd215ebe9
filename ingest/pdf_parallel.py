"""The PDF reader's first pass over a long file, in forked processes: one contiguous range of
pages each, so one long report uses more than one core.

Pages are read independently (the only state carried from page to page, pdfium's running
`doctop`, is set for each range), so the pages are split into ranges; the parent forks one
child per range but the first, reads the first range itself, and takes each child's page scans
back pickled through a pipe, in range order. The children inherit the open pdfplumber pages and
pdfium document, which is why the parent opens them (and reads the first page) before forking.

A child that fails for any reason (a bad page, an exception, a crash, killed) sends nothing
usable, and the parent then reads that range itself: a bad page raises exactly the error the
one-process loop raises (the ranges are taken in order, so the first bad page wins, as there),
and a dead child costs time, never the answer. Every child is reaped before the parent returns
or raises.

Forking is left out where it is unsafe or does not pay: pool workers (cpscreen batch and the
web app already run one file per core), a process with other threads, one usable CPU, a file
too short for a process start to pay.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
from dataclasses import dataclass
from typing import Callable

# CPSCREEN_PAGE_WORKERS=1 reads every page in the calling process; =N asks for N processes.
ENV_WORKERS = "CPSCREEN_PAGE_WORKERS"
# A second process costs ~30 ms of CPU whatever the length (fork, copy-on-write faults, the
# fonts it builds again, the pickled scans). Measured on the benchmark report's pages with two
# free cores: 8 pages in two processes gain nothing, 16 about 10%, 24 and more about 25% of
# the first pass; so at least this many pages per process.
MIN_PAGES_PER_WORKER = 12
# More processes than this only add copies of the parent's memory.
MAX_WORKERS = 8

ReadRange = Callable[[range], list]


def plan_workers(n_pages: int, requested: int | None = None) -> int:
    """How many processes read the pages. `requested` (else $CPSCREEN_PAGE_WORKERS): 1 or less
    means this process alone; N forces N even for a short file or one CPU; None is automatic.
    Where forking is unsafe or the cores are taken already, always 1."""
    if requested is None:
        requested = _workers_from_env()
    if requested is not None and requested <= 1:
        return 1
    if n_pages < 2 or not fork_is_safe():
        return 1
    if requested is None:
        requested = min(usable_cpus(), n_pages // MIN_PAGES_PER_WORKER, MAX_WORKERS)
    return max(1, min(requested, n_pages))


def _workers_from_env() -> int | None:
    value = os.environ.get(ENV_WORKERS, "").strip()
    try:
        return int(value)
    except ValueError:
        return None       # unset, "auto" or nonsense: automatic


def fork_is_safe() -> bool:
    if not hasattr(os, "fork"):
        return False
    # Batch and web workers are pool processes (ProcessPoolExecutor's are not daemonic, but
    # they have a multiprocessing parent): the pool already gives each core a file.
    if multiprocessing.current_process().daemon or multiprocessing.parent_process() is not None:
        return False
    # A lock held by another thread at the fork stays locked for ever in the child.
    return threading.active_count() == 1 and _os_threads() <= 1


def _os_threads() -> int:
    """Threads of this process that Python's threading module does not see too (a native
    library's pool, e.g. onnxruntime's after OCR); 1 where the system does not say."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # no affinity call on this platform
        return os.cpu_count() or 1


def split_pages(n_pages: int, workers: int) -> list[range]:
    """Contiguous ranges of nearly equal length, in page order."""
    bounds = [n_pages * i // workers for i in range(workers + 1)]
    return [range(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def read_in_ranges(read_range: ReadRange, n_pages: int, workers: int) -> list:
    """`read_range(pages)` over all pages, the first range here and the others in children;
    the concatenation in page order, exactly what `read_range(range(n_pages))` gives when
    `read_range` sets up whatever state a range starts with."""
    ranges = split_pages(n_pages, workers)
    # The first page is read before forking: the fonts and CMaps it makes pdfminer build are
    # mostly the other pages' too, and the children inherit them instead of building them again.
    first, rest = ranges[0][:1], ranges[0][1:]
    scans = read_range(first)
    children: list[_Child | None] = []
    try:
        for pages in ranges[1:]:
            children.append(_fork(read_range, pages))
        if rest:
            scans += read_range(rest)
        for pages, child in zip(ranges[1:], children):
            part = child.result() if child is not None else None
            scans += part if part is not None else read_range(pages)
        return scans
    finally:
        for child in children:
            if child is not None:
                child.end()


@dataclass
class _Child:
    pid: int
    fd: int | None            # the read end of its pipe, until read
    pages: range
    reaped: bool = False

    def result(self) -> list | None:
        """The child's scans of its pages, or None when it failed, crashed or was killed."""
        with os.fdopen(self.fd, "rb") as pipe:
            self.fd = None
            payload = pipe.read()            # until the child closes its end (exit or death)
        if not self._reap():
            return None
        try:
            scans = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - nothing or cut short: read the range here
            return None
        return scans if isinstance(scans, list) and len(scans) == len(self.pages) else None

    def end(self) -> None:
        """Stop and reap a child whose result is not wanted any more (an error elsewhere)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if not self.reaped:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def _reap(self) -> bool:
        """Wait for the child; False when it did not exit normally."""
        self.reaped = True
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:   # reaped already (SIGCHLD ignored): the payload decides
            return True
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _fork(read_range: ReadRange, pages: range) -> _Child | None:
    """A child reading `pages`; None when no process can be started (the parent reads them)."""
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:
        _child_main(read_range, pages, read_fd, write_fd)
    # closed before the next fork, so that only this child holds the write end and its
    # exit (or death) is the end of the pipe
    os.close(write_fd)
    return _Child(pid, read_fd, pages)


def _child_main(read_range: ReadRange, pages: range, read_fd: int, write_fd: int) -> None:
    """Never returns: the child must not run on into the parent's code (or its exit handlers)."""
    status = 1
    try:
        os.close(read_fd)
        payload = pickle.dumps(read_range(pages), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        status = 0
    except BaseException:  # noqa: BLE001 - the parent reads this range again and raises
        pass
    finally:
        os._exit(status)
