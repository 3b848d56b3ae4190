"""An empty doctor list workbook for a base scenario: the four sheets with their
Norwegian headers, and drop-down lists so that a coordinator types what the import reads.

The header is row 1 and data starts at row 2 (no note row: it would be read as a doctor);
what a column takes is said in each column's input message instead. Choice lists live
on a hidden sheet ``Valg``: a list written into the validation itself may hold at most
255 characters, which a district's municipalities or shifts soon pass.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from legevakt_opt.io.doctor_list.cells import CHOICES_SHEET, MAX_ROWS, SHEET_TITLES
from legevakt_opt.io.doctor_list.columns import (
    CATEGORY_LABELS,
    DUTY_LABELS,
    FIELDS,
    REQUEST_LABELS,
    Field,
)
from legevakt_opt.io.escape import neutralise_formulas
from legevakt_opt.scenario import Scenario

DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
YES_NO = ("ja", "nei")
_YES_NO_KEYS = {"independent", "lis1_completed", "video", "exempt"}
_DATE_KEYS = {"from", "to", "date"}
_WIDTHS = {
    "name": 26,
    "stations": 26,
    "note": 40,
    "doctor": 26,
    "max_hours_per_week": 19,
    "from_duties": 22,
}
_PROMPTS = {
    "id": "Tom: lages av navnet.",
    "independent": "ja/nei. Tom: nei.",
    "lis1_completed": "ja/nei. Tom: som selvstendig.",
    "video": "ja/nei. Tom: ja.",
    "share": "Tall (0,5) eller prosent (50 %). Tom: 1.",
    "exempt": "ja/nei. Tom: nei.",
    "max_hours_per_week": "Tall. Tom: vaktordningens grense.",
    "doctor": "Legens id, eller navn når det er entydig.",
    "from": "Dato, eller dato og klokkeslett (18.01.2027 12:00).",
    "to": "Dato (hele dagen med), eller dato og klokkeslett.",
    "shift": "Tom: alle vakter den dagen.",
}
_EXEMPTION_PROMPTS = {
    "doctor": "Legens id, eller navn når det er entydig. Fritak fra alle vakter hele "
    "perioden: skriv heller ja i fritak på Leger.",
    "from": "Første dato fritaket gjelder (18.01.2027). Bare dato, uten klokkeslett.",
    "to": "Siste dato fritaket gjelder, hele dagen med. Bare dato, uten klokkeslett.",
    "from_duties": "Vakter legen er fritatt fra: natt, helg, tilstedevakt eller alle; flere "
    "skilt med komma (natt, helg). Tom: alle.",
    "note": "Fritekst, f.eks. gravid, over 60 år, sykmeldt. Leses ikke av vaktplanen.",
}
"""The Fritak sheet's own input messages (its dates take no time of day)."""
_SEVERAL = "Flere verdier skilles med komma, f.eks. «natt, helg»."
_MAX_PROMPT = 255  # Excel refuses a longer input message


def doctor_list_template(base: Scenario) -> bytes:
    """The empty workbook (``.xlsx``) for ``base``'s municipalities, stations and shifts."""
    return save(build_workbook(base))


def save(wb: Workbook) -> bytes:
    neutralise_formulas(wb)  # names of the base's municipalities, stations and doctors
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_workbook(base: Scenario) -> Workbook:
    """The template as an openpyxl workbook, sheets ``Leger``, ``Fravær``, ``Ønsker``,
    ``Fritak`` and the hidden ``Valg``; the export fills its rows."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    sheets = {kind: wb.create_sheet(title) for kind, title in SHEET_TITLES.items()}
    choices = wb.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    lists = {
        "category": _choice_list(choices, 1, "kategori", list(CATEGORY_LABELS.values())),
        "yes_no": _choice_list(choices, 2, "ja/nei", list(YES_NO)),
        "municipality": _choice_list(
            choices, 3, "kommune", list(dict.fromkeys(m.name for m in base.municipalities))
        ),
        "shift": _choice_list(choices, 4, "vakt", [s.id for s in base.shifts]),
        "type": _choice_list(choices, 5, "type", list(REQUEST_LABELS.values())),
    }
    _choice_list(choices, 6, "stasjoner", [s.name for s in base.stations])
    lists["from_duties"] = _choice_list(choices, 7, "gjelder", list(DUTY_LABELS.values()))
    # lege: the names typed on Leger, in the template's column order
    letter = get_column_letter(1 + [f.key for f in FIELDS["doctors"]].index("name"))
    lists["doctor"] = (
        f"{quote_sheetname(SHEET_TITLES['doctors'])}!${letter}$2:${letter}${MAX_ROWS + 1}"
    )
    for kind, ws in sheets.items():
        _headers(ws, FIELDS[kind])
        prompts = _PROMPTS | (_EXEMPTION_PROMPTS if kind == "exemptions" else {})
        for k, f in enumerate(FIELDS[kind], start=1):
            _validate(ws, k, f, lists, prompts, base)
    return wb


def _choice_list(ws: Worksheet, column: int, title: str, values: list[str]) -> str | None:
    """Write a list down a column of the choices sheet; its range, or None when empty."""
    ws.cell(row=1, column=column, value=title).font = Font(bold=True)
    for k, value in enumerate(values, start=2):
        cell = ws.cell(row=k, column=column, value=value)
        cell.data_type = "s"  # a name is never a formula
    if not values:
        return None
    letter = get_column_letter(column)
    return f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"


def _headers(ws: Worksheet, fields: tuple[Field, ...]) -> None:
    for k, f in enumerate(fields, start=1):
        ws.cell(row=1, column=k, value=f.header).font = Font(bold=True)
        dim = ws.column_dimensions[get_column_letter(k)]
        dim.width = max(_WIDTHS.get(f.key, 0), len(f.header) + 4, 12)
        if f.key in _DATE_KEYS:
            dim.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"


def _validate(
    ws: Worksheet,
    column: int,
    f: Field,
    lists: dict[str, str | None],
    prompts: dict[str, str],
    base: Scenario,
) -> None:
    """A drop-down list where the column has a fixed set of values, else an input message
    only (``stasjoner`` takes several stations, which a list cannot)."""
    key = "yes_no" if f.key in _YES_NO_KEYS else f.key
    source = lists.get(key)
    prompt = prompts.get(f.key, "")
    if f.key == "stations":
        prompt = _stations_prompt([s.name for s in base.stations])
    if source is None and not prompt:
        return
    if source is not None:
        # A typed id is also fine for kommune, lege and vakt: warn, do not refuse. gjelder
        # takes several values ("natt, helg"), which a list cannot: say how, and let it be.
        style = "warning" if key in ("municipality", "doctor", "shift") else "stop"
        error = f"Velg en verdi fra listen for {f.header}."
        if key == "from_duties":
            style, error = "information", _SEVERAL
        dv = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            errorStyle=style,
            showErrorMessage=True,
            errorTitle=f.header[:32],
            error=error,
        )
    else:
        dv = DataValidation(allow_blank=True)
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = f.header[:32]
        dv.prompt = prompt[:_MAX_PROMPT]
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    ws.add_data_validation(dv)


def _stations_prompt(names: list[str]) -> str:
    """The stations a doctor may work at, as many as fit in an input message."""
    head = "Id eller navn, skilt med komma. Tom: alle. «ingen»: ingen stasjon. Stasjoner: "
    text, shown = head + ", ".join(names), len(names)
    while len(text) > _MAX_PROMPT and shown > 0:
        shown -= 1
        text = f"{head}{', '.join(names[:shown])} og {len(names) - shown} til"
    return text
