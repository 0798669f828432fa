"""The Chinese font the PDF reports embed (indicators' report, the supervision annual report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

# CJK fonts from Debian (fonts-wqy-microhei, installed by `make fonts`); ``REPORT_FONT`` may name another.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


class MissingFontError(RuntimeError):
    """No Chinese font is installed, so a PDF cannot show the report's text."""


def chinese_font() -> Path:
    """``settings.REPORT_FONT`` when set, else the first candidate installed; read at each call."""
    for candidate in ([settings.REPORT_FONT] if settings.REPORT_FONT else []) + FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    raise MissingFontError("No CJK font found; install fonts-wqy-microhei (make fonts) or set REPORT_FONT.")


# The faces of the documents the platform issues (core/official.py): Debian's Noto Serif CJK (fonts-noto-cjk,
# installed by `make fonts`) stands in for the 小标宋 of titles (bold) and the 仿宋 of body text (regular).
# Its .ttc files hold the Japanese, Korean, Simplified, Traditional and Hong Kong cuts; index 2 is SC.
SERIF_REGULAR = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SERIF_SC_INDEX = 2


@dataclass(frozen=True)
class Face:
    path: Path
    index: int | None  # the font's number within a .ttc collection

    def fpdf_options(self) -> dict[str, Any]:
        return {"collection_font_number": self.index} if self.index is not None else {}


def _face(path: Path, index: int) -> Face:
    return Face(path, index if path.suffix == ".ttc" else None)


def document_faces() -> tuple[Face, Face]:
    """The (title, body) faces of an official document's PDF: ``settings.REPORT_FONT`` for both when set,
    else Noto Serif CJK SC (bold, regular), else the first Chinese font installed (``chinese_font``)."""
    if not settings.REPORT_FONT and Path(SERIF_REGULAR).exists():
        bold = Path(SERIF_BOLD) if Path(SERIF_BOLD).exists() else Path(SERIF_REGULAR)
        return _face(bold, SERIF_SC_INDEX), _face(Path(SERIF_REGULAR), SERIF_SC_INDEX)
    font = chinese_font()
    return _face(font, 0), _face(font, 0)
