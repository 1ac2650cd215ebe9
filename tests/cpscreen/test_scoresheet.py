"""cpscreen/scoresheet.py: which mentions an evidence sentence marks, and at what cost."""
from __future__ import annotations

import cpscreen.scoresheet as ss


def _mention(key: str, value: float, text: str, page: int = 4) -> dict:
    return {"key": key, "value": value, "unit": "%", "text": text, "page": page}


def _result(mentions: list[dict], evidence: list[dict]) -> dict:
    return {"indicators": mentions, "items": [{"id": "2", "evidence": evidence, "status": "pass"}]}


def _marked(row) -> list[str]:
    return [seg.text for ev in row.evidence for seg in ev.segments if seg.mark]


SENTENCE = "2023年员工清洁生产认知率达到96%，培训覆盖率为100%。"


def test_evidence_marks_the_items_indicator_on_its_page_only():
    mentions = [_mention("staff_awareness_rate", 96, SENTENCE),
                _mention("training_rate", 100, SENTENCE),                  # another item's key
                _mention("staff_awareness_rate", 96, SENTENCE, page=9)]   # another page
    rows = {r.id: r for r in ss.item_rows(_result(mentions, [{"page": 4, "text": SENTENCE}]))}
    assert _marked(rows["2"]) == ["96%"]
    # a sentence that only holds the mention's (white space aside) still counts
    rows = {r.id: r for r in ss.item_rows(_result(mentions[:1], [{"page": 4, "text": "认知率达到 96%"}]))}
    assert _marked(rows["2"]) == ["96%"]


def test_a_long_report_compares_each_evidence_sentence_with_few_mentions(monkeypatch):
    """A DOCX's pages are few and long: 2,000 mentions on one page must not all be compared with
    each evidence sentence (that made one report's HTML and workbook take seconds)."""
    calls = []
    same = ss._same_sentence
    monkeypatch.setattr(ss, "_same_sentence", lambda a, b: calls.append(1) or same(a, b))
    others = [_mention("water_metering_rate", 90 + i % 10, f"第{i}句，水计量率为{90 + i % 10}%。")
              for i in range(2000)]
    mine = [_mention("staff_awareness_rate", 96, SENTENCE)]
    evidence = [{"page": 4, "text": SENTENCE}] * 50
    rows = {r.id: r for r in ss.item_rows(_result(others + mine, evidence))}
    assert _marked(rows["2"]) == ["96%"] * 50
    assert len(calls) == 50                 # one candidate per sentence: the item's own mention
