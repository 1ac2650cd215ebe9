"""Load and check the indicator data (rubric/data/<province>/indicators.toml) and build the
extractor's IndicatorSpecs from it.

The data is checked before any report is read: every contract key is present with a kind
and a unit, no name means two indicators, every pattern compiles. Bad data is the rubric
maintainer's error and stops the run with E012, never a wrong score.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from extractors.indicators import IndicatorSpec
from ingest.errors import ScreenError

DATA_DIR = Path(__file__).parent / "data" / "guangxi"

# The keys ../shared/spec/CONTRACT.md fixes.
CONTRACT_NUMERIC = (
    "staff_awareness_rate", "material_metering_rate", "main_material_utilization_rate",
    "energy_metering_rate", "water_metering_rate", "unit_energy_consumption", "unit_fresh_water",
    "cp_investment_ratio", "rd_investment_ratio", "wastewater_reuse_rate",
    "solid_waste_utilization_rate", "facility_operation_rate", "waste_gas_compliance_rate",
    "wastewater_compliance_rate", "solid_waste_disposal_rate", "noise_compliance_rate",
    "low_cost_implementation_rate", "high_cost_implementation_rate",
)
CONTRACT_FLAGS = ("wastewater_zero_discharge", "solid_waste_zero_discharge", "waste_gas_utilization",
                  "iso14001", "noise_compliant")
CONTRACT_KEYS = CONTRACT_NUMERIC + CONTRACT_FLAGS
KINDS = ("rate", "quantity", "flag")


def _bad(detail: str) -> ScreenError:
    return ScreenError("E012", detail=f"indicators.toml: {detail}")


def _str_list(entry: dict, field: str, where: str) -> list[str]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise _bad(f"{where}: '{field}' must be a list of non-empty strings")
    return [x.strip() for x in value]


def load_indicator_specs(folder: Path | None = None) -> list[IndicatorSpec]:
    """The indicator specs of a province's rubric data (default: Guangxi)."""
    path = Path(folder or DATA_DIR) / "indicators.toml"
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise _bad(f"file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _bad(f"not valid TOML: {exc}") from None
    entries = data.get("indicator")
    if not isinstance(entries, list) or not entries:
        raise _bad("no [[indicator]] entries")
    blockers = _str_list(data.get("not_indicators", {}) or {}, "terms", "[not_indicators]")
    specs: list[IndicatorSpec] = []
    owner: dict[str, str] = {}   # every name -> the key it means
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _bad(f"indicator #{i + 1} is not a table")
        key = e.get("key")
        where = f"indicator '{key}'" if key else f"indicator #{i + 1}"
        for f in ("key", "name", "kind", "unit", "item"):
            if not isinstance(e.get(f), str) or not e[f].strip():
                raise _bad(f"{where}: missing '{f}'")
        if e["kind"] not in KINDS:
            raise _bad(f"{where}: kind must be one of {', '.join(KINDS)}, not '{e['kind']}'")
        if any(s.key == key for s in specs):
            raise _bad(f"{where}: key listed twice")
        if key in CONTRACT_FLAGS and e["kind"] != "flag" or key in CONTRACT_NUMERIC and e["kind"] == "flag":
            raise _bad(f"{where}: kind '{e['kind']}' does not match the contract")
        aliases = _str_list(e, "aliases", where)
        if len(set(aliases)) != len(aliases):
            dup = sorted({a for a in aliases if aliases.count(a) > 1})
            raise _bad(f"{where}: alias listed twice: {', '.join(dup)}")
        if e["kind"] != "flag" and not aliases:
            raise _bad(f"{where}: no aliases")
        spec = IndicatorSpec(
            key=key, name=e["name"], aliases=aliases, kind=e["kind"], unit=e["unit"], item=str(e["item"]),
            subjects=_str_list(e, "subjects", where), heads=_str_list(e, "heads", where),
            yes=_str_list(e, "yes", where), partial=_str_list(e, "partial", where), no=_str_list(e, "no", where),
            schemes=_str_list(e, "schemes", where), blockers=list(blockers),
            patterns=_str_list(e, "patterns", where), share_of=_str_list(e, "share_of", where),
            share_base=_str_list(e, "share_base", where), dated=bool(e.get("dated", True)))
        if e["kind"] == "flag" and not spec.yes:
            raise _bad(f"{where}: a flag needs 'yes' patterns")
        if spec.share_of and not spec.share_base:
            raise _bad(f"{where}: 'share_of' needs 'share_base'")
        for field in ("yes", "partial", "no", "patterns", "share_of", "share_base"):
            for p in getattr(spec, field):
                try:
                    re.compile(p)
                except re.error as exc:
                    raise _bad(f"{where}: pattern {p!r} in '{field}' does not compile: {exc}") from None
        for a in aliases:
            if a in owner and owner[a] != key:
                raise _bad(f"alias '{a}' is given to both '{owner[a]}' and '{key}'")
            owner[a] = key
        specs.append(spec)
    by_key = {s.key: s for s in specs}
    missing = [k for k in CONTRACT_KEYS if k not in by_key]
    if missing:
        raise _bad(f"contract keys missing: {', '.join(missing)}")
    for j, e in enumerate(data.get("joint", []) or []):
        where = f"[[joint]] #{j + 1}"
        keys = _str_list(e, "keys", where)
        names = _str_list(e, "aliases", where)
        if len(keys) < 2 or any(k not in by_key for k in keys):
            raise _bad(f"{where}: 'keys' must name two or more known indicators")
        for a in names:
            if a in owner:
                raise _bad(f"joint alias '{a}' is already an alias of '{owner[a]}'")
            for k in keys:
                by_key[k].shared_aliases.append(a)
    taken = set(owner) | {a for s in specs for a in s.shared_aliases}
    clash = [b for b in blockers if b in taken]
    if clash:
        raise _bad(f"[not_indicators] lists indicator names: {', '.join(clash)}")
    return specs
