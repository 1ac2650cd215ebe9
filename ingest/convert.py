"""Legacy word-processor files (.doc, .wps, .rtf) -> DOCX bytes, with LibreOffice headless.

    docx_bytes = convert_to_docx(data, fmt="doc", name="报告.doc")

Each call is on its own:
- a fresh temporary folder holds the input under a fixed safe name (`input.doc`),
  the output and LibreOffice's user profile (`-env:UserInstallation`), so calls in
  parallel workers never share a profile (LibreOffice refuses a profile in use)
  and the user's file name (spaces, `..`, `%2F`, a leading `-`) never reaches a
  command line or a file URL;
- the import filter is named (`--infilter`), so LibreOffice does not fall back to
  reading a damaged file as plain text and hand back a "document" of garbage;
- `soffice` runs in its own process group with a time limit; on time-out the whole
  group (the wrapper script, oosplash and soffice.bin) is killed;
- the folder is removed afterwards, whatever happened.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .errors import ScreenError

# Seconds for one conversion. A long report converts in a few seconds; a file that
# keeps LibreOffice busy for a minute is treated as unreadable. CPSCREEN_CONVERT_TIMEOUT
# overrides it (a slow shared server).
DEFAULT_TIMEOUT = 60.0
MAX_OUTPUT_BYTES = 200 * 1024 * 1024

# Import filters tried in order. Kingsoft WPS writes .wps as a Word 97 compound file
# (what most WPS users submit); Microsoft Works also used .wps, read by libwps.
FILTERS = {
    "doc": ("MS Word 97",),
    "wps": ("MS Word 97", "MS_Works"),
    "rtf": ("Rich Text Format",),
}
SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    override = os.environ.get("CPSCREEN_SOFFICE")
    if override:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, fmt: str, name: str, timeout: float | None = None) -> bytes:
    """The DOCX LibreOffice makes of `data` (a .doc, .wps or .rtf file's bytes).

    Raises ScreenError E014 (LibreOffice missing), E015 (time-out) or E016 (failed).
    `name` is only for messages.
    """
    label = fmt.upper()
    soffice = find_soffice()
    if soffice is None:
        raise ScreenError("E014", path=name, fmt=label)
    if timeout is None:
        timeout = _timeout_from_env()
    work = Path(tempfile.mkdtemp(prefix="cpscreen-lo-"))
    try:
        src = work / f"input.{fmt}"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        profile = (work / "profile").as_uri()
        deadline = time.monotonic() + timeout
        details = []
        for infilter in FILTERS.get(fmt, FILTERS["doc"]):
            left = deadline - time.monotonic()
            if left <= 0:
                raise ScreenError("E015", path=name, fmt=label, seconds=_seconds(timeout))
            cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                   f"--infilter={infilter}", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(out_dir), str(src)]
            code, stderr = _run(cmd, left, cwd=work)
            if code is None:
                raise ScreenError("E015", path=name, fmt=label, seconds=_seconds(timeout))
            result = out_dir / "input.docx"
            if result.is_file() and result.stat().st_size > 0:
                if result.stat().st_size > MAX_OUTPUT_BYTES:
                    raise ScreenError("E009", path=name, detail="the converted DOCX is over 200 MB")
                return result.read_bytes()
            details.append(_last_line(stderr) or f"exit status {code}")
        raise ScreenError("E016", path=name, fmt=label, detail="; ".join(details)[:200])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(cmd: list[str], timeout: float, cwd: Path) -> tuple[int | None, str]:
    """(exit status, stderr) of cmd, or (None, "") when it ran out of time (group killed)."""
    env = dict(os.environ)
    env["HOME"] = str(cwd)  # nothing is written to the real user's home either
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as exc:  # found but not runnable
        return 127, f"{type(exc).__name__}: {exc}"
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return None, ""
    except BaseException:  # KeyboardInterrupt: do not leave LibreOffice behind
        _kill_group(proc)
        raise
    finally:
        # soffice.bin can outlive the wrapper script that we waited for
        _kill_group(proc, quiet=True)
    return proc.returncode, err.decode("utf-8", errors="replace")


def _kill_group(proc: subprocess.Popen, quiet: bool = False) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.returncode is None:
        try:
            proc.communicate(timeout=10)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            if not quiet:
                raise


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and "javaldx" not in ln]  # a harmless warning on every run
    return lines[-1] if lines else ""


def _seconds(timeout: float) -> str:
    return f"{timeout:g}"


def _timeout_from_env() -> float:
    raw = os.environ.get("CPSCREEN_CONVERT_TIMEOUT")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT
