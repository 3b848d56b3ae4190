"""The worker's log lines as ``key=value``: each line about a job carries its ``job_id`` and
``district`` (so one job's lines can be picked out of several workers' output), and never
what the job holds (no scenario contents, no doctor names).

A line gets its keys from ``extra=`` (:func:`job_log` makes an adapter that adds them);
:class:`KeyValueFormatter` prints every such key after the message."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import MutableMapping
from typing import Any

#: The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
_BARE = re.compile(r"^[\w.:/@+-]+$")


def _value(value: Any) -> str:
    text = str(value)
    return text if _BARE.match(text) else json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """The format string's line, then `` key=value`` for each ``extra=`` key (sorted; a
    value with spaces or quotes is quoted as JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        keys = sorted(k for k in vars(record) if k not in _STANDARD and not k.startswith("_"))
        if not keys:
            return line
        pairs = " ".join(f"{k}={_value(getattr(record, k))}" for k in keys)
        head, sep, rest = line.partition("\n")  # a traceback goes after the keys
        return f"{head} {pairs}{sep}{rest}"


class JobLog(logging.LoggerAdapter[logging.Logger]):
    """A logger whose lines carry one job's ``job_id`` and ``district``."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, Any]:
        kwargs["extra"] = {**(self.extra or {}), **(kwargs.get("extra") or {})}
        return msg, kwargs


def job_log(logger: logging.Logger, job_id: str, district: str) -> JobLog:
    return JobLog(logger, {"job_id": job_id, "district": district})


def configure(pid: int) -> None:
    """The worker process's logging: INFO and up on stderr, ``key=value`` after each line."""
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter(f"%(levelname)s [worker {pid}] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
