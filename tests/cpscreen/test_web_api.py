"""`cpscreen serve`: the web app through FastAPI's TestClient — the real app, real worker
processes, real corpus files. The page in a real browser is in test_web_browser.py."""
from __future__ import annotations

import io
import json
import re
import secrets
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the `web` extra is not installed")
with warnings.catch_warnings():          # starlette's note about httpx versions is not ours
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from cpscreen.web import MB, Job, JobStore, ServeConfig, create_app, display_name, error_result

sys.path.insert(0, str(Path(__file__).resolve().parent))   # for the Runner's workers too
import web_helpers  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"
AUDIT_DOCX = SAMPLES / "a01_sugar_audit.docx"
AUDIT_PDF = SAMPLES / "a01_sugar_audit.pdf"
SUMMARY_DOCX = SAMPLES / "a02_cement_summary.docx"
LIMIT = 1 * MB                      # every sample is well under it
CONTRACT_KEYS = {"schema", "file", "sha256", "doc_type", "pages", "ocr_pages", "error", "warnings",
                 "outline", "indicators", "conflicts", "items", "score", "missing"}


@pytest.fixture(scope="module")
def temp_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def client(temp_root):
    app = create_app(ServeConfig(max_upload_bytes=LIMIT, temp_root=temp_root, workers=2))
    with TestClient(app) as c:
        yield c


def check(client, path: Path | None = None, name: str | None = None, data: bytes | None = None,
          doc_type: str | None = None):
    content = path.read_bytes() if data is None else data
    fields = {"type": doc_type} if doc_type is not None else None
    return client.post("/api/check", files={"file": (name or path.name, content)}, data=fields)


