"""What every PDF shares: fonts that cover the scripts of the catalogue, safe markup, page furniture.

Catalogue names come in Latin (Vietnamese too), Cyrillic, Greek, Chinese, Japanese, Korean, Thai,
Arabic, Hebrew and Devanagari. No single TrueType font reportlab can embed covers them all, so text
is cut into runs by script and each run is set in a font that has it (Noto for Latin, Cyrillic,
Greek, Thai, Arabic, Hebrew and Devanagari; Nanum Gothic for Hangul; Droid Sans Fallback for
Chinese and Japanese, since Noto CJK's outlines are CFF, which reportlab cannot embed).

Scripts whose letters change shape or place with their neighbours (Thai, Arabic, Hebrew,
Devanagari: `SHAPED`) are shaped by HarfBuzz (uharfbuzz, through reportlab's own shapeStr), run
by run; a line holding right-to-left letters is put in visual order by the Unicode bidi
algorithm (python-bidi) first. Latin, Cyrillic and CJK lines take the fast path as before: no
shaping, no bidi. Such text is never given to a Paragraph (reportlab's bidi needs rlbidi): para()
and cell() hand it to `Text` and `Line`, which draw the same laid-out pieces as the Ledger.
"""

from __future__ import annotations

import copy
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
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, ShapedStr, TTFont, makeToUnicodeCMap, shapeStr
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LongTable, PageTemplate, Paragraph, SimpleDocTemplate, TableStyle
from reportlab.platypus.doctemplate import _doNothing as _do_nothing

from bidi import algorithm as bidi_algorithm
from bidi.mirror import MIRRORED

from rightsdesk.reports.xml_text import clean_text

_FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/droid"),
              Path("/usr/share/fonts/truetype/nanum"),
              Path(__file__).resolve().parents[2] / "resources" / "fonts"]
# font name -> (regular file, bold file)
_FONTS = {
    "Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Thai": ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    "Arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "Hebrew": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    "Devanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    # Droid Sans Fallback has 3 of the 11 172 Hangul syllables: Korean names need a font of their own.
    "Korean": ("NanumGothic.ttf", "NanumGothicBold.ttf"),
    "CJK": ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"),
}
FALLBACK = "Helvetica"


class _Formatted(pdfdoc.PDFObject):
    """A PDF object written as bytes formatted once: it holds no reference to another object,
    so the same bytes are right in any document."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: object) -> bytes:
        return self.data


class EmbeddedFont(TTFont):
    """reportlab's TrueType font, embedded as subsets the same way, whose subsets' font programs,
    widths and character maps are made once per process and reused by every document that uses
    the same subset (the same characters in the same order): a period's statements mostly do.

    Making them was a third of a statement's PDF time: cutting the font program out of the
    font file, compressing it, and writing 256 widths one number at a time, for every document.
    The bytes written are reportlab's own (TTFont.addObjects), only not worked out again."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._made: dict[tuple[str, tuple[int, ...], bool], tuple[bytes, bytes, bytes]] = {}

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:  # noqa: N802 (reportlab's name)
        if not isinstance(doc.encrypt, pdfdoc.NoEncryption):  # encrypted streams differ per document
            super().addObjects(doc)
            return
        state = self.state.get(doc)
        if state is None:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        face = self.face
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            base_name = b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            widths, character_map, program = self._parts(doc, base_name, subset)
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {number}"
            font.Name, font.BaseFont = internal_name, base_name
            font.FirstChar, font.LastChar = 0, len(subset) - 1
            font.Widths = _Formatted(widths)
            font.ToUnicode = doc.Reference(_Formatted(character_map), "toUnicodeCMap:" + base_name)
            flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC  # as reportlab marks a subset
            font.FontDescriptor = doc.Reference(pdfdoc.PDFDictionary({
                "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight,
                "Descent": face.descent, "Flags": flags, "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(base_name), "ItalicAngle": face.italicAngle, "StemV": face.stemV,
                "FontFile2": doc.Reference(_Formatted(program), f"fontFile:{face.filename}({base_name})"),
                "MissingWidth": face.defaultWidth}), "fontDescriptor:" + base_name)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]

    def _parts(self, doc: pdfdoc.PDFDocument, base_name: str,
               subset: list[int]) -> tuple[bytes, bytes, bytes]:
        """A subset's widths, character map and font program as PDF bytes (compressed as the
        document compresses). Each document wraps them in objects of its own: reportlab names an
        object once, for one document."""
        key = (base_name, tuple(subset), bool(doc.compression))
        made = self._made.get(key)
        if made is None:
            if len(self._made) > 256:  # a long run of documents each with its own characters
                self._made.clear()
            face = self.face
            widths = pdfdoc.format(pdfdoc.PDFArray([face.getCharWidth(c) for c in subset]), doc)
            character_map = pdfdoc.PDFStream()
            character_map.content = makeToUnicodeCMap(base_name, subset)
            program = pdfdoc.PDFStream()
            program.content = face.makeSubset(subset)
            program.dictionary["Length1"] = len(program.content)
            if doc.compression:
                character_map.filters = program.filters = [pdfdoc.PDFZCompress]
            made = self._made[key] = (widths, character_map.format(doc), program.format(doc))
        return made


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
        pdfmetrics.registerFont(EmbeddedFont(f"RD-{name}", str(regular_path)))
        pdfmetrics.registerFont(EmbeddedFont(f"RD-{name}-Bold", str(bold_path or regular_path)))
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


