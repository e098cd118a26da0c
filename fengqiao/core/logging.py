"""Structured logs for production: one JSON object a line (time, level, logger, message, the
request id and client address of the request being served), ready for journald, Loki or ELK.
Never logs personal data on its own: what a message says is up to its caller."""

import json
import logging
from datetime import UTC, datetime

from fengqiao.core.context import current_request

STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = current_request.get()
        if context is not None:
            entry["request_id"] = str(context.request_id)
            entry["client"] = context.ip_address
        for key, value in vars(record).items():
            if key not in STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
