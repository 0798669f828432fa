"""The Chinese font the PDF reports embed (indicators' report, the supervision annual report)."""

from __future__ import annotations

from pathlib import Path

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