@lru_cache(maxsize=64)
def _heading_style(size: float, keep_with_next: bool) -> ParagraphStyle:
    paragraph_style = style(size, bold=True, leading=size * 1.27)
    paragraph_style.keepWithNext = int(keep_with_next)
    return paragraph_style


def heading(text: object, size: float = 11, *, keep_with_next: bool = True, room: float | None = None) -> Flowable:
    """A section heading, kept on the page of what follows it (never alone at a page's foot).
    Over a table that splits, keeping is not needed and would push the whole table on.
    `room`: as for para."""
    return para(text, _heading_style(size, keep_with_next), room=room)


def para(text: object, paragraph_style: ParagraphStyle | None = None, *, room: float | None = None) -> Flowable:
    """User text as a paragraph: a Paragraph, or a Text when it needs shaping or bidi. Given
    the `room` it will have (the frame's width less its paddings, in points), text that fits
    on one line is a OneLine: drawn as the Paragraph would draw it, at a fraction of the cost."""
    plain = clean_text(unicodedata.normalize("NFC", "" if text is None else str(text)))
    paragraph_style = paragraph_style or style()
    if _COMPLEX.search(plain):
        return Text(plain, paragraph_style)
    if room is not None and OneLine.fits(plain, paragraph_style, room):
        return OneLine(plain, paragraph_style)
    return Paragraph(markup(plain), paragraph_style)


PAGE = landscape(A4)
MARGIN = 14 * mm
GRID = colors.HexColor("#B8C2CC")
HEADER_BACKGROUND = colors.HexColor("#E4E9EF")


class _Frame(Frame):
    """A frame copied cheaply. Platypus deep-copies the frame each time it measures what is kept
    together (a heading with what follows it, a KeepTogether): a few times a page, each a walk
    through copy.deepcopy over some twenty numbers and names. Those are shared, the lists and
    dictionaries (its backgrounds) still deep-copied."""

    def __deepcopy__(self, memo: dict[int, object]) -> _Frame:
        copied = copy.copy(self)
        for name, value in self.__dict__.items():
            if isinstance(value, list | dict):
                copied.__dict__[name] = copy.deepcopy(value, memo)
        return copied


