"""A checkout and an offboarding case (or its clearance) at the same moment, each on its own session.

On PostgreSQL (READ COMMITTED) neither would see the other's uncommitted rows: without the lock on the
employee row a checkout could commit beside a new case and never become a line of it, or a clearance could
mark someone "left" who had just been given a laptop. Whatever the order, after both: every asset the
person holds is a line of their open case, and nobody who has left holds anything.
"""

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from inventory.errors import ApiError
from inventory.extensions import db, write_intent
from inventory.models import Assignment, Employee, OffboardingCase, OffboardingLine
from inventory.services import assignment, offboarding
from tests.factories import CTX, create_asset, create_employee

WAIT = 30  # seconds: a bound for a hung test, never reached when things work


class Worker(threading.Thread):
    """Runs work in its own app context (its own session and connection), as a request would.

    `worked` is set once work() returned (its rows flushed, locks held); with `hold` it then waits for
    hold.set() before committing. An ApiError (a refusal) rolls back and is kept in `error`.
    """

    def __init__(self, app, work: Callable[[], object], hold: threading.Event | None = None,
                 start_line: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.app, self.work, self.hold, self.start_line = app, work, hold, start_line
        self.worked, self.error, self.crash = threading.Event(), None, None

    def run(self) -> None:
        with self.app.app_context():
            token = write_intent.set(True)  # as for a POST: on SQLite the transaction begins as the writer
            try:
                if self.start_line is not None:
                    self.start_line.wait(WAIT)
                self.work()
                self.worked.set()
                if self.hold is not None:
                    assert self.hold.wait(WAIT)
                db.session.commit()
            except ApiError as e:
                db.session.rollback()
                self.error = e
            except BaseException as e:  # noqa: BLE001 - reported by the test, not lost in the thread
                db.session.rollback()
                self.crash = e
            finally:
                write_intent.reset(token)
                db.session.remove()


def finish(*workers: Worker) -> None:
    for w in workers:
        w.join(WAIT)
        assert not w.is_alive(), "a worker hung"
        assert w.crash is None, repr(w.crash)


def checkout(app, asset_id: int, employee_id: int, **kw) -> Worker:
    return Worker(app, lambda: assignment.check_out(asset_id, employee_id, CTX), **kw)


def open_case(app, employee_id: int, **kw) -> Worker:
    return Worker(app, lambda: offboarding.open_case(db.session.get(Employee, employee_id), date.today(), CTX), **kw)


def clear(app, case_id: int, **kw) -> Worker:
    return Worker(app, lambda: offboarding.clear(offboarding.get_case(case_id), CTX), **kw)


def held_and_lines(employee_id: int) -> tuple[set[int], set[int], str]:
    db.session.rollback()  # a fresh look at what the workers committed
    held = set(db.session.execute(select(Assignment.asset_id).where(
        Assignment.employee_id == employee_id, Assignment.checked_in_at.is_(None))).scalars())
    lines = set(db.session.execute(select(OffboardingLine.asset_id).join(OffboardingCase).where(
        OffboardingCase.employee_id == employee_id, OffboardingCase.state == "open")).scalars())
    return held, lines, db.session.get(Employee, employee_id).status


def first_then_second(first: Worker, second: Worker) -> None:
    """first does its work and holds its transaction open; second starts and must wait for first's commit."""
    first.start()
    assert first.worked.wait(WAIT)
    second.start()
    time.sleep(0.3)
    assert not second.worked.is_set(), "the second went ahead without waiting for the first to commit"
    first.hold.set()
    finish(first, second)


@pytest.mark.parametrize("checkout_first", [True, False], ids=["checkout-first", "case-first"])
def test_a_checkout_and_a_case_opened_at_once_one_sees_the_other(app, checkout_first):
    emp, asset = create_employee(), create_asset()
    emp_id, asset_id = emp.id, asset.id
    out, case = checkout(app, asset_id, emp_id), open_case(app, emp_id)
    (out if checkout_first else case).hold = threading.Event()
    first_then_second(*((out, case) if checkout_first else (case, out)))
    assert out.error is None and case.error is None, (out.error, case.error)
    held, lines, status = held_and_lines(emp_id)
    assert held == lines == {asset_id} and status == "leaving"


@pytest.mark.parametrize("checkout_first", [True, False], ids=["checkout-first", "clearance-first"])
def test_a_checkout_and_a_clearance_at_once_never_leave_someone_gone_with_kit(app, checkout_first):
    emp, asset = create_employee(), create_asset()
    emp_id, asset_id = emp.id, asset.id
    case_id = offboarding.open_case(emp, date.today(), CTX).id
    db.session.commit()
    out, cleared = checkout(app, asset_id, emp_id), clear(app, case_id)
    (out if checkout_first else cleared).hold = threading.Event()
    first_then_second(*((out, cleared) if checkout_first else (cleared, out)))
    held, lines, status = held_and_lines(emp_id)
    if checkout_first:  # the clearance then sees the new line, open: refused
        assert out.error is None and cleared.error is not None and cleared.error.code == 409
        assert held == lines == {asset_id} and status == "leaving"
    else:  # the checkout then sees "left": refused, nothing checked out
        assert cleared.error is None and out.error is not None and out.error.code == 409
        assert "has left" in out.error.message
        assert held == lines == set() and status == "left"


def test_many_rounds_of_racing_checkouts_and_cases(app):
    """No pauses: both start together, in whichever order the database lets them run."""
    for _ in range(12):
        emp, asset, kept = create_employee(), create_asset(), create_asset()
        emp_id, asset_id = emp.id, asset.id
        assignment.check_out(kept.id, emp_id, CTX)
        db.session.commit()
        start_line = threading.Barrier(2)
        workers = checkout(app, asset_id, emp_id, start_line=start_line), open_case(app, emp_id, start_line=start_line)
        for w in workers:
            w.start()
        finish(*workers)
        assert [w.error for w in workers] == [None, None]
        held, lines, status = held_and_lines(emp_id)
        assert held == lines == {asset_id, kept.id} and status == "leaving"
