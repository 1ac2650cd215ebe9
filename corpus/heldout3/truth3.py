"""Truth for the third held-out set: the first held-out set's builder, with its own marker.

`corpus.heldout.truth_ext.build_heldout` (column tables, ambiguous phrasings, the per-mille
lint, the conflict check over table cells) is reused as it is; only the `held_out` note
differs, so that a truth file says which held-out set it belongs to.
"""
from __future__ import annotations

from ..heldout.truth_ext import build_heldout

HELD_OUT3_NOTE = ("held out (third set, corpus/heldout3): written blind, without reading "
                  "extractors/, rubric/ (except the thresholds in items.toml), tests/extractors/ "
                  "or the earlier held-out sets' documents, and before cpscreen was run; do not "
                  "tune the tool against it")


def build_heldout3(spec, file_name: str, fmt: str):
    truth, places = build_heldout(spec, file_name, fmt)
    truth["held_out"] = HELD_OUT3_NOTE
    return truth, places