class DocTemplate(SimpleDocTemplate):
    """reportlab's SimpleDocTemplate (one frame a page, the first page's and the others' own
    page callbacks) whose frame is a _Frame."""

    def build(self, flowables: list[Flowable], onFirstPage: Callable = _do_nothing,  # noqa: N803 (reportlab's names)
              onLaterPages: Callable = _do_nothing, canvasmaker: type[Canvas] = Canvas) -> None:
        self._calc()
        frame = _Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="normal")
        self.addPageTemplates([PageTemplate(id="First", frames=frame, onPage=onFirstPage, pagesize=self.pagesize),
                               PageTemplate(id="Later", frames=frame, onPage=onLaterPages, pagesize=self.pagesize)])
        if onFirstPage is _do_nothing and hasattr(self, "onFirstPage"):
            self.pageTemplates[0].beforeDrawPage = self.onFirstPage
        if onLaterPages is _do_nothing and hasattr(self, "onLaterPages"):
            self.pageTemplates[1].beforeDrawPage = self.onLaterPages
        BaseDocTemplate.build(self, flowables, canvasmaker=canvasmaker)


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
            draw_string(self, MARGIN, 8 * mm, self.footer_left, 7.5, ltr=True)  # names a party: any script
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
    if len(runs) > 1 or _COMPLEX.search(text):  # shaped text is never a plain cell (see cell)
        return None
    return runs[0][0] if runs else base_font(bold)


_THAI = "\u0e00-\u0e7f"
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f"
_DEVANAGARI = "\u0900-\u097f\ua8e0-\ua8ff"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff"
_CJK = "\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff"
# script -> its characters, in the order runs are matched; the name is the fonts() key
_SCRIPTS = {"Thai": _THAI, "Arabic": _ARABIC, "Hebrew": _HEBREW, "Devanagari": _DEVANAGARI, "Korean": _HANGUL,
            "CJK": _CJK}
_ALL = "".join(_SCRIPTS.values())
# Characters the base (Noto Sans) font lacks; text without any is one run in the base font.
_OTHER_SCRIPTS = re.compile(f"[{_ALL}]")
# A run of one script, named as fonts() names them (none: the base font's); the spaces after it stay with it.
_SCRIPT_RUN = re.compile("|".join(f"(?P<{name}>(?!\\s)[{chars}][{chars}\\s]*)" for name, chars in _SCRIPTS.items())
                         + f"|(?:\\s|[^{_ALL}])+")
# Scripts that need shaping (letters joined, reordered, marks placed) and those written right to left:
# a line with none of these is drawn as it is, the fast path.
SHAPED = frozenset({"Thai", "Arabic", "Hebrew", "Devanagari"})
_COMPLEX = re.compile(f"[{_THAI}{_ARABIC}{_HEBREW}{_DEVANAGARI}]")
# Right-to-left letters (and explicit bidi controls, which clean_text mostly drops) start the bidi algorithm.
_RTL = re.compile(f"[{_ARABIC}{_HEBREW}\u07c0-\u07ff\u0800-\u089f\u200f\u202b\u202e\u2067]")


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


@cache
def _shaped_fonts() -> frozenset[str]:
    """The registered fonts whose runs HarfBuzz shapes (regular and bold)."""
    found = fonts()
    return frozenset(f"{found[name]}{bold}" for name in SHAPED if name in found for bold in ("", "-Bold"))


def _levels(text: str, base: int | None = None) -> list[int]:
    """Each character's bidi embedding level (odd: right to left), the paragraph's direction taken
    from its first strong letter unless `base` says (rules P2-P3, X1-I2 of UAX #9, by python-bidi). Characters the
    algorithm sets aside (rule X9: joiners, embedding controls) take the level of the one before."""
    storage = bidi_algorithm.get_empty_storage()
    base = bidi_algorithm.get_base_level(text) if base is None else base
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    kept = [n for n, char in enumerate(text) if unicodedata.bidirectional(char) not in bidi_algorithm.X9_REMOVED]
    bidi_algorithm.get_embedding_levels("".join(text[n] for n in kept), storage)
    bidi_algorithm.explicit_embed_and_overrides(storage, False)
    bidi_algorithm.resolve_weak_types(storage, False)
    _resolve_brackets(storage["chars"])
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    levels = [base] * len(text)
    for n, char in zip(kept, storage["chars"]):
        levels[n] = char["level"]
    for n in range(1, len(text)):
        if n not in kept:
            levels[n] = levels[n - 1]
    return levels


