"""Soak: the app, started as `rightsdesk` starts it, on a demo catalogue, visits every area and
does every export a screen offers, round after round, in a process of its own, so that a
segmentation fault or an abort fails this test (with the crash log) instead of killing pytest
(issue 18: "twice in a day of use the app died without a word").

A few rounds run with the suite (well under its 10 minutes); for a hunt, many more by hand,
and on a database of your own (a copy is used) with more patience for each step:

    RIGHTSDESK_SOAK_ROUNDS=200 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q tests/ui/test_soak.py
    RIGHTSDESK_SOAK_DB=big-demo.db RIGHTSDESK_SOAK_WAIT=600 RIGHTSDESK_SOAK_ROUNDS=3 ...

Run as a script (`python tests/ui/test_soak.py DATABASE FOLDER ROUNDS`) it is the soak itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROUNDS_VARIABLE = "RIGHTSDESK_SOAK_ROUNDS"
ROUNDS = int(os.environ.get(ROUNDS_VARIABLE, "2"))  # 2: about 30 s on 2 busy cores
PERIOD = "2026-Q3"  # the demo's revenue runs to September 2026
TIMEOUT = 90 + 60 * ROUNDS * (1 + int(float(os.environ.get("RIGHTSDESK_SOAK_WAIT", "60")) / 60))


@pytest.mark.timeout(TIMEOUT)
def test_every_area_and_every_export_round_after_round_without_a_crash(demo_file, tmp_path):
    rounds = ROUNDS
    database = tmp_path / "demo.db"
    shutil.copy(os.environ.get("RIGHTSDESK_SOAK_DB") or demo_file, database)
    exports = tmp_path / "exports"
    exports.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "PYTHONFAULTHANDLER": "1"}
    env.pop("RIGHTSDESK_DB", None)
    done = subprocess.run([sys.executable, __file__, str(database), str(exports), str(rounds)], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT - 20)
    crash_logs = list((tmp_path / "data").rglob("crashes.log"))
    crash_log = crash_logs[0].read_text(encoding="utf-8") if crash_logs else "(no crash log)"
    assert done.returncode == 0, (f"the app ended with {done.returncode} (a negative number is the signal)\n"
                                  f"--- crashes.log\n{crash_log}\n--- stderr\n{done.stderr[-6000:]}")
    assert f"soaked {rounds} rounds" in done.stdout, done.stdout + done.stderr[-3000:]
    # every export of every round is on disk, not empty
    written = [path for path in exports.rglob("*") if path.is_file()]
    assert written and all(path.stat().st_size > 0 for path in written)
    assert {path.suffix for path in written} >= {".pdf", ".xlsx", ".csv"}
    assert len(list(exports.glob(f"round-{rounds}/*"))) >= 20


# -- the soak itself, in the child process ------------------------------------------------------

def _soak(database: Path, folder: Path, rounds: int) -> None:
    from rightsdesk.ui.errors import record_hard_crashes

    record_hard_crashes()  # as the app does, before Qt starts
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from rightsdesk.persistence.database import Database
    from rightsdesk.services import statements
    from rightsdesk.ui.app import application, open_window
    from rightsdesk.ui.main_window import AREAS

    with Database(str(database)).transaction() as session:  # drafts to export
        statements.run(session, PERIOD, user="soak")
    app = application()
    target = {"folder": folder}
    asked: list[str] = []

    def save_as(_parent, _title, suggested="", *_args, **_kwargs):
        return str(target["folder"] / Path(suggested or "export").name), ""

    QFileDialog.getSaveFileName = staticmethod(save_as)  # type: ignore[method-assign]
    QFileDialog.getExistingDirectory = staticmethod(lambda *_a, **_k: str(target["folder"]))  # type: ignore[method-assign]
    QInputDialog.getText = staticmethod(lambda *_a, **_k: ("Vidio", True))  # type: ignore[method-assign]
    QDesktopServices.openUrl = staticmethod(lambda _url: True)  # type: ignore[method-assign]
    for name in ("question", "warning", "information", "critical"):
        setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *_a, **_k: asked.append(text) or QMessageBox.StandardButton.Yes))
    QMessageBox.exec = lambda box: asked.append(box.text()) or 0  # type: ignore[method-assign]

    window = open_window(str(database))
    assert window is not None
    settle = _settler(app, window)
    settle("the window", lambda: True)
    for round_ in range(1, rounds + 1):
        target["folder"] = folder / f"round-{round_}"
        target["folder"].mkdir()
        for area in AREAS:
            window.show_area(area.key)
            settle(area.key, lambda: True)
        _export_avails(window, settle)
        _export_reports(window, settle)
        window.libraries.export_to(target["folder"] / "libraries.xlsx")
        settle("the statements", lambda: True)
        if asked:
            raise AssertionError(f"round {round_}: the app asked or complained: {asked}")
        print(f"round {round_} done", flush=True)
    window.wait_for_background()
    window.close()
    settle("closing", lambda: True)
    print(f"soaked {rounds} rounds", flush=True)


def _settler(app, window) -> Callable[[str, Callable[[], bool]], None]:  # noqa: ANN001
    """Let the event loop run until `ready()` and every list in view and background work is done."""
    from rightsdesk.ui.operations import Quiet
    from rightsdesk.ui.table import RecordList

    def settled() -> bool:
        lists = [found for found in window.findChildren(RecordList) if found.isVisible()]
        quiet = all(not work.running() for work in window.findChildren(Quiet))
        return quiet and all(found.model.filled for found in lists)

    patience = float(os.environ.get("RIGHTSDESK_SOAK_WAIT", "60"))  # seconds a step may take

    def settle(what: str, ready: Callable[[], bool]) -> None:
        started = time.monotonic()
        deadline = started + patience
        while not (ready() and settled()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not settle within {patience:g} s")
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()
        if os.environ.get("RIGHTSDESK_SOAK_TIMES"):
            print(f"{time.monotonic() - started:6.2f} s  {what}", file=sys.stderr, flush=True)

    return settle


def _export_avails(window, settle) -> None:  # noqa: ANN001
    from PySide6.QtCore import QDate

    page = window.avails
    window.show_area("avails")
    page.titles.setText("1 2 3 4 5 6")
    page.territories.setText("SEA")
    page.start.setDate(QDate(2026, 1, 1))
    page.end.setDate(QDate(2026, 12, 31))
    page.run()
    settle("the avails", lambda: page.operation is None)
    for kind in ("pdf", "xlsx", "ema"):
        page.export(kind)


def _export_reports(window, settle) -> None:  # noqa: ANN001
    """Reports: every report as PDF (shown in the app's PDF view once saved, as a preview is) and
    Excel, the statements of a period (a PDF per participant and a workbook) and the journal."""
    from rightsdesk.ui.reports.page import ENTRIES

    page = window.reports
    window.show_area("reports")
    for row, entry in enumerate(ENTRIES):
        page.list.setCurrentRow(row)
        _fill_required_options(page)
        for output in entry.outputs:
            page.save(output)
            settle(f"{entry.key} as {output}", lambda: page.operation is None)


def _fill_required_options(page) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QComboBox

    for name, widget in page.fields.items():
        if name == "period":
            page.set_value(name, PERIOD)
        elif name == "territory":
            page.set_value(name, "SEA")
        elif name == "start":
            page.set_value(name, "2026-01-01")
        elif name == "titles" or (name == "title" and page.entry.key in ("cue_sheet", "music")):
            page.set_value(name, "T000001")  # (every cue of every series: 17 s a PDF, not a soak's pace)
        elif name == "episodes":
            page.set_value(name, "1-5")
        elif name == "drafts":
            page.set_value(name, "yes")  # (the run's statements are drafts)
        elif isinstance(widget, QComboBox) and name == "deal" and page.entry.key == "deal":
            widget.setCurrentIndex(1)


if __name__ == "__main__":
    _soak(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
