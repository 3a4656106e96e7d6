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