_BRACKETS = {"(": ")", "[": "]", "{": "}", "\u00ab": "\u00bb", "\u2039": "\u203a", "\uff08": "\uff09", "\uff3b": "\uff3d",
             "\u300c": "\u300d", "\u300e": "\u300f", "\u3010": "\u3011"}
_CLOSING = {close: open_ for open_, close in _BRACKETS.items()}


def _resolve_brackets(chars: list[dict]) -> None:
    """Rule N0 of UAX #9 (paired brackets), which python-bidi's levels API predates: "Name: الحب (2024)"
    keeps its brackets round 2024 instead of one of them jumping to the Arabic. Works on the line as
    one isolating run sequence (the text has no explicit embeddings: clean_text drops them)."""
    pairs, stack = [], []
    for number, char in enumerate(chars):
        if char["ch"] in _BRACKETS and char["type"] == "ON":
            stack.append((char["ch"], number))
        elif char["ch"] in _CLOSING and char["type"] == "ON":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == _CLOSING[char["ch"]]:
                    pairs.append((stack[depth][1], number))
                    del stack[depth:]
                    break
    strong = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}
    for opening, closing in sorted(pairs):
        embedding = "R" if chars[opening]["level"] % 2 else "L"
        inside = {strong.get(char["type"]) for char in chars[opening + 1:closing]} - {None}
        if not inside:
            continue
        if embedding in inside:
            direction = embedding
        else:  # only the other direction inside: the brackets take it if the text before them has it too
            direction = next((strong[c["type"]] for c in reversed(chars[:opening]) if c["type"] in strong), embedding)
        chars[opening]["type"] = chars[closing]["type"] = direction


def _shape(text: str, font: str, size: float) -> tuple[str, float]:
    """A run shaped by HarfBuzz (reportlab's shapeStr: its glyphs, in visual order for a right-to-left
    script, with their offsets, which reportlab's text objects draw) and its width."""
    if not pdfmetrics.getFont(font).shapable:  # uharfbuzz missing (a bundle without it): drawn as written
        return text, stringWidth(text, font, size)
    drawn = shapeStr(text, font, size, force=True)
    data = getattr(drawn, "__shapeData__", None)
    if data is None:
        return text, stringWidth(text, font, size)
    return drawn, sum(glyph.x_advance for glyph in data) * size / 1000


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def paragraph_direction(text: str) -> int | None:
    """The direction of a paragraph (0 left to right, 1 right to left) from its first strong letter,
    for each of its lines once wrapped: a line of an Arabic note that starts with a Latin word is
    still laid out right to left. None when it has no right-to-left letter (nothing to decide)."""
    return bidi_algorithm.get_base_level(text) if _RTL.search(text) else None


def in_sentence(name: str) -> str:
    """A name to quote in a sentence of ours (a footer): a right-to-left name is closed by a
    left-to-right mark, so that what follows it ("· 2026-Q3") is not drawn into it."""
    return f"{name}\u200e" if _RTL.search(name) else name


LinePiece = tuple[str, float, str, str | None]  # font, x from the line's left, text as drawn, text as read (or None)


