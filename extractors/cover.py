"""The enterprise's name, from the cover or the first lines of the report."""
from __future__ import annotations

import re

from ingest.model import Document, Paragraph, Table

_LABELLED = re.compile(r"(?:企业|单位|公司|建设单位|审核单位|申报单位)名称\s*[:：]?\s*(?P<name>[^\s:：,，。；;]{4,40})")
_NAME = re.compile(r"(?P<name>[\u4e00-\u9fff（）()]{2,36}?(?:股份有限公司|有限责任公司|有限公司|集团公司|总公司|公司|总厂|分厂|厂))")
# Words that end a cover line's name but are not part of it.
_NOT_NAME = ("审核报告", "工作总结", "编制", "咨询", "技术服务", "环保科技", "评审")


def find_enterprise_name(doc: Document, first_blocks: int = 40) -> str | None:
    """The enterprise named on the cover, or None.

    Labelled lines (企业名称：…) win; otherwise the first line on the first pages
    that is a company name on its own. Consultancies that wrote the report are
    named on covers too ("编制单位：某某环保科技有限公司"), so lines labelled as
    the author are skipped.
    """
    candidates: list[str] = []
    for block in doc.blocks[:first_blocks]:
        texts = [block.text] if isinstance(block, Paragraph) else [c.text for c in block.cells()]
        for text in texts:
            if re.search(r"编制|咨询|协助|技术支持|审核机构", text):
                continue
            m = _LABELLED.search(text)
            if m:
                return _trim(m.group("name"))
            m = _NAME.search(text)
            if m and len(text) <= 60:
                candidates.append(_trim(m.group("name")))
    for name in candidates:
        if not any(word in name for word in _NOT_NAME):
            return name
    return candidates[0] if candidates else None


def _trim(name: str) -> str:
    return re.sub(r"^(关于|对)", "", name).strip()
