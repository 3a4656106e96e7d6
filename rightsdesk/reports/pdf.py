"""What every PDF shares: fonts that cover the scripts of the catalogue, safe markup, page furniture.

Catalogue names come in Chinese, Thai, Arabic, Cyrillic and Latin scripts. No single TrueType
font reportlab can embed covers them all, so text is cut into runs by script and each run is
set in a font that has it (Noto for Latin, Cyrillic, Greek, Thai and Arabic; Droid Sans
Fallback for CJK, since Noto CJK's outlines are CFF, which reportlab cannot embed).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from rightsdesk.reports.excel import clean_text

_FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/droid"),
              Path(__file__).resolve().parents[2] / "resources" / "fonts"]
# font name -> (regular file, bold file)
_FONTS = {
    "Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Thai": ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    "Arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "CJK": ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"),
}
FALLBACK = "Helvetica"


def _find(file: str) -> Path | None:
    return next((d / file for d in _FONT_DIRS if (d / file).exists()), None)


@cache
def fonts() -> dict[str, str]:
    """Register the fonts found on this machine; script -> regular font name."""
    found = {}
    for name, (regular, bold) in _FONTS.items():
        regular_path, bold_path = _find(regular), _find(bold)
        if regular_path is None:
            continue
        pdfmetrics.registerFont(TTFont(f"RD-{name}", str(regular_path)))
        pdfmetrics.registerFont(TTFont(f"RD-{name}-Bold", str(bold_path or regular_path)))
        pdfmetrics.registerFontFamily(f"RD-{name}", normal=f"RD-{name}", bold=f"RD-{name}-Bold",
                                      italic=f"RD-{name}", boldItalic=f"RD-{name}-Bold")
        found[name] = f"RD-{name}"
    return found


def base_font(bold: bool = False) -> str:
    name = fonts().get("Sans")
    if name is None:
        return "Helvetica-Bold" if bold else FALLBACK
    return f"{name}-Bold" if bold else name


def _script(char: str) -> str:
    code = ord(char)
    if 0x0E00 <= code <= 0x0E7F:
        return "Thai"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "Arabic"
    if (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FFFF):
        return "CJK"
    return "Sans"


def markup(text: object) -> str:
    """User text as Paragraph markup: escaped, control characters dropped, each script in a
    font that has its glyphs. Never lets `<` or `&` in a name break the document."""
    plain = clean_text(unicodedata.normalize("NFC", "" if text is None else str(text)))
    available = fonts()
    runs: list[tuple[str, str]] = []
    for char in plain:
        script = _script(char) if not char.isspace() and unicodedata.category(char) != "Zs" else (runs[-1][0] if runs else "Sans")
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + char)
        else:
            runs.append((script, char))
    parts = []
    for script, run in runs:
        if script == "Sans" or script not in available:
            parts.append(escape(run))
        else:
            parts.append(f'<font name="{available[script]}">{escape(run)}</font>')
    return "".join(parts)


def style(size: float = 8.5, *, bold: bool = False, leading: float | None = None, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(f"rd-{size}-{bold}-{align}", fontName=base_font(bold), fontSize=size,
                          leading=leading or size * 1.25, alignment=align)


def para(text: object, paragraph_style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(markup(text), paragraph_style or style())


PAGE = landscape(A4)
MARGIN = 14 * mm
GRID = colors.HexColor("#B8C2CC")
HEADER_BACKGROUND = colors.HexColor("#E4E9EF")


class NumberedCanvas(Canvas):
    """A canvas that knows the page count when it finishes, for 'page N of M' footers."""

    footer_left = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Pages start in an embedded font: reportlab's default, Helvetica, is never embedded.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or base_font()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            width, _ = self._pagesize
            self.setFont(base_font(), 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, 8 * mm, self.footer_left)
            self.drawRightString(width - MARGIN, 8 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()