@lru_cache(maxsize=65536)
def _line(text: str, size: float, bold: bool, base: int | None = None) -> tuple[tuple[LinePiece, ...], float]:
    """One line laid out left to right: its pieces and its width.

    A line of Latin, Cyrillic, CJK or Korean only is its script runs as they are (the fast path).
    Otherwise the line's characters get their bidi levels (only when it holds right-to-left
    letters), are cut into pieces of one level and one font, the pieces reordered by rule L2,
    each piece in a shaped script shaped by HarfBuzz (which also puts a right-to-left run's glyphs
    in visual order) and any other right-to-left piece reversed with its brackets mirrored.
    The line's direction is its first strong letter's (a name in Arabic reads as one), or `base`
    (0: left to right, for a sentence of ours that quotes a name).
    A left-to-right shaped piece (Thai, Devanagari) carries its text as read, for the PDF's
    ActualText: its glyphs (a tone mark moved, a vowel drawn before its consonant) do not spell it."""
    runs = _runs(text, bold)
    if not _COMPLEX.search(text):
        pieces: list[LinePiece] = []
        x = 0.0
        for font, part in runs:
            pieces.append((font, x, part, None))
            x += stringWidth(part, font, size)
        return tuple(pieces), x
    levels = _levels(text, base) if _RTL.search(text) else None
    segments: list[list] = []  # [level, font, text] in reading order
    at = 0
    for font, part in runs:
        if levels is None:
            segments.append([0, font, part])
        else:
            for offset, char in enumerate(part):
                if char in _BIDI_CONTROLS:  # they have done their work on the levels; no glyph
                    continue
                level = levels[at + offset]
                if segments and segments[-1][0] == level and segments[-1][1] == font:
                    segments[-1][2] += char
                else:
                    segments.append([level, font, char])
        at += len(part)
    odd = [level for level, _, _ in segments if level % 2]
    if odd:  # rule L2: from the highest level to the lowest odd one, reverse every sequence at that level or above
        for level in range(max(level for level, _, _ in segments), min(odd) - 1, -1):
            start = 0
            while start < len(segments):
                if segments[start][0] < level:
                    start += 1
                    continue
                end = start
                while end < len(segments) and segments[end][0] >= level:
                    end += 1
                segments[start:end] = segments[start:end][::-1]
                start = end
    shaped = _shaped_fonts()
    pieces = []
    x = 0.0
    for level, font, part in segments:
        actual = None
        if font in shaped:
            drawn, width = _shape(part, font, size)
            if not level % 2 and drawn != part:
                actual = part
        else:
            drawn = "".join(MIRRORED.get(char, char) for char in reversed(part)) if level % 2 else part
            width = stringWidth(drawn, font, size)
        pieces.append((font, x, drawn, actual))
        x += width
    return tuple(pieces), x


def _draw_line(text: PDFTextObject, pieces: tuple[LinePiece, ...], left: float, baseline: float, size: float) -> None:
    """A laid-out line's pieces shown in a text object, its left end at (left, baseline)."""
    operators = text._canvas.__dict__.setdefault("_rd_text_operators", {})  # this document's, see _show
    for font, x, drawn, actual in pieces:
        if font != text._fontname or size != text._fontsize:
            text.setFont(font, size)
        text.setTextOrigin(left + x, baseline)
        _show(text, font, drawn, operators, actual)


def draw_string(canvas: Canvas, x: float, y: float, value: object, size: float, *, bold: bool = False,
                right: bool = False, ltr: bool = False) -> None:
    """canvas.drawString for user text (a party's or company's name in a footer or letterhead):
    each script in its font, shaped and in bidi order. `right`: x is where the text ends; `ltr`:
    an English sentence, left to right whatever script it starts with."""
    plain = clean_text(unicodedata.normalize("NFC", "" if value is None else str(value)))
    pieces, width = _line(plain, size, bold, 0 if ltr else None)
    text = canvas.beginText()
    _draw_line(text, pieces, x - width if right else x, y, size)
    canvas.drawText(text)


class Line(Flowable):
    """One line of text in several fonts, drawn piece by piece: what a Paragraph does for a cell
    that fits on one line, without parsing markup or breaking lines."""

    def __init__(self, text: str, size: float, bold: bool = False):
        super().__init__()
        self.size = size
        self.pieces, self.text_width = _line(text, size, bold)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.text_width, self.size * 1.25

    def draw(self) -> None:
        text = self.canv.beginText()
        _draw_line(text, self.pieces, 0.0, self.size * 0.3, self.size)
        self.canv.drawText(text)


