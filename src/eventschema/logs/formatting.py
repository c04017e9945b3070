"""Log lines as text or as one JSON object each, for every logger of the process (ours, uvicorn's, libraries').

Structured fields ride on records as `extra={...}`: the JSON format writes each one as a key beside timestamp,
level, logger and message; the text format writes the message alone, so a message must read well by itself.
"""

import logging
import logging.config
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

LogFormat = Literal["text", "json"]

# What every LogRecord carries; anything else on a record came in through `extra`.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def _timestamp(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """`2026-11-30T03:10:00.123Z INFO eventschema.access GET /_health 200 0.4ms 127.0.0.1:50312`"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record.created)} {record.levelname} {record.name} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JSONFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, pid, the record's extra fields, and the
    traceback (as `exception`) if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


def log_config(log_format: LogFormat, level: str) -> dict[str, Any]:
    """A logging.config.dictConfig document (also what uvicorn's `log_config` takes): every record to stderr in
    `log_format`; eventschema's loggers from `level`, everyone else's (uvicorn's start-up chatter too) from WARNING."""
    formatter = JSONFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}},
        "loggers": {
            "eventschema": {"level": level.upper()},
            "uvicorn": {"level": "WARNING"},
            # uvicorn's own access log has no duration; eventschema.access replaces it.
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def configure(log_format: LogFormat, level: str) -> None:
    logging.config.dictConfig(log_config(log_format, level))
