"""An independent reading of the plan's original text (``seed/workplan-2018.txt``): its groups, measures,
their lead and responsible units, and the three requirements of §III. The tests compare the seed file
with it, so a typo in the seed cannot hide."""

from __future__ import annotations

import re
from pathlib import Path

DOCUMENT = Path(__file__).resolve().parent.parent / "seed" / "workplan-2018.txt"
CHINESE_NUMERALS = "一二三四五六七"


def _undouble(title: str) -> str:
    """The PDF extraction writes each run of a bold heading four times (``加快加快加快加快“互联网互联网…``);
    keep one copy of each run."""
    return re.sub(r"(.+?)\1\1\1", r"\1", title)


def compact_text() -> str:
    """The document with page numbers, page breaks and all whitespace removed."""
    text = DOCUMENT.read_text(encoding="utf-8")
    text = re.sub(r"—\s*\d+\s*—", "", text)
    return re.sub(r"\s+", "", text)


def _units(text: str) -> list[str]:
    return [unit for unit in text.split("、") if unit]


def read_plan() -> dict:
    """``{"groups": [...], "measures": [...], "requirements": [...]}`` as the document says them."""
    text = compact_text()
    body = text[text.index("二、主要举措"):text.index("三、组织实施")]
    section_three = text[text.index("三、组织实施") + len("三、组织实施"):]
    groups, measures = [], []
    heading = re.compile(r"（+([一二三四五六七])+）+(.+?)(?=\d+[．.])")
    for number, match in enumerate(heading.finditer(body), 1):
        groups.append({"number": number, "title": _undouble(match.group(2))})
    measure = re.compile(r"(\d+)[．.]+(.+?)。+(.+?)（牵头单位：(.+?)(?:，责任单位：(.+?))?）")
    starts = {m.start(): n for n, m in enumerate(heading.finditer(body), 1)}
    for match in measure.finditer(body):
        group = max(n for start, n in starts.items() if start < match.start())
        measures.append({
            "number": int(match.group(1)),
            "group": group,
            "title": _undouble(match.group(2)),
            "text": match.group(3),
            "lead": _units(match.group(4)),
            "responsible": _units(match.group(5) or ""),
        })
    requirements = []
    requirement = re.compile(r"（+([一二三])+）+(.+?)。+(.+?)(?=（+[一二三]+）+|$)")
    for number, match in enumerate(requirement.finditer(section_three), 1):
        requirements.append({"number": number, "title": _undouble(match.group(2)), "text": match.group(3)})
    return {"groups": groups, "measures": measures, "requirements": requirements}
