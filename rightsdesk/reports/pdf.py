"""What every PDF shares: fonts that cover the scripts of the catalogue, safe markup, page furniture.

Catalogue names come in Chinese, Thai, Arabic, Cyrillic and Latin scripts. No single TrueType
font reportlab can embed covers them all, so text is cut into runs by script and each run is
set in a font that has it (Noto for Latin, Cyrillic, Greek, Thai and Arabic; Droid Sans
Fallback for CJK, since Noto CJK's outlines are CFF, which reportlab cannot embed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle

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


def markup(text: object) -> str:
    """User text as Paragraph markup: escaped, control characters dropped, each script in a
    font that has its glyphs. Never lets `<` or `&` in a name break the document."""
    plain = clean_text(unicodedata.normalize("NFC", "" if text is None else str(text)))
    base = base_font()
    return "".join(escape(run) if font == base else f'<font name="{font}">{escape(run)}</font>'
                   for font, run in _runs(plain, bold=False))


def style(size: float = 8.5, *, bold: bool = False, leading: float | None = None, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(f"rd-{size}-{bold}-{align}", fontName=base_font(bold), fontSize=size,
                          leading=leading or size * 1.25, alignment=align)


def amount(value: Decimal, places: int) -> str:
    """1,234.50 (grouped, to the currency's minor units); negative amounts in brackets as accountants
    write them. Documents are in English, so the grouping is fixed rather than the reader's locale;
    Python's own formatting is exact on Decimal and far cheaper than babel's."""
    text = f"{abs(value):,.{places}f}"
    return f"({text})" if value < 0 else text


def heading(text: object, size: float = 11, *, keep_with_next: bool = True) -> Paragraph:
    """A section heading, kept on the page of what follows it (never alone at a page's foot).
    Over a table that splits, keeping is not needed and would push the whole table on."""
    paragraph_style = style(size, bold=True, leading=size * 1.27)
    paragraph_style.keepWithNext = int(keep_with_next)
    return para(text, paragraph_style)


def para(text: object, paragraph_style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(markup(text), paragraph_style or style())


PAGE = landscape(A4)
MARGIN = 14 * mm
GRID = colors.HexColor("#B8C2CC")
HEADER_BACKGROUND = colors.HexColor("#E4E9EF")


class NumberedCanvas(Canvas):
    """A canvas that knows the page count when it finishes, for 'page N of M' footers, and can
    mark every page (DRAFT)."""
    footer_left = ""
    # Drawn over the finished page, so that text extraction reads the page before the mark.
    watermark = ""

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
            if self.watermark:
                self._draw_watermark()
            super().showPage()
        super().save()

    def _draw_watermark(self) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(base_font(bold=True), 90)
        self.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.12))
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, -30, self.watermark)
        self.restoreState()


def single_font(text: str, bold: bool = False) -> str | None:
    """The one font that can set this text as a plain table cell, or None when it mixes scripts.
    Digits and Latin punctuation count as Latin: Droid Sans Fallback has no glyphs for them."""
    runs = _runs(text.strip(), bold)
    if len(runs) > 1:
        return None
    return runs[0][0] if runs else base_font(bold)


_THAI = "\u0e00-\u0e7f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff"
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff"
# Characters the base (Noto Sans) font lacks; text without any is one run in the base font.
_OTHER_SCRIPTS = re.compile(f"[{_THAI}{_ARABIC}{_CJK}]")
# A run of one script, named as fonts() names them (none: the base font's); the spaces after it stay with it.
_SCRIPT_RUN = re.compile(f"(?P<Thai>(?!\\s)[{_THAI}][{_THAI}\\s]*)|(?P<Arabic>(?!\\s)[{_ARABIC}][{_ARABIC}\\s]*)"
                         f"|(?P<CJK>(?!\\s)[{_CJK}][{_CJK}\\s]*)|(?:\\s|[^{_THAI}{_ARABIC}{_CJK}])+")


@lru_cache(maxsize=16384)
def _runs(text: str, bold: bool) -> tuple[tuple[str, str], ...]:
    """(font, text) runs: each script in a font that has it; spaces stay with the run before.
    Cached: a statement repeats the same titles, media and territories on many lines."""
    if not _OTHER_SCRIPTS.search(text):
        return ((base_font(bold), text),) if text else ()
    available = fonts()
    runs: list[tuple[str, str]] = []
    for match in _SCRIPT_RUN.finditer(text):
        name = available.get(match.lastgroup or "")
        font = (f"{name}-Bold" if bold else name) if name else base_font(bold)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + match.group())
        else:
            runs.append((font, match.group()))
    return tuple(runs)


class Line(Flowable):
    """One line of text in several fonts, drawn run by run: what a Paragraph does for a cell
    that fits on one line, without parsing markup or breaking lines."""

    def __init__(self, runs: list[tuple[str, str]], size: float):
        super().__init__()
        self.runs, self.size = runs, size
        self.text_width = sum(pdfmetrics.stringWidth(text, font, size) for font, text in runs)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.text_width, self.size * 1.25

    def draw(self) -> None:
        x = 0.0
        for font, text in self.runs:
            self.canv.setFont(font, self.size)
            self.canv.drawString(x, self.size * 0.3, text)
            x += pdfmetrics.stringWidth(text, font, self.size)


def cell(text: object, width: float, size: float = 8.5, *, bold: bool = False) -> str | Flowable:
    """A table cell, as cheap as it can be: plain text when it fits on one line in one font, a
    Line when it fits but mixes scripts, a wrapping Paragraph only when it does not fit. Plain
    cells need their font named in the table's style (see cell_fonts)."""
    plain = clean_text(unicodedata.normalize("NFC", "" if text is None else str(text)))
    if "\n" not in plain:
        runs = _runs(plain, bold)
        fits = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs) <= width - 8
        if fits and len(runs) <= 1:
            return plain
        if fits:
            return Line(runs, size)
    return para(plain, style(size, bold=bold))


def cell_fonts(rows: list[list[object]], size: float = 8.5, bold_rows: set[int] = frozenset()) -> list[tuple[object, ...]]:  # type: ignore[assignment]
    """FONT commands for the plain-text cells of a table whose script is not the base font's."""
    commands: list[tuple[object, ...]] = []
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, str) and value:
                font = single_font(value, row_number in bold_rows)
                if font and font != base_font(row_number in bold_rows):
                    commands.append(("FONT", (column, row_number), (column, row_number), font, size))
    return commands