class OneLine(Flowable):
    """Text that fits on one line, left-aligned, set where a Paragraph of the same style sets its
    first line (the baseline a font size below the top of a line as high as the leading) in
    the same fonts and colour: what a Paragraph costs is parsing markup, breaking lines and
    laying out fragments, for a heading. Only for text fits() accepts."""

    def __init__(self, text: str, paragraph_style: ParagraphStyle) -> None:
        super().__init__()
        self.style, self.size, self.leading = paragraph_style, paragraph_style.fontSize, paragraph_style.leading
        self.pieces, _ = _line(text, self.size, _is_bold(paragraph_style))
        self.keepWithNext = getattr(paragraph_style, "keepWithNext", 0)
        self.spaceBefore = getattr(paragraph_style, "spaceBefore", 0)
        self.spaceAfter = getattr(paragraph_style, "spaceAfter", 0)

    @staticmethod
    def fits(text: str, paragraph_style: ParagraphStyle, room: float) -> bool:
        """Whether a Paragraph would set this text on one line as it is written: in the base
        font (regular or bold), text of its scripts only (markup() sets other scripts' runs in
        their regular weight), left-aligned, no indents, border or background, single spaces
        only (a Paragraph collapses spaces) and narrower than the room."""
        return (bool(text) and text == " ".join(text.split()) and paragraph_style.alignment == 0
                and paragraph_style.fontName == base_font(_is_bold(paragraph_style))
                and not (paragraph_style.leftIndent or paragraph_style.rightIndent or paragraph_style.firstLineIndent
                         or paragraph_style.backColor or paragraph_style.borderWidth)
                and paragraph_style.textColor == colors.black and not _OTHER_SCRIPTS.search(text)
                and text_width(text, paragraph_style.fontSize, _is_bold(paragraph_style)) < room)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, self.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(colors.black)
        text = canvas.beginText()
        _draw_line(text, self.pieces, 0.0, self.height - self.size, self.size)
        canvas.drawText(text)


def _is_bold(paragraph_style: ParagraphStyle) -> bool:
    return paragraph_style.fontName.endswith("-Bold") or paragraph_style.fontName == "Helvetica-Bold"


class Text(Flowable):
    """A paragraph of text that needs shaping or bidi (Thai, Arabic, Hebrew, Devanagari), in place of
    a Paragraph: wrapped by wrap_lines, each line laid out and drawn as the Ledger draws its cells.
    Follows its ParagraphStyle's size, leading, alignment, bold and keep-with-next."""

    def __init__(self, text: str, paragraph_style: ParagraphStyle, lines: list[str] | None = None):
        super().__init__()
        self.text, self.style = text, paragraph_style
        self.size, self.leading = paragraph_style.fontSize, paragraph_style.leading
        self.bold = paragraph_style.fontName.endswith("-Bold") or paragraph_style.fontName == "Helvetica-Bold"
        self.keepWithNext = getattr(paragraph_style, "keepWithNext", 0)
        self.spaceBefore = getattr(paragraph_style, "spaceBefore", 0)
        self.spaceAfter = getattr(paragraph_style, "spaceAfter", 0)
        self.lines, self._wrapped_at = lines, None if lines is None else -1.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped_at not in (-1.0, available_width):
            self.lines = None
        if self.lines is None:
            self.lines = wrap_lines(self.text, self.size, available_width, self.bold) or [""]
            self._wrapped_at = available_width
        self.width, self.height = available_width, len(self.lines) * self.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        return [Text(self.text, self.style, self.lines[:fit]), Text(self.text, self.style, self.lines[fit:])]

    def draw(self) -> None:
        text = self.canv.beginText()
        base = paragraph_direction(self.text)
        for number, line in enumerate(self.lines or ()):
            pieces, width = _line(line, self.size, self.bold, base)
            room = self.width - width
            left = room if self.style.alignment == 2 else room / 2 if self.style.alignment == 1 else 0.0
            _draw_line(text, pieces, left, self.height - number * self.leading - self.size, self.size)
        self.canv.drawText(text)


