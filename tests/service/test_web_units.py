"""The web app's parts that need no server: the words in both languages (every key a
template uses), the WCAG contrast of every colour pair, forms onto the scenario's paths
and errors back onto fields, sign-in throttling, the grid, the chart and the changes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from legevakt_opt.scenario import load_scenario
from service.checks import Problem, check_scenario
from service.settings import Settings
from service.web import forms
from service.web.accounts import FREE_TRIES, MAX_WAIT, wait_seconds
from service.web.changes import roster_changes
from service.web.chart import burden_chart
from service.web.grid import build_grid, doctor_lines, window
from service.web.i18n import EN, NB, iso_week, norwegian_date, parse_norwegian_date, translate
from service.web.render import ENV
from service.web.routes.whatif import parse_values

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "service" / "web"
HALLINGDAL = load_scenario(ROOT / "scenarios" / "hallingdal.yaml")

# ---------------------------------------------------------------- words


def test_both_languages_have_the_same_keys() -> None:
    assert set(NB) == set(EN)
    for key in NB:
        assert set(re.findall(r"{(\w+)}", NB[key])) == set(re.findall(r"{(\w+)}", EN[key])), key


def test_every_key_a_template_or_route_names_exists() -> None:
    used: set[str] = set()
    for path in [*(WEB / "templates").glob("*.html"), *(WEB / "routes").glob("*.py")]:
        used |= set(re.findall(r'\bt\(\s*"([a-z0-9_.]+)"\s*[,)]', path.read_text(encoding="utf-8")))
    prefixed = {"status_", "level_", "sel_", "rule_", "duty_role_", "kind_", "prev_", "next_"}
    for key in sorted(used):
        assert key in NB, key
    for prefix in prefixed:
        assert any(k.startswith(prefix) for k in NB), prefix
    for rule in (
        "exempt",
        "unavailable",
        "station",
        "overlap",
        "rest",
        "work_period",
        "cap",
        "shift_window",
        "night_window",
        "succession",
        "after_night",
        "consecutive_days",
        "needs_backup",
        "free",
    ):
        assert f"rule_{rule}" in NB


def test_norwegian_dates_and_weeks() -> None:
    assert norwegian_date("2027-01-04") == "04.01.2027"
    assert norwegian_date(dt.date(2027, 3, 28)) == "28.03.2027"
    assert norwegian_date(dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC)) == "04.01.2027 13:00"
    assert iso_week(dt.date(2027, 1, 4)) == 1 and iso_week(dt.date(2027, 1, 3)) == 53
    assert parse_norwegian_date("4.1.2027") == dt.date(2027, 1, 4)
    assert parse_norwegian_date("2027-01-04") == dt.date(2027, 1, 4)
    assert parse_norwegian_date("31.02.2027") is None
    assert translate("nb", "week", week=3) == "uke 3"
    assert translate("en", "week", week=3) == "week 3"


def test_templates_escape_user_text() -> None:
    html = ENV.get_template("_errors.html").render(errors=["<script>alert(1)</script>"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    for path in (WEB / "templates").glob("*.html"):
        assert "|safe" not in path.read_text(encoding="utf-8").replace(" ", ""), path.name


# ---------------------------------------------------------------- colours


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: Every pair of text colour and the background it is drawn on (app.css's variables).
PAIRS = [
    ("text", "page"),
    ("muted", "page"),
    ("link", "page"),
    ("button-text", "button"),
    ("text", "weekend"),
    ("muted", "weekend"),
    ("text", "night"),
    ("link", "weekend"),
    ("unfilled-text", "unfilled"),
    ("backup-text", "backup"),
    ("video-text", "video"),
    ("ok-text", "ok"),
    ("ok-text", "page"),
    ("badge-text", "badge"),
    ("tooltip-text", "tooltip"),
    ("unfilled-text", "page"),
    ("link", "night"),
]


def test_duty_colours_have_a_contrast_of_at_least_4_5() -> None:
    css = (WEB / "static" / "app.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    assert colours, "app.css defines its colours as variables"
    for fg, bg in PAIRS:
        ratio = contrast(colours[fg], colours[bg])
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"
    assert contrast("#000000", "#ffffff") == pytest.approx(21)


# ---------------------------------------------------------------- forms


def test_policy_form_onto_the_document_and_errors_back_onto_fields() -> None:
    document = HALLINGDAL.to_document()
    shown = forms.display(document, forms.POLICY)
    assert shown["policy.max_hours_per_week"] == "30"
    assert shown["policy.lis1_without_backup"] == ""
    form = {k: [v] for k, v in shown.items() if v}
    form["policy.weights.on_call"] = ["0,5"]
    form["policy.min_rest_hours"] = ["-3"]
    form["policy.max_nights_in_window.shifts"] = ["1"]
    form["policy.max_nights_in_window.days"] = ["abc"]
    changed = forms.apply_fields(document, forms.POLICY, form)
    assert changed["policy"]["weights"]["on_call"] == 0.5
    assert changed["policy"]["max_shifts_in_window"] == {"shifts": 2, "days": 7}
    with pytest.raises(Problem) as caught:
        check_scenario(changed, Settings())
    placed, general = forms.place_errors(caught.value.lines, [f.path for f in forms.POLICY])
    assert "policy.min_rest_hours" in placed and "at least 0" in placed["policy.min_rest_hours"][0]
    assert "'abc' is not a whole number" in placed["policy.max_nights_in_window.days"][0]
    assert not general


def test_the_policy_form_sets_the_bakvakt_sequence_and_weekend_fields() -> None:
    document = HALLINGDAL.to_document()
    shown = forms.display(document, forms.POLICY)
    assert shown["policy.backup_scope"] == shown["policy.weekend_from"] == ""
    form = {k: [v] for k, v in shown.items() if v}
    form["policy.backup_scope"] = ["1"]
    form["policy.backup_max_shifts"] = ["3"]
    form["policy.sequences.max_consecutive_days"] = ["4"]
    form["policy.sequences.day_off_after_night"] = ["1"]
    form["policy.weekend_from"] = [" fri 16:00 "]
    changed = forms.apply_fields(document, forms.POLICY, form)
    policy = check_scenario(changed, Settings()).scenario.policy
    assert (policy.backup_scope, policy.backup_max_shifts, policy.backup_while_on_duty) == (
        "district",
        3,
        False,
    )
    assert policy.sequences.max_consecutive_days == 4 and policy.sequences.day_off_after_night
    assert policy.weekend_from is not None
    again = forms.display(changed, forms.POLICY)
    assert again["policy.backup_scope"] == "1" and again["policy.weekend_from"] == "fri 16:00"
    off = forms.apply_fields(changed, forms.POLICY, {k: [v] for k, v in again.items() if v != "1"})
    assert (
        off["policy"]["backup_scope"] == "station" and off["policy"]["weekend_from"] == "fri 16:00"
    )


def test_what_if_takes_a_bakvakt_scope_in_norwegian() -> None:
    assert parse_values("scope", "stasjon; Distrikt") == ["station", "district"]


def test_horizon_form_takes_norwegian_dates() -> None:
    document = HALLINGDAL.to_document()
    form = {
        "horizon.start": ["01.02.2027"],
        "horizon.days": ["14"],
        "horizon.holidays": [""],
        "horizon.extra_holidays": ["24.12.2027, 31.12.2027"],
    }
    changed = forms.apply_fields(document, forms.HORIZON, form)
    assert changed["horizon"] == {
        "start": "2027-02-01",
        "days": 14,
        "holidays": None,
        "extra_holidays": ["2027-12-24", "2027-12-31"],
    }
    form["horizon.extra_holidays"] = [""]
    assert forms.apply_fields(document, forms.HORIZON, form)["horizon"]["extra_holidays"] == []
    assert check_scenario(changed, Settings()).instances > 0
    bad = forms.apply_fields(document, forms.HORIZON, {"horizon.start": ["31.02.2027"]})
    with pytest.raises(Problem) as caught:
        check_scenario(bad, Settings())
    placed, _ = forms.place_errors(caught.value.lines, [f.path for f in forms.HORIZON])
    assert "horizon.start" in placed and "horizon.days" in placed


def test_shift_rows_round_trip_and_errors_land_on_their_row() -> None:
    document = HALLINGDAL.to_document()
    rows = forms.shift_rows(document)
    form: dict[str, list[str]] = {}
    for r in rows:
        p = f"shifts[{r['key']}]"
        form.update(
            {
                f"{p}.id": [r["id"]],
                f"{p}.station": [r["station"]],
                f"{p}.when": r["when"],
                f"{p}.start": [r["start"]],
                f"{p}.end": [r["end"]],
                f"{p}.kind": [r["kind"]],
                f"{p}.doctors": [r["doctors"]],
            }
        )
    same, _, _ = forms.apply_shifts(document, form)
    assert check_scenario(same, Settings()).scenario.shifts == HALLINGDAL.shifts
    form["shifts[0].remove"] = ["1"]
    form["shifts[2].start"] = ["25:00"]
    form.update(
        {
            "shifts[new].id": ["dag"],
            "shifts[new].station": ["aal"],
            "shifts[new].when": ["sat"],
            "shifts[new].start": ["08:00"],
            "shifts[new].end": ["16:00"],
            "shifts[new].doctors": ["x"],
        }
    )
    changed, rows2, origin = forms.apply_shifts(document, form)
    assert [s["id"] for s in changed["shifts"]][-1] == "dag"
    assert len(changed["shifts"]) == len(rows)
    with pytest.raises(Problem) as caught:
        check_scenario(changed, Settings())
    placed, _ = forms.place_errors(caught.value.lines, forms.shift_field_names(rows2), origin)
    assert "shifts[2].start" in placed, caught.value.lines
    assert "shifts[new].doctors" in placed, caught.value.lines


# ---------------------------------------------------------------- the rest


def test_sign_in_slows_after_a_few_failures() -> None:
    now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert wait_seconds(FREE_TRIES - 1, now, now) == 0
    assert wait_seconds(FREE_TRIES, now, now) == 1
    assert wait_seconds(FREE_TRIES + 3, now, now) == 8
    assert wait_seconds(FREE_TRIES + 3, now, now + dt.timedelta(seconds=8)) == 0
    assert wait_seconds(FREE_TRIES + 30, now, now) == MAX_WAIT


def _roster() -> dict[str, object]:
    return {
        "assignments": [
            {"date": "2027-01-04", "shift": "natt", "doctor": "d001", "role": "duty"},
            {"date": "2027-01-04", "shift": "natt", "doctor": "d003", "role": "duty"},
            {"date": "2027-01-04", "shift": "natt", "doctor": "d002", "role": "backup"},
        ],
        "unfilled": [
            {
                "date": "2027-01-05",
                "shift": "natt",
                "missing": 1,
                "blocked_by": {"rest": 3, "cap": 2},
            }
        ],
        "doctors": {"d001": {"weighted_hours": 9.0, "duties": 1, "burden": 9.0}},
    }


def test_grid_weeks_and_cells() -> None:
    assert window(HALLINGDAL, "week", dt.date(2027, 1, 6)) == (
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 10),
    )
    assert window(HALLINGDAL, "month", None) == (dt.date(2027, 1, 4), dt.date(2027, 1, 31))
    grid = build_grid(HALLINGDAL, _roster(), "week", dt.date(2027, 1, 4))
    assert grid.previous is None and grid.following == dt.date(2027, 1, 11)
    natt = grid.rows[0].cells[[c.id for c in grid.shifts].index("natt")]
    assert [(p.id, p.role) for p in natt.people] == [
        ("d001", "duty"),
        ("d003", "duty"),
        ("d002", "backup"),
    ]
    gap = grid.rows[1].cells[[c.id for c in grid.shifts].index("natt")]
    assert gap.missing == 1 and gap.blocked_by == {"rest": 3, "cap": 2}
    helg = grid.rows[0].cells[[c.id for c in grid.shifts].index("helg-dag")]
    assert not helg.exists  # Monday: no weekend shift


def test_chart_draws_mean_and_cap() -> None:
    lines = doctor_lines(HALLINGDAL, _roster())
    chart = burden_chart(lines, 4, 30)
    assert chart.cap == 120 and chart.cap_x is not None
    assert len(chart.bars) == len([d for d in HALLINGDAL.doctors if not d.exempt])
    own = next(b for b in chart.bars if b.id == "d020")
    assert own.cap_x is not None  # d020's own cap of 45 h a week


def test_changes_pair_who_left_with_who_came() -> None:
    before = _roster()
    after = {
        "assignments": [
            {"date": "2027-01-04", "shift": "natt", "doctor": "d001", "role": "duty"},
            {"date": "2027-01-04", "shift": "natt", "doctor": "d005", "role": "duty"},
        ]
    }
    assert roster_changes(before, after) == [
        {
            "date": "2027-01-04",
            "shift": "natt",
            "role": "backup",
            "before": "d002",
            "after": None,
            "reason": None,
        },
        {
            "date": "2027-01-04",
            "shift": "natt",
            "role": "duty",
            "before": "d003",
            "after": "d005",
            "reason": None,
        },
    ]
    listed = {"changes": [{"date": "2027-01-04", "shift": "natt", "role": "duty"}]}
    assert roster_changes(before, listed) == listed["changes"]