StyleFor = Callable[[list[list[object]], int], list[tuple[object, ...]]]


class LongGrid(Flowable):
    """A table of any length with its header repeated on every page, in time linear in its rows.

    reportlab's LongTable rebuilds everything below a page break at each break, which is
    quadratic: 17 000 rows take minutes. This lays out a piece at a time, a little more than
    the previous page took (at most CHUNK rows), and hands the rest on. `style_for(rows, first)`
    gives the TableStyle commands of a piece whose first data row is number `first` of the
    whole table; its row 0 is the header.
    """

    CHUNK = 200

    def __init__(self, header: list[object], rows: list[list[object]], widths: list[float],
                 style_for: StyleFor, h_align: str = "LEFT") -> None:
        super().__init__()
        self.header, self.rows, self.widths, self.style_for, self.hAlign = header, rows, widths, style_for, h_align
        self.first = 0  # of the whole table's rows
        self.chunk = self.CHUNK
        self._piece: LongTable | None = None

    def _table(self) -> LongTable:
        if self._piece is None:
            chunk = [self.header] + self.rows[: self.chunk]
            self._piece = LongTable(chunk, colWidths=self.widths, repeatRows=1, hAlign=self.hAlign)
            self._piece.setStyle(TableStyle(self.style_for(chunk, self.first)))
        return self._piece

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self._table().wrap(available_width, available_height)
        if len(self.rows) > self.chunk:  # more follows: never claim to fit, so the frame splits us
            height = max(height, available_height + 1)
        return width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        table = self._table()
        table.wrap(available_width, available_height)
        parts = table.split(available_width, available_height)
        if not parts:
            return []
        placed = len(parts[0]._cellvalues) - 1  # rows on this page, less the header
        if placed <= 0:
            return []
        rest = LongGrid(self.header, self.rows[placed:], self.widths, self.style_for, self.hAlign)
        rest.first = self.first + placed
        rest.chunk = min(self.CHUNK, max(placed * 2, 24))
        return [parts[0], rest] if rest.rows else [parts[0]]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 (reportlab's name)
        self._table().drawOn(canvas, x, y, _sW)


def long_table(header: list[object], rows: list[list[object]], widths: list[float], style_for: StyleFor) -> Flowable:
    """A table with its header on every page: reportlab's own LongTable while its splitting is
    cheap (a few pages), a LongGrid beyond."""
    if len(rows) > 3 * LongGrid.CHUNK:
        return LongGrid(header, rows, widths, style_for)
    table = LongTable([header] + rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style_for([header] + rows, 0)))
    return table


