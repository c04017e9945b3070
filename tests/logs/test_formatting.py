"""Log lines as text and as JSON."""

import json
import logging
import re
import sys

import pytest

from eventschema.logs import JSONFormatter, TextFormatter, log_config


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "eventschema.capture", "levelno": logging.INFO, "levelname": "INFO"})
    record.msg, record.args = message, args
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_basics_and_the_extra_fields() -> None:
    record = _record("quarantined %d events", 3, project_id=1, reasons={"type_mismatch": 2, "missing_required": 1})

    line = JSONFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry.pop("timestamp"))
    assert entry == {
        "level": "INFO",
        "logger": "eventschema.capture",
        "message": "quarantined 3 events",
        "pid": record.process,
        "project_id": 1,
        "reasons": {"type_mismatch": 2, "missing_required": 1},
    }


def test_a_traceback_stays_inside_its_json_line() -> None:
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = _record("failed")
        record.exc_info = sys.exc_info()

    line = JSONFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed"
    assert entry["exception"].startswith("Traceback")
    assert "ValueError: bad\nthing" in entry["exception"]


def test_values_json_cannot_hold_are_written_as_text() -> None:
    entry = json.loads(JSONFormatter().format(_record("x", thing=object(), nested={1: "a"})))

    assert entry["thing"].startswith("<object object")
    assert entry["nested"] == {"1": "a"}


def test_text_lines() -> None:
    line = TextFormatter().format(_record("quarantined %d events", 3, project_id=1))

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO eventschema\.capture quarantined 3 events", line)


@pytest.mark.parametrize(("log_format", "formatter"), [("text", TextFormatter), ("json", JSONFormatter)])
def test_the_configuration_sends_every_logger_through_one_formatter(log_format: str, formatter: type) -> None:
    config = log_config(log_format, "info")  # type: ignore[arg-type]

    assert config["formatters"]["line"]["()"] == f"{formatter.__module__}.{formatter.__qualname__}"
    assert config["root"]["handlers"] == ["stderr"]
    assert config["loggers"]["eventschema"] == {"level": "INFO"}
    assert config["disable_existing_loggers"] is False
