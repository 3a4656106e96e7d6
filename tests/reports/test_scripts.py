"""Text in PDFs is never lost (issue 17): names in every script the catalogue holds, printed on a
statement and a licensing report, read back in reading order, in an embedded font that has them.

Read back with pdftotext's default (layout) mode, which puts right-to-left lines in reading order.
Arabic comes back in the presentation forms its joined glyphs stand for (ﻟﻘﺎ for لقا), the same
words once NFKC-normalised; the Unicode bidi marks poppler puts round a right-to-left run are dropped.
"""

import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from rightsdesk.persistence.models import Party, Statement
from rightsdesk.reports import pdf
from rightsdesk.services import licensing_reports as licensing
from rightsdesk.reports.document import report_pdf
from rightsdesk.reports.statement_pdf import statement_pdf
from rightsdesk.services import statement_documents, statements

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="poppler-utils (pdftotext) is not installed")

# One name per script the catalogue holds; Devanagari too, as fonts-noto-core has it.
NAMES = {
    "Latin": "Crème brûlée à São Paulo",
    "Vietnamese": "Tiểu thư nhà giàu",
    "Cyrillic": "Подменная невеста",
    "Thai": "น้ำใจ ผู้ที่ใฝ่ฝัน",  # tone marks above vowels above and below
    "Arabic": "الحب في القاهرة",
    "Hebrew": "אהבה בתל אביב",
    "Korean": "사랑의 불시착",
    "Chinese": "总裁的替身新娘",
    "Japanese": "花より男子 ハナダン",
    "Devanagari": "प्रेम की कहानी",
}
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def read(content: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(BIDI_MARKS.sub("", text).split())


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def embedded_fonts(content: bytes) -> set[str]:
    names = re.findall(rb"/BaseFont /([A-Z]{6}\+[A-Za-z0-9-]+)", content)
    return {name.decode().split("+")[1] for name in names}


def assert_every_name_is_there(content: bytes, tmp_path) -> None:
    shown = normal(read(content, tmp_path))
    for script, name in NAMES.items():
        assert normal(name) in shown, (script, name)
    # left-to-right scripts read back exactly, letter for letter, even in drawing order (-raw): Thai's tone
    # marks and Devanagari's reordered vowel sign through ActualText, Korean from its own font
    raw = read(content, tmp_path, "-raw")
    for script in ("Latin", "Vietnamese", "Cyrillic", "Thai", "Korean", "Chinese", "Japanese", "Devanagari"):
        assert NAMES[script] in raw, (script, raw)
    # Arabic is drawn joined: its letters come back as the contextual forms (initial, medial, final)
    arabic = read(content, tmp_path)
    assert re.search("[\ufe70-\ufeff\ufb50-\ufdff]", arabic)
    fonts = embedded_fonts(content)
    for family in ("NanumGothic", "NotoSansThai", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari",
                   "DroidSansFallback", "NotoSans-Regular"):
        assert any(name.startswith(family) for name in fonts), (family, fonts)


@pytest.fixture
def q3(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB"),
                                                ("2026-08", "US", "T000001", "15000.00", "USD")], "q3.csv")
    with database.transaction() as session:
        return statements.run(session, "2026-Q3", user="ana").statements[0]


def test_a_statement_prints_names_in_every_script(database, q3, tmp_path):
    with database.transaction() as session:
        party = session.get(Party, session.get(Statement, q3).participant_id)
        party.name = NAMES["Korean"] + " Productions"  # on the facts, in the footer of every page
    with database.read() as session:
        document = statement_documents.load_document(session, q3)
    receipts = [line for line in document.lines if line.kind.value == "gross_receipts"]
    # detail lines titled in every script (the Ledger path); the notes and letterhead too (Paragraph and canvas)
    document.lines = [replace(receipts[0], title=name) for name in NAMES.values()] + document.lines
    document.notes = f"{NAMES['Arabic']} · {NAMES['Thai']} · {NAMES['Hebrew']}"
    document.letterhead = replace(document.letterhead, name=NAMES["Arabic"] + " Media")
    content = statement_pdf(document, generated=date(2026, 11, 25))
    assert_every_name_is_there(content, tmp_path)
    shown = normal(read(content, tmp_path))
    assert f"{NAMES['Korean']} Productions" in shown and shown.count(NAMES["Korean"]) >= 3  # facts, line, footer


