"""The monthly attendance list and the payment sheet as Excel workbooks (openpyxl).

Labels in the chosen language; numbers and dates carry Excel formats, so a
Slovenian Excel shows ``1.234,50 €`` and ``3. 2. 2026`` and sums them; the
cells hold numbers, not text.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from workbench import i18n
from workbench.allowances import PaymentSheet
from workbench.attendance import MonthSheet
from workbench.esf import EMA_FIELDS

EUR = '#,##0.00" €"'
HOURS = "#,##0.0#"
DATE = "d. m. yyyy"
_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="E8EEF4")
_THIN = Border(bottom=Side(style="thin", color="999999"))


def _month_title(month: str, lang: str) -> str:
    return i18n.month_label(month, lang)


def _header(ws, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, 1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD, _THIN
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attendance_xlsx(sheet: MonthSheet, lang: str = "sl") -> bytes:
    """People x days, hours in the cells ("O" absent, "U" excused), totals."""
    t = lambda key, **p: i18n.translate(key, lang, **p)  # noqa: E731
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet.attendance_tab")
    ws["A1"] = t("sheet.attendance_title", programme=sheet.programme,
                 month=_month_title(sheet.month, lang))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = t("sheet.provider", provider=sheet.provider)
    ws["A3"] = t("sheet.legend")
    labels = [t("col.person")] + [f"{d.day}." for d in sheet.days] + [t("col.hours_total")]
    _header(ws, 5, labels)
    ws.cell(row=4, column=1, value=t("col.planned_hours")).font = _BOLD
    for col, day in enumerate(sheet.days, 2):
        ws.cell(row=4, column=col, value=sheet.planned[day]).number_format = HOURS
    marks = {"absent": t("sheet.absent_mark"), "excused": t("sheet.excused_mark")}
    row = 6
    for pid, name in sheet.people:
        ws.cell(row=row, column=1, value=name)
        for col, day in enumerate(sheet.days, 2):
            hours = sheet.cells.get((pid, day))
            value = hours if hours else marks.get(sheet.absences.get((pid, day)), None)
            cell = ws.cell(row=row, column=col, value=value)
            cell.number_format = HOURS
            cell.alignment = Alignment(horizontal="center")
        total = ws.cell(row=row, column=len(sheet.days) + 2, value=sheet.person_total(pid))
        total.number_format, total.font = HOURS, _BOLD
        row += 1
    ws.cell(row=row, column=1, value=t("col.total")).font = _BOLD
    for col, day in enumerate(sheet.days, 2):
        ws.cell(row=row, column=col, value=sheet.day_total(day)).number_format = HOURS
    grand = ws.cell(row=row, column=len(sheet.days) + 2, value=sheet.total)
    grand.number_format, grand.font = HOURS, _BOLD
    ws.column_dimensions["A"].width = 28
    for col in range(2, len(sheet.days) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 5
    ws.column_dimensions[get_column_letter(len(sheet.days) + 2)].width = 10
    ws.freeze_panes = "B6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.locked:
        ws["A2"] = f"{ws['A2'].value} · {t('sheet.locked')}"
    return _bytes(wb)


PAYMENT_COLUMNS = ("col.person", "col.hours", "col.days_attended", "col.meal_days",
                   "col.reward", "col.food", "col.travel", "col.total")


def payment_xlsx(sheet: PaymentSheet, lang: str = "sl") -> bytes:
    """A row per person (hours, qualifying days, reward, food, travel, total), totals, the
    rules applied, and the note on the DSP activity supplement."""
    wb = Workbook()
    _payment_sheet(wb.active, sheet, lang)
    wb.active.title = i18n.translate("sheet.payment_tab", lang)
    return _bytes(wb)


def region_payment_xlsx(found: list[PaymentSheet], lang: str = "sl") -> bytes:
    """The month's payment sheets of every programme of the area: a worksheet each."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in found:
        # Excel limits a worksheet's name to 31 characters without []:*?/\
        name = "".join(c for c in sheet.programme if c not in '[]:*?/\\')[:28]
        _payment_sheet(wb.create_sheet(f"{name} {sheet.programme_id}"[-31:]), sheet, lang)
    if not found:
        wb.create_sheet(i18n.translate("sheet.payment_tab", lang))
    return _bytes(wb)


def _payment_sheet(ws, sheet: PaymentSheet, lang: str) -> None:
    t = lambda key, **p: i18n.translate(key, lang, **p)  # noqa: E731
    ws["A1"] = t("sheet.payment_title", programme=sheet.programme,
                 month=_month_title(sheet.month, lang))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = t("sheet.provider", provider=sheet.provider)
    _header(ws, 4, [t(k) for k in PAYMENT_COLUMNS])
    row = 5
    formats = (None, HOURS, "0", "0", EUR, EUR, EUR, EUR)
    for p in sheet.rows:
        values = (p.name, p.hours, p.days, p.meal_days, float(p.reward), float(p.food),
                  float(p.travel), float(p.total))
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True), 1):
            cell = ws.cell(row=row, column=col, value=value)
            if fmt:
                cell.number_format = fmt
        row += 1
    ws.cell(row=row, column=1, value=t("col.total")).font = _BOLD
    totals = (sheet.total("hours"), sheet.total("days"), sheet.total("meal_days"),
              float(sheet.total("reward")), float(sheet.total("food")),
              float(sheet.total("travel")), float(sheet.total("total")))
    for col, (value, fmt) in enumerate(zip(totals, formats[1:], strict=True), 2):
        cell = ws.cell(row=row, column=col, value=value)
        cell.number_format, cell.font = fmt, _BOLD
    row += 2
    ws.cell(row=row, column=1, value=t("sheet.rules_applied")).font = _BOLD
    for name, start, value in sheet.rules:
        row += 1
        ws.cell(row=row, column=1, value=t(f"rule.{name}"))
        ws.cell(row=row, column=2, value=value).number_format = "#,##0.00"
        ws.cell(row=row, column=3, value=t("sheet.rule_since",
                                            date=i18n.format_date(start, lang)))
    row += 2
    ws.cell(row=row, column=1, value=t("sheet.dsp_note")).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    ws.row_dimensions[row].height = 45
    ws.column_dimensions["A"].width = 30
    for col in range(2, 9):
        ws.column_dimensions[get_column_letter(col)].width = 13
    ws.page_setup.orientation = "landscape"
    if sheet.locked:
        ws["A2"] = f"{ws['A2'].value} · {t('sheet.locked')}"


def ema_xlsx(rows: list[dict[str, object]]) -> bytes:
    """The year's e-MA participant export: one row per person, the fields in the order
    of e-MA's import template (``esf.EMA_FIELDS``), headed in Slovenian as the template
    is, whatever the screen's language; EMŠO and postcodes kept as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Udelezenci"
    _header(ws, 1, [i18n.translate(f"ema.{f}", "sl") for f in EMA_FIELDS])
    for r, row in enumerate(rows, 2):
        for c, name in enumerate(EMA_FIELDS, 1):
            cell = ws.cell(row=r, column=c, value=row[name])
            if name in ("birth_date", "entry_date", "exit_date") and row[name]:
                cell.number_format = DATE
            elif name in ("emso", "postcode", "phone"):
                cell.number_format = "@"
    for c, name in enumerate(EMA_FIELDS, 1):
        ws.column_dimensions[get_column_letter(c)].width = 14 if name != "address" else 28
    ws.freeze_panes = "A2"
    return _bytes(wb)
