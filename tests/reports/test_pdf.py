"""What every PDF shares: embedded fonts for every script, and markup that user text cannot break."""

import re
from datetime import date

from reportlab.platypus import SimpleDocTemplate

from rightsdesk.reports import pdf


def build(*texts: str) -> bytes:
    import io

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, invariant=1)
    document.build([pdf.para(text) for text in texts], canvasmaker=pdf.NumberedCanvas)
    return buffer.getvalue()


def test_every_font_is_embedded_and_each_script_has_one():
    content = build("总裁的替身新娘", "เจ้าสาวตัวแทน", "عروس بديلة", "Подменная невеста", "La novia sustituta")
    fonts = re.findall(rb"/BaseFont /([A-Za-z+-]+)", content)
    assert fonts and all(b"+" in name for name in fonts)  # subset-embedded, no bare Helvetica
    names = b" ".join(fonts)
    for family in (b"NotoSans-Regular", b"NotoSansThai", b"NotoSansArabic", b"DroidSansFallback"):
        assert family in names


def test_markup_in_user_text_is_text():
    assert pdf.markup("Tom & Jerry <b>") == "Tom &amp; Jerry &lt;b&gt;"
    assert pdf.markup("bell\x07 and nul\x00") == "bell and nul"
    assert build("<para>", "A & B", "x" * 300, str(date.today())).startswith(b"%PDF")


def _drawn(flowable, width=480):
    """What a flowable shows: each string with its font, size and place, and the fill colour."""
    import io

    canvas = pdf.NumberedCanvas(io.BytesIO())
    canvas.setFont(pdf.base_font(), 8)
    flowable.wrap(width, 800)
    start = len(canvas._code)
    flowable.drawOn(canvas, 10, 100)
    code = " ".join(canvas._code[start:])
    # the last place and font set before the strings shown, and the strings (shown one after the other)
    places = re.findall(r"1 0 0 1 ([\d.]+) ([\d.]+) Tm", code)
    fonts = re.findall(r"(/\S+ [\d.]+) Tf", code)
    strings = "".join(re.findall(r"\((.*?)\) Tj", code))
    return places[-1:], fonts[-1:], strings, re.findall(r"[\d.]+ [\d.]+ [\d.]+ rg", code), flowable.wrap(width, 800)


def test_a_line_of_text_is_drawn_where_and_as_a_paragraph_draws_it():
    """Headings and short lines are OneLines, not Paragraphs (a Paragraph parses markup and
    breaks lines): the same strings in the same fonts at the same places, the same height."""
    for text, style in (("Summary", pdf.style(11, bold=True, leading=11 * 1.27)),
                        ("Royalty statement", pdf.style(15, bold=True, leading=19)),
                        ("Rates of the day · 2026 — Müller & <Söhne>", pdf.style(8))):
        line = pdf.para(text, style, room=480)
        assert isinstance(line, pdf.OneLine)
        drawn = _drawn(line)
        assert drawn[2] and drawn == _drawn(pdf.Paragraph(pdf.markup(text), style))


def test_text_a_paragraph_would_set_otherwise_stays_a_paragraph():
    style = pdf.style(8)
    for text in ("two  spaces", " leading", "line\nbreak", "x" * 200, "总裁的替身新娘", "เจ้าสาว"):
        assert not isinstance(pdf.para(text, style, room=480), pdf.OneLine), text
    assert not isinstance(pdf.para("Summary", style), pdf.OneLine)  # no room given: as before


def test_a_style_in_another_font_stays_a_paragraph():
    from reportlab.lib.styles import ParagraphStyle

    courier = ParagraphStyle("courier", fontName="Courier", fontSize=8, leading=10)
    assert not isinstance(pdf.para("Summary", courier, room=480), pdf.OneLine)