def test_a_licensing_report_prints_names_in_every_script(database, worked, tmp_path):
    from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
    from rightsdesk.services import catalogue

    with database.transaction() as session:
        for name in NAMES.values():
            catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(1, "", 60)]), user="ana")
        session.query(Party).update({"name": NAMES["Hebrew"]})  # the producer column
    with database.read() as session:
        report = licensing.build("catalogue", {}, session, date(2026, 11, 25))
    report.facts.append(("Asked by", f"{NAMES['Arabic']} ({NAMES['Korean']})"))  # a facts cell (Line), a heading
    report.title = f"Catalogue — {NAMES['Thai']}"
    content = report_pdf(report, generated=date(2026, 11, 25))
    assert_every_name_is_there(content, tmp_path)


def test_right_to_left_lines_are_in_visual_order():
    """The pieces of a line, left to right on the page: Hebrew's letters reversed by HarfBuzz, Arabic's
    words right to left, brackets kept round what they held (rule N0), Latin and Korean as they are."""
    hebrew, width = pdf._line("שלום עולם", 10, False)
    assert [str(drawn) for _, _, drawn, _ in hebrew] == ["םלוע םולש"] and width > 0
    pieces, _ = pdf._line("Name: אבג (2024) in Cairo", 10, False)
    assert "".join(str(drawn) for _, _, drawn, _ in pieces) == "Name: (2024) גבא in Cairo"
    latin, _ = pdf._line("사랑의 불시착 (Crash Landing)", 10, False)
    assert [drawn for _, _, drawn, _ in latin] == ["사랑의 불시착 ", "(Crash Landing)"]
    assert [actual for _, _, _, actual in latin] == [None, None]  # the fast path: not shaped


def test_a_long_thai_word_is_never_cut_between_a_letter_and_its_marks():
    lines = pdf.wrap_lines("น้ำใจผู้ที่ใฝ่ฝัน" * 6, 9, 40)
    assert len(lines) > 1
    for line in lines:
        assert not unicodedata.category(line[0]).startswith("M"), line


def test_a_sentence_of_ours_reads_left_to_right_whatever_name_it_starts_with():
    name_first = "אבג Media · Royalty statement 7"
    alone, _ = pdf._line(name_first, 8, False)  # a name by itself: Hebrew first, so right to left
    assert "".join(str(drawn) for _, _, drawn, _ in alone) == "Media · Royalty statement 7 גבא"
    ours, _ = pdf._line(name_first, 8, False, 0)  # the footer: the name keeps its place at the start
    assert "".join(str(drawn) for _, _, drawn, _ in ours) == "גבא Media · Royalty statement 7"


def test_a_name_quoted_in_a_footer_keeps_what_follows_it_in_place():
    footer = f"Participant {pdf.in_sentence('אבג')} · 2026-Q3"
    pieces, _ = pdf._line(footer, 8, False, 0)
    assert "".join(str(drawn) for _, _, drawn, _ in pieces) == "Participant גבא · 2026-Q3"  # the mark draws nothing


def test_a_shaped_paragraph_longer_than_a_page_runs_on_to_the_next(tmp_path):
    import io

    from reportlab.platypus import SimpleDocTemplate

    words = [f"{NAMES['Arabic']} {number}" for number in range(400)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=1).build([pdf.para(" · ".join(words), pdf.style(11))],
                                                 canvasmaker=pdf.NumberedCanvas)
    shown = normal(read(buffer.getvalue(), tmp_path))
    assert "Page 2 of 2" in shown and shown.count("القاهرة") == 400  # every line, on both pages
    assert {int(number) for number in re.findall(r"\d+", shown)} >= set(range(0, 400, 7))


def test_each_line_of_a_wrapped_paragraph_keeps_the_paragraphs_direction():
    paragraph = "שלום Crash Landing, אהבה"
    line = pdf.wrap_lines(paragraph, 10, 75)[1]
    assert line == "Landing, אהבה"  # a line that starts with a Latin word...
    alone, _ = pdf._line(line, 10, False)
    assert alone[0][2] == "Landing, "  # (as a line of its own it would read left to right)
    pieces, _ = pdf._line(line, 10, False, pdf.paragraph_direction(paragraph))
    assert [str(piece[2]) for piece in pieces] == ["הבהא", " ,", "Landing"]  # ...is laid out right to left
