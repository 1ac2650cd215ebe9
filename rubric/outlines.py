"""Load the required outlines (附件1, 附件2) from rubric data into extractor specs.

The data is `rubric/data/guangxi/outlines.toml`; this module checks it (the ids the
contract fixes are all there, ids are unique, every parent exists, every stage maps to
real sections) and raises ScreenError E012 with what is wrong, so a reviewer who edits
the file gets a plain message instead of a wrong screening.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from extractors.outline import OutlineTemplate, SectionSpec
from ingest.errors import ScreenError

DATA_DIR = Path(__file__).parent / "data" / "guangxi"
OUTLINES_FILE = "outlines.toml"

# The section ids ../shared/spec/CONTRACT.md fixes; other programs rely on them.
CONTRACT_SECTION_IDS: dict[str, tuple[str, ...]] = {
    "audit_report": ("1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5",
                     "4", "4.1", "4.2", "4.3", "4.4", "4.5", "5", "5.1", "5.2", "5.3",
                     "6", "7", "8", "9"),
    "work_summary": ("1", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "4.4",
                     "5", "5.1", "5.2", "6", "6.1", "6.2", "6.3", "7"),
}


def _bad(path: Path, message: str) -> ScreenError:
    return ScreenError("E012", detail=f"{path.name}: {message}")


def _str_list(value, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(path, f"{where} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _template(name: str, data, path: Path) -> OutlineTemplate:
    if not isinstance(data, dict):
        raise _bad(path, f"[{name}] must be a table")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise _bad(path, f"[{name}] has no [[{name}.sections]]")
    sections: list[SectionSpec] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_sections, 1):
        if not isinstance(raw, dict):
            raise _bad(path, f"{name}.sections[{n}] must be a table")
        sid, title = raw.get("id"), raw.get("title")
        if not isinstance(sid, str) or not sid.strip():
            raise _bad(path, f"{name}.sections[{n}] has no id")
        sid = sid.strip()
        if not isinstance(title, str) or not title.strip():
            raise _bad(path, f"{name} section {sid} has no title")
        if sid in seen:
            raise _bad(path, f"{name} section id {sid} appears twice")
        seen.add(sid)
        where = f"{name} section {sid}"
        parent = raw.get("parent", sid.rsplit(".", 1)[0] if "." in sid else None)
        if parent is not None and not isinstance(parent, str):
            raise _bad(path, f"{where}: parent must be a string")
        sections.append(SectionSpec(
            id=sid, title=title.strip(),
            aliases=_str_list(raw.get("aliases"), path, f"{where}: aliases"),
            keywords=_str_list(raw.get("keywords"), path, f"{where}: keywords"),
            parent=parent or None,
            strong_keywords=_str_list(raw.get("strong_keywords"), path,
                                      f"{where}: strong_keywords"),
        ))
    by_id = {s.id: s for s in sections}
    for s in sections:
        if s.parent is not None and s.parent not in by_id:
            raise _bad(path, f"{name} section {s.id}: parent {s.parent} does not exist")
        # a cycle would make the matcher walk forever
        hops, p = 0, s.parent
        while p is not None:
            hops += 1
            if hops > len(sections):
                raise _bad(path, f"{name} section {s.id}: parents form a cycle")
            p = by_id[p].parent
    missing = [i for i in CONTRACT_SECTION_IDS.get(name, ()) if i not in by_id]
    if missing:
        raise _bad(path, f"{name} lacks the contract's section id(s) {', '.join(missing)}")

    for n, stage in enumerate(data.get("stages") or [], 1):
        if not isinstance(stage, dict) or not isinstance(stage.get("heading"), str):
            raise _bad(path, f"{name}.stages[{n}] needs a heading")
        covers = _str_list(stage.get("covers"), path, f"{name}.stages[{n}].covers")
        if not covers:
            raise _bad(path, f"{name}.stages[{n}] ({stage['heading']}) covers no section")
        names = [stage["heading"].strip(), *_str_list(stage.get("aliases"), path,
                                                      f"{name}.stages[{n}].aliases")]
        as_heading = stage.get("as_heading", False)
        if not isinstance(as_heading, bool):
            raise _bad(path, f"{name}.stages[{n}].as_heading must be true or false")
        for sid in covers:
            if sid not in by_id:
                raise _bad(path, f"{name}.stages[{n}] ({stage['heading']}) covers "
                                 f"unknown section {sid}")
            # as_heading: the chapter is the section's heading (预审核 -> 3); otherwise
            # the chapter holds the section's content (方案实施 -> 4.3, 4.4)
            target = by_id[sid].aliases if as_heading else by_id[sid].stage_aliases
            for stage_name in names:
                if stage_name not in target:
                    target.append(stage_name)

    markers = _str_list(data.get("title_markers"), path, f"{name}.title_markers")
    label = data.get("label_zh", "")
    if not isinstance(label, str):
        raise _bad(path, f"{name}.label_zh must be a string")
    return OutlineTemplate(name=name, label_zh=label, sections=sections, title_markers=markers)


def load_outline_templates(folder: Path | None = None) -> dict[str, OutlineTemplate]:
    """The outline templates by name ("audit_report", "work_summary"), checked."""
    path = Path(folder or DATA_DIR) / OUTLINES_FILE
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise _bad(path, f"file not found ({path})") from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(path, f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise _bad(path, f"cannot be read ({exc})") from None
    templates = {name: _template(name, value, path) for name, value in data.items()}
    for name in CONTRACT_SECTION_IDS:
        if name not in templates:
            raise _bad(path, f"the {name} outline is missing")
    return templates
