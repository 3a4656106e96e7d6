"""Work in another process, on the other core: Python holds one lock per process, so a second
thread does not make pure-Python work faster (a statement run's drafting, PDFs drawn by
reportlab), and a second process does.

Processes are spawned, never forked from the caller: the GUI starts this work from a worker
thread, and forking a process that runs threads (Qt's among them) is unsafe. A process started
here ends when the program that started it does, even when that program is killed."""

from __future__ import annotations

import os
import pickle
import select
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Beside(Generic[T]):
    """Work running in another process (`beside`): send it values, wait for its result."""

    def __init__(self, process: Any, letters: Any, answers: Any):
        self.process, self.letters, self.answers = process, letters, answers
        self.posting: list[threading.Thread] = []
        self.answered = False

    def send(self, value: Any) -> None:
        """Give the work a value (pickled), which its `inbox()` returns; without waiting for
        the work to read it (a pipe holds 64 KB, and the work may read it seconds later)."""
        letter = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        posting = threading.Thread(target=_post, args=(self.letters, letter), name="letter to beside", daemon=True)
        posting.start()
        self.posting.append(posting)

    def result(self) -> T:
        """Wait for the work to end: what it returned, or raise what it raised. RuntimeError
        if its process died without an answer (killed by the system, out of memory)."""
        try:
            failed, value = self.answers.recv()
            self.answered = True
        except EOFError:
            self.process.join()  # (its end of the pipe closes as it dies, a moment before it is gone)
            raise RuntimeError(f"the process working beside this one ended without an answer "
                               f"(exit code {self.process.exitcode})") from None
        if failed:
            raise value
        return value  # type: ignore[no-any-return]


@contextmanager
def beside(work: Callable[..., T], *args: Any) -> Iterator[Beside[T]]:
    """Start `work(inbox, *args)` in a spawned process while the caller goes on; `inbox()`
    waits for the next value the caller sends (Beside.send). `work` and its arguments, the
    values sent and its result must pickle (a module-level function, plain values). If the
    caller's block raises (a cancelled run), or ends without waiting for the result, the
    process is killed at once."""
    context = get_context("spawn")
    answers, answer = context.Pipe(duplex=False)
    inbox, letters = context.Pipe(duplex=False)
    process = context.Process(target=_answer, args=(answer, inbox, os.getpid(), work, args), name="beside",
                              daemon=True)
    process.start()
    # (the child's ends stay open in the child only: its death is an EOF here)
    answer.close()
    inbox.close()
    handle = Beside[T](process, letters, answers)
    try:
        yield handle
    finally:
        if not handle.answered:
            process.kill()
        process.join()
        for posting in handle.posting:  # (a letter never read: the pipe broke as the process ended)
            posting.join()
        letters.close()
        answers.close()


def _post(letters: Any, letter: bytes) -> None:
    try:
        letters.send_bytes(letter)
    except OSError:  # the work ended (or was killed) without reading it
        pass


def _answer(answer: Any, inbox: Any, parent: int, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    die_with(parent)
    try:
        outcome: tuple[bool, Any] = (False, work(lambda: pickle.loads(inbox.recv_bytes()), *args))
    except BaseException as error:  # raised again in the caller, by result()
        outcome = (True, error)
    try:
        answer.send(outcome)
    except Exception as unpicklable:  # the error says what it was, if not its type
        answer.send((True, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({unpicklable})")))
    answer.close()


def die_with(parent: int) -> None:
    """End this process when the program that started it (`parent`) is killed: a SIGKILLed
    export left its PDF workers running, ~150 MB each. On Linux a spawned process gets the
    kernel's parent-death signal; one forked from a fork server (whose parent is the server,
    which in turn waits for its workers) watches the program itself, through a process
    descriptor that becomes readable when the program ends."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1  # noqa: N806 (the kernel's name)
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            try:
                program = os.pidfd_open(parent)
            except OSError:  # already gone: the check below ends this process
                program = None
            if program is not None:
                threading.Thread(target=_exit_when_ended, args=(program,), name="program watch", daemon=True).start()
    if os.getppid() == 1 or not running(parent):  # the program was killed before it could be watched
        os._exit(1)


def _exit_when_ended(program: int) -> None:
    select.select([program], [], [])
    os._exit(1)


def running(pid: int) -> bool:
    """Whether a process of that id is running (someone else's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    return True
