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

    W001 = ("第 {pages} 页没有文字层（可能是扫描件），未读取", "Page(s) {pages} have no text layer (scanned?) and were not read")
    W002 = ("第 {pages} 页文字编码异常（(cid:…)），未能可靠读取", "Page(s) {pages} give (cid:…) codes and could not be read reliably")
    W003 = ("DOCX 的页码根据分页符推算，可能与 Word 中显示的页码略有出入",
            "DOCX page numbers are counted from page breaks and may differ slightly from Word's")
    W004 = ("文本文件没有页码，全部按第 1 页处理", "A text file has no pages; everything is on page 1")
    W005 = ("第 {pages} 页未能读取文字，这些页上的内容没有计入评分，请人工核对",
            "Page(s) {pages} could not be read; their content is not in the score: check them by hand")


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
