"""A job run once a day at a time of Japan, in a background thread (`dxplan serve` runs the
reminders so when DXPLAN_REMIND_DAILY_AT is set)."""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable

from dxplan.fiscal import JST

log = logging.getLogger(__name__)


def next_run(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """The first time `at` (Japan) after `now`."""
    local = now.astimezone(JST)
    planned = datetime.datetime.combine(local.date(), at, JST)
    return planned if planned > local else planned + datetime.timedelta(days=1)


def start_daily(at: datetime.time, job: Callable[[datetime.date], object]) -> threading.Event:
    """Run `job(today in Japan)` every day at `at` until the returned event is set; an error is
    logged and the next day runs again."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            now = datetime.datetime.now(JST)
            planned = next_run(now, at)
            if stop.wait((planned - now).total_seconds()):
                return
            try:
                job(planned.date())
            except Exception:
                log.exception("the daily job of %s failed", planned.date())

    threading.Thread(target=loop, name="dxplan-daily", daemon=True).start()
    return stop