Piece = tuple[str, float, float, str]  # font, x in the table, drop below the row's first baseline, text
# Where a line may break: after spaces, and between any two CJK characters (those scripts put no spaces
# between words).
_TOKENS = re.compile(f"\\s*(?:[{_CJK}]|[^\\s{_CJK}]+)|\\s+")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of text as drawn run by run, each script in its font."""
    return sum(stringWidth(part, font, size) for font, part in _runs(text, bold))


def wrap_lines(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Text cut into lines no wider than room: at spaces, between CJK characters, and inside a word
    only when the word alone is wider than the room. Line breaks in the text are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            if not line:
                token = token.lstrip()
            width = text_width(token, size, bold)  # widths add up: each word is measured once
            if line and used + width > room:
                lines.append(line.rstrip())
                token = token.lstrip()
                width = text_width(token, size, bold)
                line, used = "", 0.0
            if width <= room:
                line, used = line + token, used + width
                continue
            for char in token:  # one word wider than the room: cut it by characters
                char_width = text_width(char, size, bold)
                if line and used + char_width > room:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + char, used + char_width
        lines.append(line.rstrip())
    return lines


@lru_cache(maxsize=16384)
def _cell_pieces(text: str, room: float, size: float, right: bool, bold: bool, wrap: bool) -> tuple[Piece, ...]:
    """A cell's text laid out in a room this wide: its pieces, x from the room's left edge.
    Cached: a statement's lines repeat the same titles, media and territories."""
    plain = clean_text(unicodedata.normalize("NFC", text))
    leading = size * 1.25
    lines = [plain] if not wrap or "\n" not in plain and text_width(plain, size, bold) <= room else \
        wrap_lines(plain, size, room, bold)
    pieces: list[Piece] = []
    for number, line in enumerate(lines):
        runs = _runs(line, bold)
        x = room - sum(stringWidth(part, font, size) for font, part in runs) if right else 0.0
        for font, part in runs:
            pieces.append((font, x, number * leading, part))
            x += stringWidth(part, font, size)
    return tuple(pieces)


