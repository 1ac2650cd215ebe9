"""One catalogue of user-facing errors and warnings, in Chinese and English.

Like spaCy's `Errors`, every message a user can see lives here under a code, so
wording is kept consistent and translations sit side by side. Raise
`ScreenError("E003", path=...)`; the CLI prints `str(err)` and exits 3.
"""
from __future__ import annotations


class Errors:
    # code: (中文, English). Fields in braces are filled by keyword arguments.
    E001 = ("文件不存在：{path}", "File not found: {path}")
    E002 = ("文件为空（0 字节）：{path}", "The file is empty (0 bytes): {path}")
    E003 = ("无法识别的文件格式：{path}。支持 PDF、DOCX、DOC、WPS、TXT。",
            "Unrecognised file format: {path}. Supported: PDF, DOCX, DOC, WPS, TXT.")
    E004 = ("PDF 文件已损坏或不完整，无法读取：{path}（{detail}）",
            "The PDF is damaged or incomplete and cannot be read: {path} ({detail})")
    E005 = ("PDF 文件已加密，需要密码：{path}",
            "The PDF is encrypted and needs a password: {path}")
    E006 = ("Word 文件已损坏或不是有效的 DOCX：{path}（{detail}）",
            "The Word file is damaged or not a valid DOCX: {path} ({detail})")
    E007 = ("无法识别文本文件的编码（已尝试 UTF-8、UTF-16、GB18030）：{path}",
            "Cannot decode the text file (tried UTF-8, UTF-16, GB18030): {path}")
    E008 = ("暂不支持 {fmt} 格式（旧版 Word/WPS），请另存为 DOCX 或 PDF：{path}",
            "The {fmt} format (legacy Word/WPS) is not supported yet; save it as DOCX or PDF: {path}")
    E009 = ("文件过大或解压后过大（{detail}），为安全起见拒绝读取：{path}",
            "The file is too large or expands too much ({detail}); refused for safety: {path}")
    E010 = ("读取文件时出错：{path}（{detail}）", "Error while reading the file: {path} ({detail})")
    E011 = ("文档中没有可读取的文字：{path}", "No readable text in the document: {path}")
    E012 = ("评分规则数据有误：{detail}", "The rubric data is invalid: {detail}")
    E013 = ("无法写入输出文件：{path}（{detail}）", "Cannot write the output file: {path} ({detail})")
    # Legacy Word/WPS/RTF files are converted to DOCX by LibreOffice (ingest/convert.py).
    E014 = ("无法读取 {fmt} 文件：本机未安装 LibreOffice（Debian 软件包 libreoffice-writer-nogui），"
            "请安装后重试，或在 Word/WPS 中另存为 DOCX 或 PDF：{path}",
            "Cannot read the {fmt} file: LibreOffice is not installed (Debian package "
            "libreoffice-writer-nogui); install it, or save the file as DOCX or PDF in Word/WPS: {path}")
    E015 = ("转换 {fmt} 文件超时（{seconds} 秒），文件可能已损坏或过于复杂，请另存为 DOCX 或 PDF：{path}",
            "Converting the {fmt} file timed out after {seconds} s; it may be damaged or too complex. "
            "Save it as DOCX or PDF: {path}")
    E016 = ("LibreOffice 无法转换该 {fmt} 文件，文件可能已损坏，或不是 Word/WPS 文字文档：{path}（{detail}）",
            "LibreOffice could not convert the {fmt} file; it may be damaged or not a Word/WPS text "
            "document: {path} ({detail})")
    E017 = ("该文件是网页（HTML/XML），不是 Word 或 PDF 文档（可能是“另存为网页”后改了扩展名），"
            "请在 Word/WPS 中打开后另存为 DOCX 或 PDF：{path}",
            "The file is a web page (HTML/XML), not a Word or PDF document (perhaps saved as a web "
            "page and renamed); open it in Word/WPS and save it as DOCX or PDF: {path}")
    E018 = ("该文件是 ZIP 压缩包（{kind}），不是 Word 文档（DOCX）：{path}",
            "The file is a ZIP archive ({kind_en}), not a Word document (DOCX): {path}")

    # The web page's own refusals, before any file is read (cpscreen/web.py, with an HTTP status).
    U400 = ("请求中没有文件：请用表单字段“file”上传一个文件",
            "The request has no file: upload one in the form field 'file'")
    U401 = ("上传的表单无法解析（{detail}）", "The upload form could not be parsed ({detail})")
    U402 = ("文档类型“{value}”无效，可选：自动识别、audit_report（审核报告）、work_summary（工作总结）",
            "Invalid document type '{value}'; use auto, audit_report or work_summary")
    U413 = ("上传的文件超过 {limit} MB 的上限，请压缩图片或拆分文件后再上传",
            "The upload is over the {limit} MB limit; compress its images or split it, then upload again")
    U500 = ("处理该文件时服务器内部出错，请稍后重试；如仍出错，请将文件报告给开发者（{detail}）",
            "Internal error while screening this file; try again later, and report the file if it "
            "happens again ({detail})")
    U503 = ("服务器正忙（同时处理的文件已达上限），请稍后再试",
            "The server is busy (too many files in progress); please try again shortly")
    U504 = ("处理超时（超过 {seconds} 秒），已停止。扫描件请减少页数或分批提交",
            "Screening took longer than {seconds} s and was stopped. For a scanned document, "
            "submit fewer pages or split it into parts")

    W001 = ("第 {pages} 页没有文字层（可能是扫描件），未读取", "Page(s) {pages} have no text layer (scanned?) and were not read")
    W002 = ("第 {pages} 页文字编码异常（(cid:…)），未能可靠读取", "Page(s) {pages} give (cid:…) codes and could not be read reliably")
    W003 = ("DOCX 的页码根据分页符推算，可能与 Word 中显示的页码略有出入",
            "DOCX page numbers are counted from page breaks and may differ slightly from Word's")
    W004 = ("文本文件没有页码，全部按第 1 页处理", "A text file has no pages; everything is on page 1")
    W005 = ("第 {pages} 页未能读取文字，这些页上的内容没有计入评分，请人工核对",
            "Page(s) {pages} could not be read; their content is not in the score: check them by hand")
    W006 = ("第 {pages} 页没有可用的文字层（扫描件），已用文字识别（OCR）读取，数字请与原件核对",
            "Page(s) {pages} have no usable text layer (scanned) and were read by OCR; "
            "check the figures against the original")
    W007 = ("未安装文字识别（OCR）组件，扫描页未读取；安装：pip install 'cpscreen[ocr]'",
            "The OCR component is not installed, so scanned pages were not read; "
            "install it with: pip install 'cpscreen[ocr]'")
    W008 = ("第 {pages} 页文字识别（OCR）出错，未读取（{detail}）",
            "OCR failed on page(s) {pages}, which were not read ({detail})")
    W010 = ("PDF 文件的交叉引用表已损坏，已自动修复后读取，请核对内容是否完整",
            "The PDF's cross-reference table is damaged; it was rebuilt and read, "
            "check that nothing is missing")
    W009 = ("本文件为 {fmt} 格式，已用 LibreOffice 转换为 DOCX 后读取，页码按转换后的文件推算",
            "The {fmt} file was converted to DOCX with LibreOffice and read from that; "
            "page numbers are those of the converted file")
    # The OCR page cap (ingest.ocr.DEFAULT_MAX_PAGES, `--ocr-pages N`): the pages it leaves out
    # are listed here and in W005, not in W001/W002.
    W011 = ("本文件有 {total} 页没有可用的文字层（扫描件），按上限只对前 {limit} 页做了文字识别（OCR），"
            "第 {pages} 页未读取；如需全部读取，请在命令行使用 cpscreen check --ocr-pages 0（每页约需 2–4 秒）",
            "{total} pages have no usable text layer (scanned); OCR was limited to the first {limit} "
            "of them, and page(s) {pages} were not read; to read them all, run cpscreen check "
            "--ocr-pages 0 (about 2–4 s a page)")


class ScreenError(Exception):
    """An error a user can act on; `code` is a key of `Errors`."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        zh, en = getattr(Errors, code)
        self.zh = zh.format(**fields)
        self.en = en.format(**fields)
        super().__init__(f"{self.zh} / {self.en}")


def warning_text(code: str, **fields: object) -> str:
    zh, en = getattr(Errors, code)
    return f"{zh.format(**fields)} / {en.format(**fields)}"
