"""The `cpscreen` command line (see ../shared/spec/CONTRACT.md).

Exit status: 0 screened (whatever the score), 2 usage error, 3 the file could
not be read. No traceback reaches the user; CPSCREEN_DEBUG=1 shows one.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from ingest.limits import DEFAULT_FILE_TIMEOUT, DEFAULT_OCR_MAX_PAGES, check_ocr_max_pages

EXIT_OK, EXIT_USAGE, EXIT_UNREADABLE = 0, 2, 3
DOC_TYPES = ("audit_report", "work_summary")
FORMATS = ("table", "json", "html", "xlsx")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too, but in English only
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误 / usage error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def ocr_pages_arg(text: str) -> int:
    """--ocr-pages N: a whole number of pages, 0 for all."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"须为页数（整数，0 为全部），而不是 {text!r} / must be a whole number of pages "
            f"(0: all), not {text!r}") from None
    if n < 0:   # (argparse puts "argument --ocr-pages:" in front)
        raise argparse.ArgumentTypeError(f"不能为负数：{n} / must not be negative: {n}")
    return n


def _ocr_options(parser: argparse.ArgumentParser, default_pages: int) -> None:
    parser.add_argument("--no-ocr", dest="ocr", action="store_false",
                        help="不对扫描页做文字识别（列出未读页）/ do not OCR scanned pages (they are listed as unread)")
    parser.add_argument("--ocr-pages", type=ocr_pages_arg, default=default_pages, metavar="N",
                        help=f"每份文件最多识别前 N 页扫描页，其余列为未读（缺省 {default_pages}，0 为全部；"
                             f"每页约 2–4 秒）/ OCR at most the first N scanned pages of a file, list the rest "
                             f"as unread (default {default_pages}, 0: all; about 2–4 s a page)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cpscreen", description="清洁生产审核材料预审 / Pre-screen cleaner-production audit submissions (Guangxi)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="预审一份报告 / screen one file")
    c.add_argument("file")
    c.add_argument("--type", choices=DOC_TYPES, dest="doc_type",
                   help="文档类型（缺省时自动识别）/ document type (detected when absent)")
    c.add_argument("--format", choices=FORMATS, default="table")
    c.add_argument("-o", "--output", help="输出文件 / write the output here instead of stdout")
    c.add_argument("--password", help="加密 PDF 的密码 / password of an encrypted PDF")
    _ocr_options(c, DEFAULT_OCR_MAX_PAGES)

    d = sub.add_parser("demo", help="对自带样例报告运行 check / run check on the bundled sample report")
    d.add_argument("--format", choices=FORMATS, default="table")
    d.add_argument("-o", "--output")

    e = sub.add_parser("eval", help="对照语料真值评估 / score cpscreen against the corpus truth")
    e.add_argument("corpus", nargs="?", default=None, help="语料目录（缺省：自带语料）/ corpus folder")
    e.add_argument("--json", action="store_true", help="print the figures as JSON")
    e.add_argument("-v", "--verbose", action="store_true", help="list every difference")

    b = sub.add_parser("batch", help="批量预审 / screen many files")
    b.add_argument("inputs", nargs="+", metavar="DIR_OR_FILES",
                   help="文件或文件夹（文件夹内递归查找 .pdf .docx .doc .wps .txt）/ files or folders")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="结果文件夹 / the folder for the results and summary.xlsx")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="并行进程数（缺省 1）/ worker processes (default 1)")
    b.add_argument("--timeout", type=float, default=DEFAULT_FILE_TIMEOUT, metavar="SECONDS",
                   help=f"单个文件的处理时限，超时记为出错并继续（缺省 {DEFAULT_FILE_TIMEOUT}，0 为不限）/ "
                        f"seconds one file may take before it becomes an error row "
                        f"(default {DEFAULT_FILE_TIMEOUT}, 0: no limit)")
    _ocr_options(b, DEFAULT_OCR_MAX_PAGES)

    k = sub.add_parser("compare", help="与上一轮对比，或工作总结与审核报告核对 / compare with the previous "
                                       "round, or a work summary with its audit report")
    k.add_argument("previous", metavar="PREVIOUS", help="上一轮的材料（或同一轮的另一份）/ the previous round's file")
    k.add_argument("current", metavar="CURRENT", help="本轮的材料 / this round's file")
    k.add_argument("--format", choices=FORMATS, default="table")
    k.add_argument("-o", "--output", help="输出文件 / write the output here instead of stdout")

    w = sub.add_parser("serve", help="网页自查 / the self-check web page (docs/web.md)")
    w.add_argument("--host", default="127.0.0.1", help="监听地址（缺省 127.0.0.1）/ address to listen on")
    w.add_argument("--port", type=int, default=8000, help="端口（缺省 8000）/ port")
    w.add_argument("--max-upload-mb", type=float, default=50, metavar="MB",
                   help="上传文件大小上限（缺省 50）/ upload size limit in MB (default 50)")
    w.add_argument("--keep-dir", metavar="DIR",
                   help="保留上传文件及其结果的文件夹（缺省不保留）/ keep uploads and their JSON here (default: keep nothing)")
    w.add_argument("--workers", type=int, default=2, metavar="N",
                   help="预审进程数（缺省 2）/ screening processes (default 2)")
    w.add_argument("--timeout", type=float, default=DEFAULT_FILE_TIMEOUT, metavar="SECONDS",
                   help=f"单个文件的处理时限，超时即停止并提示（缺省 {DEFAULT_FILE_TIMEOUT}，0 为不限）/ "
                        f"seconds one file may take before it is stopped with an error "
                        f"(default {DEFAULT_FILE_TIMEOUT}, 0: no limit)")
    _ocr_options(w, DEFAULT_OCR_MAX_PAGES)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args.file, args.doc_type, args.format, args.output, args.password,
                             ocr=args.ocr, ocr_pages=args.ocr_pages)
        if args.command == "demo":
            return cmd_check(str(demo_sample()), None, args.format, args.output, None)
        if args.command == "eval":
            from .evaluate import run_eval
            return run_eval(args.corpus, as_json=args.json, verbose=args.verbose)
        if args.command == "batch":
            from .batch import BatchUsageError, cmd_batch
            try:
                return cmd_batch(args.inputs, args.output, args.workers, args.timeout,
                                 ocr=args.ocr, ocr_pages=args.ocr_pages)
            except BatchUsageError as err:
                raise UsageError(str(err)) from None
        if args.command == "compare":
            from .compare import cmd_compare
            return cmd_compare(args.previous, args.current, args.format, args.output)
        if args.command == "serve":
            from .web import cmd_serve
            return cmd_serve(args.host, args.port, args.max_upload_mb, args.keep_dir, args.workers,
                             timeout=args.timeout, ocr=args.ocr, ocr_pages=args.ocr_pages)
        parser.print_help()
        return EXIT_USAGE
    except UsageError as err:
        sys.stderr.write(f"用法错误 / usage error: {err}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("已中断 / interrupted\n")
        return 130
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("CPSCREEN_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(f"内部错误，请将此文件报告给开发者 / internal error, please report this file: "
                         f"{type(exc).__name__}: {exc}\n")
        return EXIT_UNREADABLE


def cmd_check(path: str, doc_type: str | None, fmt: str, output: str | None, password: str | None,
              ocr: bool = True, ocr_pages: int | None = DEFAULT_OCR_MAX_PAGES) -> int:
    """`ocr_pages`: OCR at most this many scanned pages (0 or None: all)."""
    if fmt == "xlsx" and not output:
        raise UsageError("xlsx 格式需要用 -o 指定输出文件 / the xlsx format needs an output file: -o OUT.xlsx")
    try:
        check_ocr_max_pages(ocr_pages)
    except ValueError as err:
        raise UsageError(str(err)) from None
    from .pipeline import screen

    with _OcrProgressBar() as bar:
        result = screen(path, doc_type=doc_type, password=password, ocr=ocr, progress=bar.update,
                        ocr_max_pages=ocr_pages)
    if fmt == "json":
        from .result import dumps, result_json
        text = dumps(result_json(result)) + "\n"
    elif fmt == "html":
        from .render_html import render_html
        from .result import result_json
        text = render_html(result_json(result))
    elif fmt == "xlsx":
        from .render_xlsx import render_xlsx
        from .result import result_json
        text = render_xlsx(result_json(result))
    else:
        from .render_table import render_table
        text = render_table(result)
    write_output(text, output)
    if result.error is not None:
        if fmt != "table" or output:  # the table on stdout already carries the message
            sys.stderr.write(f"{result.error.zh}\n{result.error.en}\n")
        return EXIT_UNREADABLE
    return EXIT_OK


class _OcrProgressBar:
    """A bar on the terminal while OCR reads scanned pages (2-4 s each: a 100-page scan would
    otherwise sit silent for minutes). Only on a terminal (tqdm's disable=None), and on stderr,
    so piped or redirected output stays exactly the result; files without scans show nothing."""

    def __init__(self) -> None:
        self._bar = None

    def update(self, stage: str, done: int, total: int) -> None:
        from .pipeline import STAGE_OCR

        if stage != STAGE_OCR or not total:
            return
        if self._bar is None:
            from tqdm import tqdm
            self._bar = tqdm(total=total, desc="文字识别（扫描页）/ OCR", unit="页", file=sys.stderr,
                             disable=None, dynamic_ncols=True, leave=False)
        self._bar.update(done - self._bar.n)

    def __enter__(self) -> "_OcrProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()


def write_output(text: str | bytes, output: str | None) -> None:
    if not output:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ingest.errors import ScreenError
    try:
        if isinstance(text, bytes):
            Path(output).write_bytes(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        err = ScreenError("E013", path=output, detail=exc.strerror or str(exc))
        raise UsageError(str(err)) from None


def demo_sample() -> Path:
    """The bundled sample report (shipped as package data of `corpus`)."""
    from importlib.resources import files
    return Path(str(files("corpus") / "samples" / DEMO_SAMPLE))


DEMO_SAMPLE = "a01_sugar_audit.pdf"


if __name__ == "__main__":
    sys.exit(main())
