"""`cpscreen serve` for real: the command in a subprocess on a free port, driven by headless
Chromium through Selenium (Debian's chromium-driver), as an enterprise would use it.

Every wait is bounded; the server is stopped by the fixture whatever happens."""
from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIT_PDF = ROOT / "corpus" / "samples" / "a01_sugar_audit.pdf"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
LIMIT_MB = 1
SERVER_START_TIMEOUT = 60
RESULT_TIMEOUT = 120
TIME_LIMIT = 2                  # seconds per file on `timed_server`; the heavy scan takes far longer

pytest.importorskip("fastapi", reason="the `web` extra is not installed")
pytest.importorskip("uvicorn", reason="the `web` extra is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_helpers  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@contextlib.contextmanager
def running_server(log: Path, command: list[str], port: int):
    """Runs `command` (a `cpscreen serve` on 127.0.0.1:port); yields its base URL once it answers,
    stops it at the end and checks that it stopped cleanly."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"cpscreen serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                if get(base + "healthz", timeout=2) == (200, b'{"status":"ok"}'):
                    break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"cpscreen serve did not answer /healthz in {SERVER_START_TIMEOUT} s:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)          # uvicorn shuts down gracefully, the workers with it
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # its own session: the server and its workers only
            proc.wait(timeout=10)
    assert proc.returncode == 0, log.read_text()
    text = log.read_text()
    assert "Application shutdown complete" in text and "leaked" not in text and "Traceback" not in text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`cpscreen serve` on 127.0.0.1:<free port>; yields its base URL, stops it at the end."""
    port = free_port()
    with running_server(tmp_path_factory.mktemp("server") / "server.log",
                        [sys.executable, "-m", "cpscreen", "serve", "--host", "127.0.0.1", "--port", str(port),
                         "--max-upload-mb", str(LIMIT_MB), "--workers", "1"], port) as base:
        yield base


@pytest.fixture(scope="module")
def timed_server(tmp_path_factory):
    """The same with a time limit of TIME_LIMIT seconds per file (`cpscreen serve --timeout`)."""
    port = free_port()
    command = [sys.executable, "-m", "cpscreen", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--max-upload-mb", str(LIMIT_MB), "--workers", "1", "--timeout", str(TIME_LIMIT)]
    with running_server(tmp_path_factory.mktemp("server") / "server.log", command, port) as base:
        yield base


@pytest.fixture()
def browser(tmp_path):
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium and chromium-driver are needed (scripts/setup.sh)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2200"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER,
                                              log_output=str(tmp_path / "chromedriver.log")),
                              options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.downloads = downloads
        yield driver
    finally:
        driver.quit()


def wait_for_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded in {timeout} s: {list(folder.iterdir())}")


def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if "Content Security Policy" in e["message"] or "Refused to" in e["message"]]


def test_upload_in_chromium_shows_score_missing_items_and_downloads_the_xlsx(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    assert "上传报告" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.execute_script(   # the stylesheet came through the CSP (style-src 'self')
        "return getComputedStyle(document.getElementById('drop')).borderTopStyle") == "dashed"
    browser.find_element(By.ID, "file").send_keys(str(AUDIT_PDF))
    assert "a01_sugar_audit.pdf" in browser.find_element(By.ID, "chosen").text   # the page's script ran
    browser.save_screenshot(str(tmp_path / "upload.png"))
    browser.find_element(By.ID, "submit").click()

    WebDriverWait(browser, 30).until(lambda d: "/jobs/" in d.current_url)
    job_url = browser.current_url
    # the progress page and its stage list, read in one script: a quick file reloads onto the
    # result page between two separate reads
    progress = browser.execute_script(
        "var p = document.getElementById('progress');"
        "return p ? [document.documentElement.outerHTML, p.innerText] : null;")
    if progress:                           # a fresh worker takes seconds: the stages show meanwhile
        browser.save_screenshot(str(tmp_path / "progress.png"))
        assert "正在预审" in progress[0] and "读取文件" in progress[1]
    WebDriverWait(browser, RESULT_TIMEOUT, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.ID, "downloads"))    # the poll script reloaded onto the result
    assert browser.current_url == job_url

    status, body = get(job_url + "/result.json")
    assert status == 200
    result = json.loads(body)
    assert result["file"] == AUDIT_PDF.name and result["error"] is None

    sentence = browser.find_element(By.CSS_SELECTOR, "#score .sentence").text
    assert sentence.startswith("自动得分") and sentence == result["score"]["sentence"]
    missing = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.missing li")]
    assert missing and result["missing"][0]["message"] in missing[0]
    rows = browser.find_elements(By.CSS_SELECTOR, "table.sheet tbody tr")
    assert len(rows) == 26
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('section.score')).borderTopStyle") == "solid"
    shot = tmp_path / "result.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20000

    browser.find_element(By.ID, "download-xlsx").click()
    xlsx = wait_for_file(browser.downloads, ".xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["审核表", "指标", "缺失项", "章节"]
    sheet_text = " ".join(str(c.value) for row in wb["缺失项"].iter_rows() for c in row if c.value)
    assert result["missing"][0]["message"] in sheet_text
    assert xlsx.name.endswith("预审结果.xlsx")

    assert csp_violations(browser) == []


def test_expired_or_unknown_result_in_chromium(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "jobs/" + "A" * 32)
    assert "结果不存在或已过期" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.LINK_TEXT, "重新上传文件").click()
    assert browser.find_elements(By.ID, "upload")


