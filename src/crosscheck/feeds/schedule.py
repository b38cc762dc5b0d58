"""When to poll: durations as people write them, due times, and back-off after errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``15m``, ``1h30m``, ``90s``, ``2d``; raises ValueError for anything else (a unit is required)."""
    compact = text.strip().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not compact or "".join(f"{number}{unit}" for number, unit in parts) != compact:
        raise ValueError(f"not a duration: {text!r} (write 90s, 15m, 1h30m or 2d)")
    return sum(float(number) * _UNITS[unit.lower()] for number, unit in parts)


def format_duration(seconds: float) -> str:
    """``900`` → ``15m``, ``5400`` → ``1h30m``."""
    left = round(seconds)
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size:
            out += f"{left // size}{unit}"
            left %= size
    return out or "0s"


def now_utc() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with seconds (what the feeds tables store; sorts as text)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def wait_after(interval: float, failures: int, max_backoff: float, retry_after: float | None = None) -> float:
    """Seconds until the next poll: the interval, doubled per consecutive failure up to ``max_backoff``, and no
    sooner than the server's Retry-After (itself capped at ``max_backoff``)."""
    wait = interval if failures <= 0 else max(interval, min(max_backoff, interval * 2.0**failures))
    if retry_after is not None:
        wait = max(wait, min(retry_after, max_backoff))
    return wait


def due_at(now: datetime, seconds: float) -> str:
    return stamp(now + timedelta(seconds=seconds))


def older_than(moment: str | None, seconds: float, now: datetime) -> bool:
    """True when ``moment`` (a stored timestamp) is at least ``seconds`` before ``now``, or unknown."""
    when = parse_stamp(moment)
    return when is None or (now - when).total_seconds() >= seconds
