"""The mock Finesse's clock, the leaf every other module reads the time from."""

import datetime as dt

UTC = dt.UTC


def now() -> dt.datetime:
    """The current time (aware, UTC)."""
    return dt.datetime.now(UTC)


def format_timestamp(moment: dt.datetime) -> str:
    """Finesse's REST timestamp: UTC with milliseconds and ``Z`` (``2012-04-20T18:27:25.683Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
