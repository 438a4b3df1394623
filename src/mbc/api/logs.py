"""Structured (JSON-lines) logs. Records carry hashed ids only: the ``mbc`` extra of a log
record is written as JSON fields; the message never contains patient data."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

__all__ = ["JsonFormatter", "configure_logging"]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg and the record's ``mbc`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        extra = getattr(record, "mbc", None)
        if isinstance(extra, dict):
            out.update(extra)
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__name__
        return json.dumps(out, sort_keys=True, default=str)


def configure_logging(fmt: str) -> None:
    """Attach one handler to the ``mbc.api`` logger (idempotent)."""
    logger = logging.getLogger("mbc.api")
    if any(getattr(h, "_mbc", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler._mbc = True  # type: ignore[attr-defined]
    handler.setFormatter(
        JsonFormatter() if fmt == "json" else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
