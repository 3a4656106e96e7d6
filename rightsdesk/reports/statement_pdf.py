"""A royalty statement as a PDF a finance department would sign: letterhead, the waterfall, the
balances carried, detail by title, media and territory, the FX rates used, page N of M, and a
DRAFT mark until the statement is issued."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.reports import pdf
from rightsdesk.reports.pdf import amount
from rightsdesk.services.statement_documents import DetailLine, StatementDocument

PAGE = A4
MARGIN = 16 * mm
TOP = 34 * mm  # room for the letterhead drawn on every page
STEPS = {"Net receipts", "Payable", "Paid"}
DETAIL_KINDS = {StatementLineKind.GROSS_RECEIPTS}  # receipts get their own detail tables
# Steps whose line says no more than the summary does.
SELF_EVIDENT = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID}


def statement_pdf(document: StatementDocument, *, generated: date | None = None) -> bytes:
    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                                 bottomMargin=MARGIN + 6, title=f"Royalty statement {document.number or 'DRAFT'}",
                                 author=document.letterhead.name, invariant=1)
    currency = document.currency

    def money(value: Decimal) -> str:
        return amount(value, document.minor_units)  # plain text, right-aligned by the table

    heading = pdf.style(15, bold=True, leading=19)
    label = pdf.style(8, bold=True)
    story: list[object] = [pdf.para("Royalty statement", heading), Spacer(1, 4)]
    facts = [
        ("Participant", document.participant), ("Deal", document.deal_reference),
        ("Period", f"{document.period} ({document.period_start} to {document.period_end})"),
        ("Currency", currency), ("Statement no.", document.number or "DRAFT — not issued"),
        ("Issue date", str(document.issued_on) if document.issued_on else "—"),
    ]
    if document.participant_address:
        facts.insert(1, ("Address", document.participant_address))
    if document.participant_tax_residence:
        facts.insert(2, ("Tax residence", document.participant_tax_residence))
    value_width = PAGE[0] - 2 * MARGIN - 34 * mm
    story.append(_grid([[pdf.para(k, label), pdf.cell(v, value_width)] for k, v in facts], [34 * mm, None], lines=False))
    story += [Spacer(1, 8), pdf.heading("Summary")]
    summary = [[pdf.para("Step", label), pdf.para(f"Amount ({currency})", pdf.style(8, bold=True, align=TA_RIGHT))]]
    summary += [[name, money(value)] for name, value in document.summary]  # our own words: plain
    story.append(KeepTogether(_grid(summary, [None, 45 * mm], header=True, right=[1], bold_rows=[
        n for n, (name, _) in enumerate(document.summary, start=1) if name in STEPS])))
    # Each step as the waterfall worked it out: fee rates, the tier split, MG payments, reserves.
    steps = [line for line in document.lines if line.kind not in DETAIL_KINDS | SELF_EVIDENT]
    if steps:
        story += [Spacer(1, 8), pdf.heading("How it was worked out", keep_with_next=False)]
        widths = [PAGE[0] - 2 * MARGIN - 45 * mm, 45 * mm]
        header = ["Step", f"Amount ({currency})"]
        texts = [[line.description + (f" ({line.title})" if line.title else ""), money(line.amount)] for line in steps]
        ledger = pdf.Ledger.of(header, texts, widths, right=frozenset({1}))
        if ledger is not None:
            story.append(ledger)
        else:  # a title mixing scripts must wrap: a table lays it out as a paragraph
            rows = [[pdf.para(h, label) for h in header]] + [[pdf.cell(t, widths[0]), a] for t, a in texts]
            story.append(_grid(rows, widths, header=True, right=[1], long=True))
    if document.balances:
        story += [Spacer(1, 8), pdf.heading("Balances carried", keep_with_next=False)]
        rows = [[pdf.para("Balance", label), pdf.para("Opening", pdf.style(8, bold=True, align=TA_RIGHT)),
                 pdf.para("Closing", pdf.style(8, bold=True, align=TA_RIGHT))]]
        rows += [[pdf.cell(name, PAGE[0] - 2 * MARGIN - 70 * mm), money(opening), money(closing)]
                 for name, opening, closing in document.balances]
        # a balance per title when titles stand alone: long enough to run over a page
        story.append(_grid(rows, [None, 35 * mm, 35 * mm], header=True, right=[1, 2], long=True))
    receipts = [line for line in document.lines if line.kind in DETAIL_KINDS]
    for heading, detail in (("Detail by title, media and territory", [l for l in receipts if not l.late]),
                            ("Revenue of earlier periods", [l for l in receipts if l.late])):
        if detail:
            story += [Spacer(1, 8), pdf.heading(heading, keep_with_next=False)]
            story.append(_detail(detail, currency, money))
    if document.fx:
        story += [Spacer(1, 8), pdf.heading("Exchange rates used"), pdf.para(document.fx_rule, pdf.style(8)), Spacer(1, 3)]
        rows = [[pdf.para(h, label) for h in ("From", "To", "Rate", "Rate of")]]
        rows += [[pdf.para(f.source_currency), pdf.para(currency), pdf.para(f"{f.rate.normalize():f}"), pdf.para(str(f.rate_date))]
                 for f in document.fx]
        story.append(KeepTogether(_grid(rows, [25 * mm, 25 * mm, 40 * mm, None], header=True)))
    if document.notes:
        story += [Spacer(1, 8), pdf.heading("Notes"), pdf.para(document.notes)]

    letterhead = document.letterhead
    logo = Path(letterhead.logo) if letterhead.logo and Path(letterhead.logo).is_file() else None
    # An issued statement's PDF is the same bytes whenever it is exported again: no "generated" day.
    when = f"issued {document.issued_on}" if document.issued_on and not document.is_draft else \
        f"generated {generated or date.today()}"
    footer = (f"{letterhead.name} · Royalty statement {document.number or 'DRAFT'} · {document.participant} · "
              f"{document.period} · {when}")

    def page(canvas: Canvas, _document: object) -> None:
        _letterhead(canvas, letterhead.name, letterhead.address, logo)

    canvas_class = type("StatementCanvas", (pdf.NumberedCanvas,),
                        {"footer_left": footer, "watermark": "DRAFT" if document.is_draft else ""})
    template.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=canvas_class)
    return buffer.getvalue()


def _detail(detail: list[DetailLine], currency: str, money: Callable[[Decimal], str]) -> Flowable:
    """Receipts by title, media and territory, with what a converted line said and its rate."""
    widths = [56 * mm, 63 * mm, 17 * mm, 17 * mm, 25 * mm]
    header = ["Title", "Description", "Media", "Territory", f"Amount ({currency})"]
    texts = [[line.title, line.description + (f" · {line.conversion}" if line.conversion else ""), line.media,
              line.territory, money(line.amount)] for line in detail]
    texts.append(["Total", "", "", "", money(sum((line.amount for line in detail), Decimal(0)))])
    ledger = pdf.Ledger.of(header, texts, widths, right=frozenset({4}), bold_rows=frozenset({len(texts) - 1}))
    if ledger is not None:
        return ledger
    # a name mixing scripts, or a long description, must wrap: a table lays it out as a paragraph
    rows = [[pdf.para(h, pdf.style(8, bold=True, align=TA_RIGHT if n == 4 else 0)) for n, h in enumerate(header)]]
    rows += [[pdf.cell(text, width) for text, width in zip(row, widths)] for row in texts]
    return _grid(rows, widths, header=True, long=True, bold_rows=[len(rows) - 1], right=[4])


def _grid(rows: list[list[object]], widths: list[float | None], *, header: bool = False, lines: bool = True,
          long: bool = False, bold_rows: list[int] = (), right: list[int] = ()) -> Flowable:  # type: ignore[assignment]
    # Cells given as plain strings take the table's font, reportlab's unembedded Helvetica by default.
    base: list[tuple[object, ...]] = [("FONT", (0, 0), (-1, -1), pdf.base_font(), 8.5),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if lines:
        base += [("LINEBELOW", (0, 0), (-1, -1), 0.25, pdf.GRID)]
    if header:
        base += [("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_BACKGROUND), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
    base += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in right]

    def style_for(piece: list[list[object]], first: int) -> list[tuple[object, ...]]:
        """Commands for rows[first:] (a piece of a long grid, under the header) or the whole grid (first 0)."""
        shift = first if long else 0
        bold = {row - shift for row in bold_rows if 1 <= row - shift < len(piece)}  # never the header
        commands = list(base)
        for row in bold:
            commands += [("LINEABOVE", (0, row), (-1, row), 0.8, colors.black),
                         ("FONT", (0, row), (-1, row), pdf.base_font(bold=True), 8.5)]
        return commands + pdf.cell_fonts(piece, bold_rows=bold)

    if long and header:
        return pdf.long_table(rows[0], rows[1:], widths, style_for)  # type: ignore[arg-type]
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(style_for(rows, 0)))
    return table


def _letterhead(canvas: Canvas, name: str, address: str, logo: Path | None) -> None:
    width, height = PAGE
    canvas.saveState()
    top = height - 12 * mm
    canvas.setFillColor(colors.HexColor("#1F3A5F"))
    canvas.setFont(pdf.base_font(bold=True), 13)
    canvas.drawString(MARGIN, top - 4, name)
    canvas.setFont(pdf.base_font(), 8)
    canvas.setFillColor(colors.HexColor("#444444"))
    for number, line in enumerate(address.splitlines()[:3]):
        canvas.drawString(MARGIN, top - 16 - number * 10, line)
    if logo is not None:
        canvas.drawImage(str(logo), width - MARGIN - 30 * mm, top - 16 * mm, 30 * mm, 16 * mm,
                         preserveAspectRatio=True, anchor="ne", mask="auto")
    canvas.setStrokeColor(colors.HexColor("#1F3A5F"))
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, height - TOP + 8 * mm, width - MARGIN, height - TOP + 8 * mm)
    canvas.restoreState()