def cell(text: object, width: float, size: float = 8.5, *, bold: bool = False) -> str | Flowable:
    """A table cell, as cheap as it can be: plain text when it fits on one line in one font, a
    Line when it fits but mixes scripts, a wrapping Paragraph only when it does not fit. Plain
    cells need their font named in the table's style (see cell_fonts)."""
    plain = clean_text(unicodedata.normalize("NFC", "" if text is None else str(text)))
    if "\n" not in plain:
        runs = _runs(plain, bold)
        fits = text_width(plain, size, bold) <= width - 8
        if fits and len(runs) <= 1 and not _COMPLEX.search(plain):
            return plain
        if fits:
            return Line(plain, size, bold)
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


# font, x in the table, drop below the row's first baseline, text as drawn, as read (see _line)
Piece = tuple[str, float, float, str, str | None]
# Where a line may break: after spaces, and between any two CJK characters (those scripts put no spaces
# between words).
_TOKENS = re.compile(f"\\s*(?:[{_CJK}]|[^\\s{_CJK}]+)|\\s+")


# A letter with the marks that sit on it (Thai tone marks and vowels above or below, Arabic harakat,
# Devanagari matras): a word cut to fit is never cut between them.
_CLUSTERS = re.compile("(?s).[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
                       "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0e31\u0e34-\u0e3a"
                       "\u0e47-\u0e4e\u200c\u200d\ufe00-\ufe0f]*")


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of text as drawn run by run, each script in its font, shaped where it needs it.
    Cached: wrapping a cell measures each word, and a period's statements repeat their words."""
    if not _COMPLEX.search(text):
        return sum(stringWidth(part, font, size) for font, part in _runs(text, bold))
    return _line(text, size, bold)[1]


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
            for char in _CLUSTERS.findall(token):  # one word wider than the room: cut it between letters
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
    if "\n" not in plain and not _OTHER_SCRIPTS.search(plain):  # one run in the base font (what _line makes of it)
        width = text_width(plain, size, bold)
        if not wrap or width <= room:
            return ((base_font(bold), room - width if right else 0.0, 0.0, plain, None),) if plain else ()
    leading = size * 1.25
    lines = [plain] if not wrap or "\n" not in plain and text_width(plain, size, bold) <= room else \
        wrap_lines(plain, size, room, bold)
    pieces: list[Piece] = []
    base = paragraph_direction(plain) if len(lines) > 1 else None
    for number, line in enumerate(lines):
        laid, width = _line(line, size, bold, base)
        x = room - width if right else 0.0
        pieces += [(font, x + dx, number * leading, drawn, actual) for font, dx, drawn, actual in laid]
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
        heights = [(max((piece[2] for piece in row), default=0) + leading) + 2 * cls.PADDING for row in rows]
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
            pieces += [(font, left + cls.INDENT + x, drop, words, actual) for font, x, drop, words, actual in cell]
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
        assert canvas.bottomup, "text origins below are written for a bottom-up canvas"
        code = text._code
        font = ""
        stroke: tuple[colors.Color, float] | None = None  # the rules' colour and width as last set here
        row_top = top
        operators = canvas.__dict__.setdefault("_rd_text_operators", {})  # this document's, see _show
        for number, (row, height) in enumerate([(self.header, self.header_height)] + list(zip(self.rows, self.heights))):
            baseline = row_top - self.PADDING - self.size
            for piece_font, x, drop, words, actual in row:
                if piece_font != font:
                    text.setFont(piece_font, self.size)
                    font = piece_font
                y = baseline - drop
                code.append(f"1 0 0 1 {fp_str(x, y)} Tm")  # text.setTextOrigin(x, y), without its checks
                text._x0 = text._x = x
                text._y0 = text._y = y
                _show(text, piece_font, words, operators, actual)
            row_top -= height
            if number and self.rules:  # a line under every row; a bold row (a total) has a heavier one above it
                stroke = _stroke(canvas, stroke, GRID, 0.25)
                canvas.line(0, row_top, width, row_top)
                if number - 1 in self.bold_rows:
                    stroke = _stroke(canvas, stroke, colors.black, 0.8)
                    canvas.line(0, row_top + height, width, row_top + height)
        canvas.drawText(text)


