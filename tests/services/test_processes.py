"""Work in another process (services.processes.beside): its result or its error comes back, it
reads what it is sent, and it ends when its caller gives up."""

from __future__ import annotations

import os
import signal
import time

import pytest

from rightsdesk.domain.errors import UserError
from rightsdesk.services import processes


def _letter_and(inbox, value):
    return value, inbox()


def _refuse(inbox, message):
    raise UserError(message)


def _wait_for_ever(inbox):
    time.sleep(600)


def _die(inbox):
    os._exit(3)


def _read_once_told(inbox, told):
    for _ in range(300):  # (30 s, then it reads anyway: a sender that waited would then go on)
        if told.exists():
            return "told first", len(inbox())
        time.sleep(0.1)
    return "never told", len(inbox())


def test_the_work_reads_what_it_is_sent_and_its_result_comes_back():
    with processes.beside(_letter_and, {"deal": 7}) as work:
        work.send(["groups"])
        assert work.result() == ({"deal": 7}, ["groups"])


def test_sending_a_big_letter_does_not_wait_for_the_work_to_read_it(tmp_path):
    """A run hands its libraries' groups over to the other process long before that one reads
    them; a pipe holds 64 KB."""
    told = tmp_path / "told"
    with processes.beside(_read_once_told, told) as work:
        work.send(b"x" * 1_000_000)
        told.touch()
        assert work.result() == ("told first", 1_000_000)


def test_what_the_work_raises_is_raised_in_the_caller():
    with processes.beside(_refuse, "no THB/USD rate on or before 2026-09-30") as work:
        with pytest.raises(UserError, match="no THB/USD rate"):
            work.result()


def test_a_caller_that_gives_up_ends_the_work():
    with pytest.raises(KeyboardInterrupt):
        with processes.beside(_wait_for_ever) as work:
            raise KeyboardInterrupt  # the user cancelled
    assert work.process.exitcode == -signal.SIGKILL


def test_work_whose_process_dies_says_so():
    with processes.beside(_die) as work:
        with pytest.raises(RuntimeError, match="exit code 3"):
            work.result()
