"""`--format html`: one self-contained page for a reviewer or an enterprise, in Chinese.

No scripts, no external assets (the CSS is inline, the fonts are the reader's own), so the
file opens offline and prints as it shows. Autoescape is on for every template: all the text
that comes from a document is escaped; highlighted values are separate segments in the
template, never HTML built in Python. A Content-Security-Policy forbids scripts and
network loads besides, so even a future template mistake could not run a report's text.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import scoresheet as ss


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("cpscreen", "templates"),
                       autoescape=select_autoescape(enabled_extensions=("html", "j2", "html.j2"),
                                                    default_for_string=True, default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


environment = _environment      # the web app (web.py) renders its pages with the same settings


def render_html(result: dict[str, Any], province: str = "guangxi") -> str:
    """The page for one result (the contract's JSON dict)."""
    return _environment().get_template("report.html.j2").render(**report_context(result, province))


def report_context(result: dict[str, Any], province: str = "guangxi") -> dict[str, Any]:
    """What report.html.j2 shows; the web result page (web_result.html.j2) extends that
    template with the same context, so the two never drift apart."""
    meta = ss.rubric_meta(province)
    rows = ss.item_rows(result, meta)
    conflicts = ss.conflict_views(result, meta)
    return {
        "r": result,
        "doc_type_zh": ss.DOC_TYPE_ZH.get(result.get("doc_type") or "", result.get("doc_type") or "未识别"),
        "score": ss.score_numbers(result),
        "rows": rows,
        "total_max": ss.fmt_number(sum(float(r.max or 0) for r in rows)),
        "total_score": ss.fmt_number(sum(float(r.score or 0) for r in rows)),
        "sections": ss.section_rows(result),
        "mentions": ss.mention_views(result, meta),
        "conflicts": conflicts,
        "conflict_width": max([2] + [len(c.statements) for c in conflicts]),
        "cross_conflicts": ss.cross_conflict_views(result, meta),
        "cross_checked": _partners(result),
        "missing": ss.missing_rows(result),
        "table_title": ss.TABLE_TITLE,
        "pass_note": ss.PASS_NOTE,
        "fmt": ss.fmt_number,
    }


def _partners(result: dict) -> str:
    """The documents a batch checked this one against: 工作总结“x.docx”."""
    from .cross_check import partners_text
    return partners_text(result.get("cross_checked") or [])