def _stroke(canvas: Canvas, current: tuple[colors.Color, float] | None, colour: colors.Color,
            width: float) -> tuple[colors.Color, float]:
    """The canvas's stroke set to this colour and width, unless it is already (rules of a
    table are drawn row after row, nearly all alike)."""
    if current is None or current[0] is not colour:
        canvas.setStrokeColor(colour)
    if current is None or current[1] != width:
        canvas.setLineWidth(width)
    return colour, width


def _show(text: PDFTextObject, font_name: str, words: str, operators: dict[tuple[str, str], list[tuple[int, str]]],
          actual: str | None = None) -> None:
    """text.textOut(words), with the PDF operators of each (font, words) worked out once per
    document: a statement shows the same titles, media and territories on hundreds of lines,
    and reportlab would map every character to its font subset and escape it each time. The
    operators are those reportlab writes; the text's position is set before each piece, so
    its cursor need not move.

    Shaped words (a ShapedStr: glyphs with HarfBuzz's offsets) are drawn by reportlab's text
    object, which places each glyph; `actual` (the words as read, when the glyphs do not spell
    them) goes round them as a marked-content span's ActualText, which text extraction and
    screen readers take instead of the glyphs."""
    if actual is not None:
        text._code.append(f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC")
    if isinstance(words, ShapedStr):
        # reportlab writes the glyphs with their offsets; its operators kept for the document, as
        # _show_plain does, from a known font state (the subset named first) so they fit any state
        key = (font_name, text._fontsize, words, id(words))
        found = operators.get(key)
        if found is None:
            text._curSubset = -1
            found = operators[key] = (text._formatText(words), text._curSubset, words)  # words: keeps id() unique
        text._code.append(found[0])
        text._curSubset = found[1]
    else:
        _show_plain(text, font_name, words, operators)
    if actual is not None:
        text._code.append("EMC")


@lru_cache(maxsize=65536)
def _ascii_operators(font_name: str, words: str) -> list[tuple[int, str]] | None:
    """The operators of words that every document sets alike, or None. A TrueType font's ASCII
    letters sit at their own codes in its first subset, whatever else a document holds
    (reportlab's asciiReadable), so titles, media codes and amounts need not be mapped
    character by character in each document again."""
    if not words or not words.isascii():
        return None
    font = pdfmetrics.getFont(font_name)
    if not (font._dynamicFont and font._asciiReadable):
        return None
    if not _ascii_with_glyphs(font_name).issuperset(words):
        return None
    return [(0, f"({escapePDF(words.encode('ascii'))}) Tj")]


@cache
def _ascii_with_glyphs(font_name: str) -> frozenset[str]:
    """The printable ASCII characters the font has glyphs for."""
    glyphs = pdfmetrics.getFont(font_name).face.charToGlyph
    return frozenset(chr(code) for code in range(32, 128) if code in glyphs)


def _show_plain(text: PDFTextObject, font_name: str, words: str,
                operators: dict[tuple[str, str], list[tuple[int, str]]]) -> None:
    key = (font_name, words)
    found = operators.get(key) or _ascii_operators(font_name, words)
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
            # the subset's name in this document, asked of reportlab once (it looks the document up
            # in a weak dictionary, and names the font in the document the first time)
            name = operators.get(("subset", font_name, subset))  # type: ignore[call-overload]
            if name is None:
                name = pdfmetrics.getFont(font_name).getSubsetInternalName(subset, text._canvas._doc)
                operators[("subset", font_name, subset)] = name  # type: ignore[index]
            text._code.append(f"{name} {fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL")
            text._curSubset = subset
        text._code.append(operator)