class Ledger(Flowable):
    """Rows of text drawn straight onto the canvas, the header (if any) again at the top of every page:
    what a statement is made of (thousands of lines). A Table works out each cell's geometry and draws
    it through several layers, and a Paragraph parses markup; here every cell is laid out once, in
    `of()`, as pieces of text at fixed places (lines wrapped by width, each line's scripts in their
    fonts), a row's height is its tallest cell, and a page is one text object."""

    PADDING = 2.0
    INDENT = 6.0

    def __init__(self, header: list[Piece], rows: list[list[Piece]], heights: list[float], widths: list[float], *,
                 size: float, bold_rows: frozenset[int], rules: bool = True) -> None:
        super().__init__()
        self.header, self.rows, self.heights, self.widths, self.size = header, rows, heights, widths, size
        self.bold_rows = bold_rows  # numbers in `rows`
        self.rules = rules
        self.header_height = size * 1.25 + 2 * self.PADDING if header else 0.0
        self.hAlign = "LEFT"

    @classmethod
    def of(cls, header: list[str], texts: list[list[str]], widths: list[float], *, size: float = 8.5,
           right: frozenset[int] = frozenset(), bold_rows: frozenset[int] = frozenset(),
           bold_columns: frozenset[int] = frozenset(), rules: bool = True) -> Ledger:
        """A ledger of these rows under this header (none when empty), a line under each row
        unless `rules` is false."""
        leading = size * 1.25
        rows = [cls._pieces(row, widths, size, right, bold=number in bold_rows, bold_columns=bold_columns)
                for number, row in enumerate(texts)]
        heights = [(max((dy for _, _, dy, _ in row), default=0) + leading) + 2 * cls.PADDING for row in rows]
        header_pieces = cls._pieces(header, widths, size, right, bold=True, wrap=False)
        return cls(header_pieces, rows, heights, widths, size=size, bold_rows=bold_rows, rules=rules)

    @classmethod
    def _pieces(cls, row: list[str], widths: list[float], size: float, right: frozenset[int], *,
                bold: bool, wrap: bool = True, bold_columns: frozenset[int] = frozenset()) -> list[Piece]:
        """A row laid out; the header (wrap=False) keeps each name on its one line."""
        pieces: list[Piece] = []
        left = 0.0
        for column, (text, width) in enumerate(zip(row, widths)):
            cell = _cell_pieces(text, width - 2 * cls.INDENT, size, column in right, bold or column in bold_columns, wrap)
            pieces += [(font, left + cls.INDENT + x, drop, words) for font, x, drop, words in cell]
            left += width
        return pieces

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return sum(self.widths), self.header_height + sum(self.heights)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room, count = available_height - self.header_height, 0
        while count < len(self.rows) and room >= self.heights[count]:
            room -= self.heights[count]
            count += 1
        if count == 0:
            return []
        if count == len(self.rows):
            return [self]
        return [self._part(0, count), self._part(count, len(self.rows))]

    def _part(self, start: int, end: int) -> Ledger:
        return Ledger(self.header, self.rows[start:end], self.heights[start:end], self.widths, size=self.size,
                      bold_rows=frozenset(n - start for n in self.bold_rows if start <= n < end), rules=self.rules)

    def draw(self) -> None:
        canvas, width = self.canv, sum(self.widths)
        top = self.header_height + sum(self.heights)
        if self.header:
            canvas.setFillColor(HEADER_BACKGROUND)
            canvas.rect(0, top - self.header_height, width, self.header_height, stroke=0, fill=1)
            canvas.setLineWidth(0.8)
            canvas.line(0, top - self.header_height, width, top - self.header_height)
            canvas.setFillColor(colors.black)
        text = canvas.beginText()
        font = ""
        row_top = top
        operators = canvas.__dict__.setdefault("_rd_text_operators", {})  # this document's, see _show
        for number, (row, height) in enumerate([(self.header, self.header_height)] + list(zip(self.rows, self.heights))):
            baseline = row_top - self.PADDING - self.size
            for piece_font, x, drop, words in row:
                if piece_font != font:
                    text.setFont(piece_font, self.size)
                    font = piece_font
                text.setTextOrigin(x, baseline - drop)
                _show(text, piece_font, words, operators)
            row_top -= height
            if number and self.rules:  # a line under every row; a bold row (a total) has a heavier one above it
                canvas.setStrokeColor(GRID)
                canvas.setLineWidth(0.25)
                canvas.line(0, row_top, width, row_top)
                if number - 1 in self.bold_rows:
                    canvas.setStrokeColor(colors.black)
                    canvas.setLineWidth(0.8)
                    canvas.line(0, row_top + height, width, row_top + height)
        canvas.drawText(text)


def _show(text: PDFTextObject, font_name: str, words: str, operators: dict[tuple[str, str], list[tuple[int, str]]]) -> None:
    """text.textOut(words), with the PDF operators of each (font, words) worked out once per
    document: a statement shows the same titles, media and territories on hundreds of lines,
    and reportlab would map every character to its font subset and escape it each time. The
    operators are those reportlab writes; the text's position is set before each piece, so
    its cursor need not move."""
    key = (font_name, words)
    found = operators.get(key)
    if found is None:
        font = pdfmetrics.getFont(font_name)
        if not font._dynamicFont:  # a standard font (no TrueType found): reportlab's own way
            text.textOut(words)
            return
        canvas = text._canvas
        found = operators[key] = [(subset, f"({canvas._escape(part)}) Tj")
                                  for subset, part in font.splitString(words, canvas._doc)]
    for subset, operator in found:
        if subset != text._curSubset:
            name = pdfmetrics.getFont(font_name).getSubsetInternalName(subset, text._canvas._doc)
            text._code.append(f"{name} {fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL")
            text._curSubset = subset
        text._code.append(operator)
