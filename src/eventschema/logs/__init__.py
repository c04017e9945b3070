"""Logging for the server: one line per record, as text or as JSON, and the access log."""

from eventschema.logs.access import ACCESS_LOGGER, AccessLog
from eventschema.logs.formatting import JSONFormatter, TextFormatter, configure, log_config

__all__ = ["ACCESS_LOGGER", "AccessLog", "JSONFormatter", "TextFormatter", "configure", "log_config"]