def wait_done(client, job_url: str, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = client.get(job_url + "/status").json()
        if status["state"] == "done":
            return status
        time.sleep(0.2)
    raise AssertionError(f"{job_url} not done in {timeout} s")


def upload_page(client, path: Path, name: str | None = None, doc_type: str = "") -> str:
    """The browser's way: POST /upload, follow the 303 to the job's page; returns its URL."""
    with path.open("rb") as fh:
        r = client.post("/upload", files={"file": (name or path.name, fh)}, data={"type": doc_type},
                        follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    location = r.headers["location"]
    assert re.fullmatch(r"jobs/[A-Za-z0-9_-]{32}", location)
    return "/" + location


def leftovers(root: Path) -> list[Path]:
    return sorted(root.iterdir())


def nonce_of(response) -> str:
    return re.search(r"script-src 'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)


# ------------------------------------------------------------------------------ basics

def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/", "/healthz", "/static/cpscreen.css", "/no/such/page"])
def test_safety_headers_on_every_response(client, url):
    r = client.get(url)
    csp = r.headers["content-security-policy"]
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'",
                      "img-src 'self' data:", "style-src 'self'"):
        assert directive in csp
    assert re.search(r"script-src 'nonce-[A-Za-z0-9_-]{20,}'", csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_upload_page_is_chinese_and_its_only_script_carries_the_nonce(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "上传报告" in page and 'name="file"' in page and 'enctype="multipart/form-data"' in page
    for label, value in (("自动识别", ""), ("审核报告", "audit_report"), ("工作总结", "work_summary")):
        assert f'value="{value}"' in page and label in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts == [f' nonce="{nonce_of(r)}"']
    assert "http://" not in page and "https://" not in page      # no CDN, no external fonts
    assert nonce_of(r) != nonce_of(client.get("/"))               # a fresh nonce per response


# ------------------------------------------------------------------------------ POST /api/check

def test_api_check_gives_the_contract_json(client, temp_root):
    from cpscreen.pipeline import screen
    from cpscreen.result import result_json

    r = check(client, AUDIT_DOCX)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    got = r.json()
    assert got == json.loads(json.dumps(result_json(screen(AUDIT_DOCX))))   # exactly the CLI's JSON
    assert CONTRACT_KEYS <= set(got)
    assert got["error"] is None and got["doc_type"] == "audit_report"
    assert got["file"] == "a01_sugar_audit.docx"
    assert got["score"]["auto"] > 0 and got["score"]["sentence"].startswith("自动得分")
    assert leftovers(temp_root) == []          # the upload's folder went with the result


def test_api_check_type_field(client):
    r = check(client, AUDIT_DOCX, doc_type="work_summary")   # forced, even if it does not fit
    assert r.status_code == 200 and r.json()["doc_type"] == "work_summary"
    assert r.json()["outline"]["template"] == "work_summary"
    r = check(client, AUDIT_DOCX, doc_type="auto")
    assert r.json()["doc_type"] == "audit_report"
    r = check(client, AUDIT_DOCX, doc_type="minutes")
    assert r.status_code == 400
    body = r.json()
    assert CONTRACT_KEYS <= set(body) and body["error_code"] == "U402"
    assert "文档类型" in body["error"] and "Invalid document type" in body["error"]


def test_oversized_upload_is_413_with_declared_length(client, temp_root):
    r = check(client, name="big.pdf", data=b"%PDF-1.4\n" + b"0" * (LIMIT + 1))
    assert r.status_code == 413
    body = r.json()
    assert CONTRACT_KEYS <= set(body)
    assert body["error_code"] == "U413" and "1 MB" in body["error"] and "limit" in body["error"]
    assert body["items"] == [] and body["sha256"] is None
    assert leftovers(temp_root) == []


def test_oversized_upload_is_413_without_content_length(client, temp_root):
    """Chunked, no Content-Length: the limit is enforced on the bytes that arrive."""
    boundary = "cpscreen-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode()
    sent = []

    def body():
        yield head
        for _ in range(40):                       # 40 × 64 KiB = 2.5 MiB
            sent.append(1)
            yield b"0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/api/check", content=body(),
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413
    assert r.json()["error_code"] == "U413"
    assert leftovers(temp_root) == []


@pytest.mark.parametrize("name,data,code", [
    ("empty.pdf", b"", "E002"),
    ("garbage.docx", bytes(range(256)) * 40, "E003"),
    ("truncated.pdf", AUDIT_PDF.read_bytes()[:3000], None),
])
def test_unreadable_file_is_422_with_error_json(client, temp_root, name, data, code):
    r = check(client, name=name, data=data)
    assert r.status_code == 422
    body = r.json()
    assert CONTRACT_KEYS <= set(body)
    assert body["file"] == name and body["error"] and body["items"] == []
    assert re.search(r"[\u4e00-\u9fff]", body["error"]) and re.search(r"[A-Za-z]{4}", body["error"])
    if code:
        assert body["error_code"] == code
    assert "upload.bin" not in body["error"] and str(temp_root) not in body["error"]   # no server paths
    if data:
        import hashlib
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert leftovers(temp_root) == []


def test_request_without_a_file_is_400(client):
    r = client.post("/api/check", data={"type": "audit_report"}, files={"other": ("x.txt", b"abc")})
    assert r.status_code == 400 and r.json()["error_code"] == "U400"
    r = client.post("/api/check", json={"file": "a01_sugar_audit.docx"})
    assert r.status_code == 400 and r.json()["error_code"] == "U401"
    assert CONTRACT_KEYS <= set(r.json())


def test_two_uploads_at_once_each_get_their_own_result(client, temp_root):
    results: dict[str, object] = {}

    def run(path: Path) -> None:
        try:
            results[path.name] = check(client, path)
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[path.name] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in (AUDIT_DOCX, SUMMARY_DOCX)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    audit, summary = results[AUDIT_DOCX.name], results[SUMMARY_DOCX.name]
    assert audit.status_code == 200 and summary.status_code == 200
    a, s = audit.json(), summary.json()
    assert (a["file"], a["doc_type"]) == (AUDIT_DOCX.name, "audit_report")
    assert (s["file"], s["doc_type"]) == (SUMMARY_DOCX.name, "work_summary")
    import hashlib
    assert a["sha256"] == hashlib.sha256(AUDIT_DOCX.read_bytes()).hexdigest()
    assert s["sha256"] == hashlib.sha256(SUMMARY_DOCX.read_bytes()).hexdigest()
    assert leftovers(temp_root) == []


def test_a_bad_upload_does_not_affect_a_good_one_running_beside_it(client):
    results = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("good", check(client, AUDIT_DOCX))),
               threading.Thread(target=lambda: results.__setitem__("bad", check(client, name="x.pdf",
                                                                              data=b"%PDF-1.7\n%%EOF")))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert results["bad"].status_code == 422
    assert results["good"].status_code == 200 and results["good"].json()["score"]["auto"] > 0


def test_a_worker_that_dies_takes_no_job_with_it(client, temp_root):
    """A worker killed mid-job (as a crash or the OOM killer would) breaks the pool; the pool
    is replaced and the job runs again, to the right result."""
    import os
    import signal

    runner = client.app.state.runner
    before = runner._pool
    job = upload_page(client, AUDIT_PDF)
    workers = list(before._processes.values())
    assert workers
    for process in workers:            # only the pool's own worker processes, by pid
        os.kill(process.pid, signal.SIGKILL)
    wait_done(client, job, timeout=180)
    result = client.get(job + "/result.json").json()
    assert result["error"] is None and result["file"] == AUDIT_PDF.name
    assert result["score"]["sentence"] in client.get(job).text
    assert runner._pool is not before
    assert check(client, AUDIT_DOCX).status_code == 200          # and the new pool serves the next
    assert leftovers(temp_root) == []


def test_busy_server_says_so(client):
    config = client.app.state.config
    saved, config.max_active = config.max_active, 0
    try:
        r = check(client, AUDIT_DOCX)
        page = client.post("/upload", files={"file": ("a.docx", AUDIT_DOCX.read_bytes())}, follow_redirects=False)
    finally:
        config.max_active = saved
    assert r.status_code == 503 and r.json()["error_code"] == "U503"
    assert page.status_code == 503 and "服务器正忙" in page.text


# ------------------------------------------------------------------------------ the page

def test_page_flow_upload_progress_result_and_downloads(client, temp_root):
    job = upload_page(client, AUDIT_PDF)
    status = wait_done(client, job)
    assert status["step"] == status["steps"] == 4 and status["pages"] == 10
    assert leftovers(temp_root) == []

    r = client.get(job)
    assert r.status_code == 200
    page = r.text
    result = client.get(job + "/result.json").json()
    assert result["file"] == AUDIT_PDF.name and result["pages"] == 10
    assert result["score"]["sentence"] in page                         # the report's score sentence
    assert result["missing"] and result["missing"][0]["message"] in page.replace("&#34;", '"')
    assert 'id="item-26"' in page and "广西壮族自治区清洁生产企业审核表" in page   # the report's own table
    assert "<script" not in page                                       # the result needs no script
    assert 'href="../static/cpscreen.css"' in page and "<style>" not in page
    for link in ("result.xlsx", "result.json", "report.html"):
        assert f'href="{job.rsplit("/", 1)[1]}/{link}"' in page

    xlsx = client.get(job + "/result.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["content-disposition"].startswith("attachment;")
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "审核表"

    report = client.get(job + "/report.html")
    assert report.headers["content-disposition"].startswith("attachment;")
    assert result["score"]["sentence"] in report.text and "<style>" in report.text   # self-contained

    api = check(client, AUDIT_PDF).json()
    assert api == result                                               # the page and the API agree


def test_progress_page_polls_with_a_nonce_and_refreshes_without_script(client):
    store: JobStore = client.app.state.store
    job = Job(id=secrets.token_urlsafe(24), name="<img src=x onerror=alert(1)>.pdf", doc_type=None, workdir=None)
    store.add(job)
    try:
        r = client.get(f"/jobs/{job.id}")
        assert r.status_code == 200
        page = r.text
        assert "正在预审" in page and "排队" in page
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
        assert re.findall(r"<script([^>]*)>", page) == [f' nonce="{nonce_of(r)}"']
        assert f'data-status="{job.id}/status"' in page
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
        status = client.get(f"/jobs/{job.id}/status").json()
        assert status["state"] == "queued" and status["steps"] == 4
        assert client.get(f"/jobs/{job.id}/result.xlsx").status_code == 404   # not before it is done
    finally:
        store.finish(job, error_result(job.name, RuntimeError("test"), "U500"), None)


def test_unknown_or_malformed_job_ids_are_404(client):
    for url in (f"/jobs/{secrets.token_urlsafe(24)}", "/jobs/..%2F..%2Fetc", "/jobs/x"):
        r = client.get(url)
        assert r.status_code == 404
    r = client.get(f"/jobs/{secrets.token_urlsafe(24)}")
    assert "结果不存在或已过期" in r.text
    assert client.get(f"/jobs/{secrets.token_urlsafe(24)}/status").status_code == 404
    assert client.get(f"/jobs/{secrets.token_urlsafe(24)}/result.json").status_code == 404


def test_hostile_file_names_are_shown_escaped_and_never_used_as_paths(client, temp_root, tmp_path,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = check(client, AUDIT_DOCX, name="../../etc/passwd")
    assert r.status_code == 200 and r.json()["file"] == "passwd"
    assert r.json()["score"]["auto"] > 0
    r = check(client, AUDIT_DOCX, name="..\\..\\windows\\win.ini")
    assert r.json()["file"] == "win.ini"

    job = upload_page(client, AUDIT_DOCX, name="<script>alert(1)</script>.docx")
    wait_done(client, job)
    assert client.get(job + "/result.json").json()["file"] == "script>.docx"   # after the last "/"
    job = upload_page(client, AUDIT_DOCX, name="<script>.docx")
    wait_done(client, job)
    page = client.get(job).text
    assert "<script" not in page and "&lt;script&gt;.docx" in page
    assert client.get(job + "/result.json").json()["file"] == "<script>.docx"
    cd = client.get(job + "/result.xlsx").headers["content-disposition"]
    assert "<" not in cd and ">" not in cd and cd.count('"') == 2
    assert list(tmp_path.iterdir()) == [] and leftovers(temp_root) == []


def test_display_name():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert display_name("a\x00b\u202e.pdf") == "ab.pdf"
    assert display_name("..") == display_name("") == display_name(None) == "上传的文件"
    assert len(display_name("长" * 500 + ".pdf")) == 120


def test_job_store_is_bounded_and_expires():
    store = JobStore(max_jobs=3, ttl=60)
    jobs = [Job(id=f"{i:032d}", name="x", doc_type=None, workdir=None) for i in range(5)]
    for job in jobs:
        store.add(job)
        store.finish(job, {"file": "x"}, None)
    running = Job(id="r" * 32, name="x", doc_type=None, workdir=None)
    store.add(running)
    assert [store.get(j.id) is not None for j in jobs] == [False, False, True, True, True]
    assert store.get(running.id) is running              # unfinished jobs are never dropped
    jobs[4].finished -= 61
    assert store.get(jobs[4].id) is None and store.get(jobs[3].id) is jobs[3]


def test_keep_dir_keeps_the_upload_only_when_asked(tmp_path):
    keep, temp = tmp_path / "kept", tmp_path / "tmp"
    app = create_app(ServeConfig(max_upload_bytes=LIMIT, keep_dir=keep, temp_root=temp, workers=1))
    with TestClient(app) as c:
        r = check(c, AUDIT_DOCX, name="../evil name.docx")
    assert r.status_code == 200
    kept = sorted(p.name for p in keep.iterdir())
    assert len(kept) == 2 and kept[0].endswith(".docx") and kept[1].endswith(".json")
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{12}\.docx", kept[0])      # never the client's name
    assert (keep / kept[0]).read_bytes() == AUDIT_DOCX.read_bytes()
    assert json.loads((keep / kept[1]).read_text(encoding="utf-8")) == r.json()
    assert list(temp.iterdir()) == []


def test_serve_command_refuses_bad_options(tmp_path):
    import socket

    from cpscreen.cli import main

    assert main(["serve", "--max-upload-mb", "0"]) == 2
    assert main(["serve", "--workers", "0"]) == 2
    assert main(["serve", "--timeout", "-1"]) == 2
    assert main(["serve", "--timeout", "nan"]) == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "--port", str(busy.getsockname()[1])]) == 2


@pytest.mark.parametrize("timeout", [-1, float("nan")])
def test_serve_refuses_a_negative_time_limit(timeout, capsys):
    from cpscreen.web import cmd_serve

    assert cmd_serve("127.0.0.1", 0, 50, None, 1, timeout=timeout) == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("pages", [-1, 1.5, True])
def test_serve_refuses_a_bad_ocr_page_cap(pages, capsys):
    from cpscreen.web import cmd_serve

    assert cmd_serve("127.0.0.1", 0, 50, None, 1, ocr_pages=pages) == 2
    assert "--ocr-pages" in capsys.readouterr().err


def test_pipeline_reports_its_stages_in_order():
    from cpscreen.pipeline import STAGES, screen

    calls = []
    result = screen(AUDIT_PDF, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert result.error is None
    assert [c[0] for c in calls] == [STAGES[0], STAGES[0], *STAGES[1:]]
    assert calls[1] == (STAGES[0], 10, 10)                 # the pages, once the file is read
    bad = []
    assert screen(ROOT / "no-such-file.pdf", progress=lambda *a: bad.append(a)).error is not None
    assert bad == [(STAGES[0], 0, 0)]


# ------------------------------------------------------------------------------ time limit, OCR progress

TIME_LIMIT = 2          # seconds per file; the heavy scan below takes far longer to OCR
# (a warm worker screens AUDIT_DOCX in well under a second, so it stays under the limit)


@pytest.fixture(scope="module")
def light_scan(tmp_path_factory) -> Path:
    """Three scanned pages (images, no text layer) of a few lines each: about 0.5 s of OCR a page."""
    return web_helpers.light_scan(tmp_path_factory.mktemp("scans") / "扫描件.pdf", 3)


@pytest.fixture(scope="module")
def heavy_scan(tmp_path_factory) -> Path:
    """A scanned page full of text (0.6 MB, under LIMIT): several seconds of OCR, far over
    TIME_LIMIT (loading the OCR models alone takes about a second)."""
    return web_helpers.heavy_scan(tmp_path_factory.mktemp("scans") / "厚扫描件.pdf")


@pytest.fixture(scope="module")
def slow_client(temp_root):
    """One worker and a time limit of TIME_LIMIT seconds per file."""
    app = create_app(ServeConfig(max_upload_bytes=LIMIT, temp_root=temp_root, workers=1,
                                 job_timeout=TIME_LIMIT))
    with TestClient(app) as c:
        yield c


def wait_until(condition, timeout: float = 60, what: str = "the condition") -> None:
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"{what}: not in {timeout} s")
        time.sleep(0.02)


def test_api_file_over_the_time_limit_is_stopped_and_the_file_queued_behind_it_is_screened(
        slow_client, heavy_scan, temp_root):
    from cpscreen.pipeline import screen
    from cpscreen.result import result_json

    runner = slow_client.app.state.runner
    before, timeouts = runner._pool, runner.timeouts
    results: dict[str, object] = {}
    scan = threading.Thread(target=lambda: results.__setitem__("scan", check(slow_client, heavy_scan)))
    scan.start()
    # the scan has started in the only worker; the next file waits in the pool behind it (its
    # clock must not run while it waits), and goes down with the pool when the scan is stopped
    wait_until(lambda: any(r.started for r in list(runner._runs.values())), what="the scan started")
    docx = threading.Thread(target=lambda: results.__setitem__("docx", check(slow_client, AUDIT_DOCX)))
    docx.start()
    scan.join(timeout=180)
    docx.join(timeout=180)

    r = results["scan"]
    assert r.status_code == 504, r.text[:300]
    body = r.json()
    assert CONTRACT_KEYS <= set(body) and body["error_code"] == "U504"
    assert body["file"] == heavy_scan.name and body["items"] == [] and body["score"]["auto"] == 0
    assert f"处理超时（超过 {TIME_LIMIT} 秒），已停止" in body["error"]
    assert f"longer than {TIME_LIMIT} s and was stopped" in body["error"]
    assert runner.timeouts == timeouts + 1 and runner._pool is not before

    assert results["docx"].status_code == 200
    assert results["docx"].json() == json.loads(json.dumps(result_json(screen(AUDIT_DOCX))))
    assert check(slow_client, SUMMARY_DOCX).status_code == 200     # the new pool serves the next
    assert runner.timeouts == timeouts + 1
    assert leftovers(temp_root) == []


def test_page_shows_the_time_limit_error_and_screens_the_next_file(slow_client, heavy_scan, temp_root):
    job = upload_page(slow_client, heavy_scan)
    status = wait_done(slow_client, job)
    assert status["message"] == "预审完成"
    result = slow_client.get(job + "/result.json").json()
    assert result["error_code"] == "U504" and result["file"] == heavy_scan.name
    page = slow_client.get(job).text
    assert f"处理超时（超过 {TIME_LIMIT} 秒），已停止。扫描件请减少页数或分批提交" in page
    assert "Screening took longer than" in page and "U504" in page
    assert 'id="download-json"' in page and 'id="download-xlsx"' not in page   # no 审核表 to give

    job = upload_page(slow_client, AUDIT_DOCX)
    wait_done(slow_client, job)
    result = slow_client.get(job + "/result.json").json()
    assert result["error"] is None and result["score"]["sentence"] in slow_client.get(job).text
    assert leftovers(temp_root) == []


def test_runner_stops_only_the_job_over_its_time_and_runs_the_others_again(tmp_path, monkeypatch):
    """The Runner's own processes, with jobs that hang or wait on purpose (web_helpers.py):
    the hung one is stopped when its time is up, with JobTimeout; the one running beside it
    in the same pool is run again, even when it has used its one retry already (a time-out
    is not its fault), and is not timed out for the time it ran before."""
    import os

    from cpscreen.web import JobTimeout, Runner
    from ingest import ocr

    monkeypatch.delenv(ocr.THREADS_ENV, raising=False)      # the workers share out the cores
    log, flag = tmp_path / "starts.log", tmp_path / "go"
    outcomes: dict[str, tuple] = {}
    runner = Runner(2, timeout=TIME_LIMIT, target=web_helpers.run)
    runner.start()
    try:
        runner.submit(("hang", str(log)), lambda v, e: outcomes.__setitem__("hang", (v, e)))
        wait_until(lambda: [k for k, _ in web_helpers.starts(log)] == ["hang"], what="hang started")
        wait_until(lambda: any(r.started for r in list(runner._runs.values())), what="its clock started")
        runner.submit(("wait", str(log), str(flag)), lambda v, e: outcomes.__setitem__("wait", (v, e)),
                      attempt=Runner.RETRIES)
        wait_until(lambda: "hang" in outcomes, timeout=60, what="the hung job stopped")
        value, exc = outcomes["hang"]
        assert value is None and isinstance(exc, JobTimeout) and exc.seconds == TIME_LIMIT
        hung_pid = web_helpers.starts(log)[0][1]
        wait_until(lambda: not os.path.exists(f"/proc/{hung_pid}"), what="the hung worker gone")

        # the waiting job ran in the broken pool, and now again in the new one
        wait_until(lambda: [k for k, _ in web_helpers.starts(log)] == ["hang", "wait", "wait"], timeout=60,
                   what="the waiting job started again")
        flag.touch()
        wait_until(lambda: "wait" in outcomes, what="the waiting job done")
        value, exc = outcomes["wait"]
        assert exc is None and value == ("wait", web_helpers.starts(log)[2][1])
        assert runner.timeouts == 1

        done = threading.Event()
        runner.submit(("threads", str(log)), lambda v, e: (outcomes.__setitem__("threads", (v, e)), done.set()))
        assert done.wait(60)
        assert outcomes["threads"] == ((max(1, (os.cpu_count() or 1) // 2), ), None)
    finally:
        flag.touch()
        runner.close()
    assert [k for k, _ in web_helpers.starts(log)] == ["hang", "wait", "wait", "threads"]   # never "hang" again


def test_ocr_progress_shows_in_the_status_while_a_scan_is_read(client, light_scan, temp_root):
    from cpscreen.pipeline import STAGE_OCR

    job = upload_page(client, light_scan)
    seen: list[dict] = []
    deadline = time.time() + 120
    while time.time() < deadline:
        status = client.get(job + "/status").json()
        seen.append(status)
        if status["state"] == "done":
            break
        time.sleep(0.05)
    ocr = [s for s in seen if s["stage"] == STAGE_OCR]
    assert ocr, [s["message"] for s in seen]
    for s in ocr:
        assert s["state"] == "running" and s["step"] == 1 and s["steps"] == 4
        assert s["ocr_total"] == 3 and 0 <= s["ocr_done"] <= 3
        assert s["message"].startswith(f"第 1 步（共 4 步）：正在文字识别（扫描页 {s['ocr_done']} / 3）")
        assert s["progress"] == round(s["ocr_done"] / 3, 3)
    done_counts = [s["ocr_done"] for s in ocr]
    assert done_counts == sorted(done_counts) and len(set(done_counts)) >= 2     # the bar moves
    assert seen[-1]["state"] == "done" and seen[-1]["progress"] == 4
    result = client.get(job + "/result.json").json()
    assert result["error"] is None and result["ocr_pages"] == 3 and result["pages"] == 3
    assert leftovers(temp_root) == []


def test_ocr_max_pages_is_passed_to_the_workers(client, light_scan):
    config = client.app.state.config
    saved, config.ocr_max_pages = config.ocr_max_pages, 2
    try:
        r = check(client, light_scan)
    finally:
        config.ocr_max_pages = saved
    assert r.status_code == 200
    body = r.json()
    assert body["ocr_pages"] == 2 and any("按上限只对前 2 页" in w for w in body["warnings"])


def test_status_and_progress_page_during_ocr(client):
    from cpscreen.pipeline import STAGE_OCR

    job = Job(id=secrets.token_urlsafe(24), name="扫描件.pdf", doc_type=None, workdir=None,
              state="running", stage=STAGE_OCR, ocr_done=12, ocr_total=40)
    status = job.status()
    assert status["message"].startswith("第 1 步（共 4 步）：正在文字识别（扫描页 12 / 40）")
    assert (status["step"], status["steps"], status["progress"]) == (1, 4, 0.3)
    assert (status["ocr_done"], status["ocr_total"]) == (12, 40)
    store: JobStore = client.app.state.store
    store.add(job)
    try:
        page = client.get(f"/jobs/{job.id}").text
        assert '<progress id="bar" max="4" value="0.3">' in page
        assert "正在文字识别（扫描页 12 / 40）" in page
        assert 'class="current">读取文件' in page        # still the read step in the list
    finally:
        store.finish(job, error_result(job.name, RuntimeError("test"), "U500"), None)