def test_real_server_stops_reading_an_oversized_chunked_upload(server):
    """No Content-Length: the server counts what arrives and answers 413 long before the end.
    (uvicorn then discards what is still in flight for a few seconds before it closes, so the
    client gets the answer instead of a reset connection.)"""
    port = int(server.rsplit(":", 1)[1].strip("/"))
    boundary = "b0undary"
    total = 64 * LIMIT_MB * 1024 * 1024         # far more than the socket buffers hold
    sent = 0
    response = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall((f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode())
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                f"\r\n%PDF-1.4\n").encode()
        sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
        frame = b"%x\r\n%s\r\n" % (65536, b"0" * 65536)
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break                              # the server has answered: stop sending
            try:
                sock.sendall(frame)                # blocking: a frame is sent whole or not at all
            except OSError:                        # the server stopped reading, or closed
                break
            sent += 65536
        sock.settimeout(10)
        try:
            while b"\r\n\r\n" not in response or not response.rstrip().endswith(b"}"):
                data = sock.recv(65536)
                if not data:
                    break
                response += data
        except (ConnectionError, TimeoutError, OSError):
            pass
    assert response.startswith(b"HTTP/1.1 413"), response[:300]
    assert sent < total / 4, f"sent {sent} bytes before the answer"
    body = response.split(b"\r\n\r\n", 1)[1]
    assert b'"error_code":"U413"' in body


def upload(browser, base: str, path: Path) -> str:
    """Choose the file on the upload page and send it; returns the job page's URL."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base)
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 30).until(lambda d: "/jobs/" in d.current_url)
    return browser.current_url


SHOWN = ("var s = document.getElementById('stage'), b = document.getElementById('bar'),"
         "    c = document.querySelector('#stages li.current');"
         "return s && b ? [s.textContent, b.value, b.max, c ? c.textContent : ''] : null;")


def test_progress_page_counts_the_scanned_pages_in_chromium(server, browser, tmp_path):
    """While OCR reads a scan, the page says which scanned page it is on, the bar moves within
    the first step, and the step stays 读取文件."""
    import re

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    scan = web_helpers.light_scan(tmp_path / "扫描件.pdf", 4)
    job_url = upload(browser, server, scan)
    seen = []

    def in_ocr(driver) -> bool:
        shown = driver.execute_script(SHOWN)
        if shown is None:                      # the result page: too late
            raise AssertionError(f"the OCR stage never showed: {seen}")
        seen.append(shown)
        return "文字识别" in shown[0]

    WebDriverWait(browser, RESULT_TIMEOUT, poll_frequency=0.1).until(in_ocr)
    text, value, maximum, current = seen[-1]
    match = re.match(r"第 1 步（共 4 步）：正在文字识别（扫描页 (\d) / 4）", text)
    assert match, text
    assert current == "读取文件" and maximum == 4
    assert value == pytest.approx(int(match.group(1)) / 4, abs=0.001)
    browser.save_screenshot(str(tmp_path / "ocr-progress.png"))

    WebDriverWait(browser, RESULT_TIMEOUT, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.ID, "downloads"))
    assert browser.current_url == job_url
    result = json.loads(get(job_url + "/result.json")[1])
    assert result["error"] is None and result["ocr_pages"] == 4
    assert csp_violations(browser) == []


def test_a_file_over_the_time_limit_ends_with_the_error_and_the_next_is_screened_in_chromium(
        timed_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    job_url = upload(browser, timed_server, web_helpers.heavy_scan(tmp_path / "厚扫描件.pdf"))
    WebDriverWait(browser, RESULT_TIMEOUT, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.ID, "downloads"))  # the poll script reloaded onto the result
    assert browser.current_url == job_url
    error = browser.find_element(By.ID, "error").text
    assert f"处理超时（超过 {TIME_LIMIT} 秒），已停止。扫描件请减少页数或分批提交" in error
    assert f"Screening took longer than {TIME_LIMIT} s" in error and "U504" in error
    browser.save_screenshot(str(tmp_path / "timeout.png"))
    result = json.loads(get(job_url + "/result.json")[1])
    assert result["error_code"] == "U504"

    browser.find_element(By.ID, "again").click()          # the server goes on: the next file
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "upload"))
    job_url = upload(browser, timed_server, AUDIT_PDF)
    WebDriverWait(browser, RESULT_TIMEOUT, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.ID, "downloads"))
    result = json.loads(get(job_url + "/result.json")[1])
    assert result["error"] is None and result["file"] == AUDIT_PDF.name
    assert browser.find_element(By.CSS_SELECTOR, "#score .sentence").text == result["score"]["sentence"]
    assert csp_violations(browser) == []
