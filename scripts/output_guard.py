"""Output guard for work that must not change results (speed work, refactors).

Dumps, for every corpus and held-out sample (and any extra files given), everything the
pipeline derives: the whole Document from `ingest.load` (every block, cell, header, warning),
the headings, the detected type, the outline matched against both outlines, the evidence of
every keyword set, the indicator mentions and conflicts, and the `check --format json` result.
Run it before a change and after, then compare:

    python scripts/output_guard.py dump /tmp/guard_before [--extra FILE ...]
    ... change ...
    python scripts/output_guard.py dump /tmp/guard_after [--extra FILE ...]
    python scripts/output_guard.py compare /tmp/guard_before /tmp/guard_after

`compare` exits 1 and names the files (and the first differing key) when anything differs.
"""
from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = ["corpus/samples", "corpus/heldout/samples", "corpus/heldout2/samples",
               "corpus/heldout3/samples"]


def _default(o):
    if dataclasses.is_dataclass(o):
        return {"__dc__": type(o).__name__, **{f.name: getattr(o, f.name) for f in dataclasses.fields(o)}}
    if isinstance(o, (set, frozenset)):
        return sorted(map(repr, o))
    if isinstance(o, tuple):
        return list(o)
    return repr(o)


def dump_one(path: str) -> dict:
    from cpscreen.pipeline import screen_document
    from cpscreen.result import result_json
    from extractors.evidence import find_evidence
    from extractors.headings import find_headings
    from extractors.outline import detect_doc_type, match_outline
    from ingest import load
    from rubric.province import load_province

    rules = load_province("guangxi")
    doc = load(path, ocr=False)
    headings = find_headings(doc)
    out = {"doc": doc, "headings": headings,
           "doc_type": detect_doc_type(doc, rules.outlines, headings)}
    for kind in rules.outlines:
        out["outline_" + kind] = match_outline(doc, rules.outlines[kind], headings)
    out["evidence"] = find_evidence(doc, rules.items.keyword_sets)
    result = screen_document(load(path, ocr=False))
    out["mentions"] = result.mentions
    out["conflicts"] = result.conflicts
    out["check_json"] = result_json(result)
    return json.loads(json.dumps(out, default=_default, ensure_ascii=False, sort_keys=True))


def files(extra: list[str]) -> list[str]:
    found = []
    for d in SAMPLE_DIRS:
        found += sorted(f for f in glob.glob(str(ROOT / d / "*")) if not f.endswith(".json"))
    return found + list(extra)


def dump(outdir: str, extra: list[str]) -> int:
    os.makedirs(outdir, exist_ok=True)
    for path in files(extra):
        data = dump_one(path)
        name = os.path.basename(path) + ".guard.json"
        Path(outdir, name).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0),
                                      encoding="utf-8")
        print(name)
    return 0


def _first_difference(a, b, where="") -> str:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only on one side"
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{where}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {str(a)[:200]!r} != {str(b)[:200]!r}"


def compare(before: str, after: str) -> int:
    names = sorted(set(os.listdir(before)) | set(os.listdir(after)))
    bad = 0
    for name in names:
        pa, pb = Path(before, name), Path(after, name)
        if not pa.exists() or not pb.exists():
            print(f"MISSING {name}")
            bad += 1
            continue
        if pa.read_bytes() == pb.read_bytes():
            continue
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (pa, pb))
        print(f"DIFFERS {name}: {_first_difference(a, b)}")
        bad += 1
    print(f"{len(names) - bad} of {len(names)} identical")
    return 1 if bad else 0


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_dump = sub.add_parser("dump")
    p_dump.add_argument("outdir")
    p_dump.add_argument("--extra", nargs="*", default=[])
    p_cmp = sub.add_parser("compare")
    p_cmp.add_argument("before")
    p_cmp.add_argument("after")
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        return dump(args.outdir, args.extra)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
