"""A licensing report's two renderings: a landscape PDF for partners and a workbook for whoever
wants to filter and sort it.

Every licensing report is described as a `Report` (services/report_layout.py, built by
services/licensing_reports.py from what it reads), so that each looks the same, handles hostile
text the same way and gets both formats from one description.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from rightsdesk.reports import excel, pdf
from rightsdesk.reports.statement_workbook import number_format
from rightsdesk.domain.words import plural
from rightsdesk.services.report_layout import Column, Report, Table

__all__ = ["Column", "Report", "Table", "report_pdf", "report_workbook", "shown"]


GROUP_BACKGROUND = colors.HexColor("#F1F4F7")


def shown(value: Any, column: Column) -> str:
    """A value as the PDF prints it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column.kind == "amount" and isinstance(value, Decimal | int | float):
        return pdf.amount(Decimal(value), column.places)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def report_pdf(report: Report, *, generated: date | None = None, company: str = "RightsDesk") -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=pdf.PAGE, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                 topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN + 4, title=report.title,
                                 author=company, invariant=1)
    width = pdf.PAGE[0] - 2 * pdf.MARGIN
    story: list[Any] = [pdf.para(report.title, pdf.style(16, bold=True, leading=20)),
                        pdf.para(report.asked, pdf.style(9, leading=12)), Spacer(1, 6)]
    if report.facts:
        label = pdf.style(8.5, bold=True)
        facts = PdfTable([[pdf.para(k, label), pdf.cell(v, width - 120)] for k, v in report.facts],
                      colWidths=[120, None], hAlign="LEFT")
        facts.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), pdf.base_font(), 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   *pdf.cell_fonts([[None, v] for _, v in report.facts])]))
        story += [facts, Spacer(1, 6)]
    if report.legend:
        story += [_legend(report.legend), Spacer(1, 6)]
    for table in report.tables:
        if table.in_pdf:
            story += _table_flowables(table, width)
    canvas = type("ReportCanvas", (pdf.NumberedCanvas,),
                  {"footer_left": f"{company} · {report.title} · generated {generated or date.today()}"})
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()


def _legend(legend: list[tuple[str, str]]) -> PdfTable:
    cells = [[pdf.para(meaning, pdf.style(7.5)) for _, meaning in legend]]
    table = PdfTable(cells, hAlign="LEFT")
    table.setStyle(TableStyle([("BACKGROUND", (n, 0), (n, 0), colors.HexColor(colour))
                               for n, (colour, _) in enumerate(legend)]
                              + [("BOX", (0, 0), (-1, -1), 0.25, pdf.GRID), ("INNERGRID", (0, 0), (-1, -1), 0.25, pdf.GRID)]))
    return table


def _table_flowables(table: Table, width: float) -> list[Any]:
    heading = [pdf.heading(table.heading)]
    if table.note:
        heading.append(pdf.para(table.note, pdf.style(8)))
    heading.append(Spacer(1, 3))
    if not table.rows:
        return [KeepTogether(heading + [pdf.para(table.empty, pdf.style(8.5)), Spacer(1, 8)])]
    # A grouping column is printed once, as a bold row above its group, instead of on every line.
    kept = [n for n, c in enumerate(table.columns) if n != table.group_by and c.in_pdf]
    columns = [table.columns[n] for n in kept]
    total = sum(c.width for c in columns)
    widths = [width * c.width / total for c in columns]
    numeric = [n for n, c in enumerate(columns) if c.kind in ("amount", "number")]
    header_style = pdf.style(7.5, bold=True)
    right_header = pdf.style(7.5, bold=True, align=TA_RIGHT)
    header = [pdf.para(c.name, right_header if n in numeric else header_style) for n, c in enumerate(columns)]
    rows: list[list[Any]] = []
    source: list[int | None] = []  # the table row each printed row shows; None for a group row
    group_style = pdf.style(8, bold=True)
    for number, row in enumerate(table.rows):
        if table.group_by is not None and (number == 0 or row[table.group_by] != table.rows[number - 1][table.group_by]):
            rows.append([pdf.para(shown(row[table.group_by], table.columns[table.group_by]), group_style)]
                        + [""] * (len(columns) - 1))
            source.append(None)
        rows.append([pdf.cell(shown(row[n], column), w, 7.5) if column.kind == "text" else shown(row[n], column)
                     for n, column, w in zip(kept, columns, widths)])
        source.append(number)
    base: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), pdf.base_font(), 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_BACKGROUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, pdf.GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *(("ALIGN", (n, 1), (n, -1), "RIGHT") for n in numeric),
    ]
    colours_by_row: dict[int, list[tuple[int, str]]] = {}
    printed = {source_column: n for n, source_column in enumerate(kept)} | {-1: -1}
    for (number, column), colour in table.colours.items():
        if column in printed:
            colours_by_row.setdefault(number, []).append((printed[column], colour))

    def style_for(piece: list[list[Any]], first: int) -> list[tuple[Any, ...]]:
        commands = list(base)
        for offset in range(len(piece) - 1):  # the piece's rows; row 0 is the header
            at = offset + 1
            shows = source[first + offset]
            if shows is None:
                commands += [("SPAN", (0, at), (-1, at)), ("BACKGROUND", (0, at), (-1, at), GROUP_BACKGROUND),
                             ("TOPPADDING", (0, at), (-1, at), 5)]
                continue
            for column, colour in colours_by_row.get(shows, ()):
                start, end = ((0, at), (-1, at)) if column < 0 else ((column, at), (column, at))
                commands.append(("BACKGROUND", start, end, colors.HexColor(colour)))
        return commands + pdf.cell_fonts(piece, size=7.5, bold_rows={0})

    flowable = pdf.long_table(header, rows, widths, style_for)
    return heading + [flowable, Spacer(1, 10)]


def report_workbook(report: Report, *, generated: date | None = None) -> bytes:
    """A sheet per table (bold frozen header, filter, real dates, amounts as numbers) and an
    About sheet saying what was asked."""
    book = Workbook()
    about = book.active
    about.title = "About"
    excel.put(about, 1, 1, report.title)
    about.cell(1, 1).font = Font(bold=True, size=14)
    rows = [("Asked", report.asked), ("Generated", generated or date.today()),
            *report.facts, *((t.heading, f"{plural(len(t.rows), 'row')}") for t in report.tables)]
    for number, (label, value) in enumerate(rows, start=3):
        excel.put(about, number, 1, label)
        excel.put(about, number, 2, value)
        about.cell(number, 1).font = Font(bold=True)
        about.cell(number, 2).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100
    for table in report.tables:
        sheet = excel.table_sheet(book, table.heading, [c.name for c in table.columns],
                                  ([_cell_value(v) for v in row] for row in table.rows))
        for column_number, column in enumerate(table.columns, start=1):
            if column.kind == "amount":
                for row_number in range(2, len(table.rows) + 2):
                    sheet.cell(row_number, column_number).number_format = number_format(column.places)
        for (row, column), colour in table.colours.items():
            fill = PatternFill("solid", fgColor=colour.lstrip("#"))
            targets = range(1, len(table.columns) + 1) if column < 0 else (column + 1,)
            for target in targets:
                sheet.cell(row + 2, target).fill = fill
        if not table.rows:
            excel.put(sheet, 2, 1, table.empty)
    return excel.to_bytes(book)


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value
