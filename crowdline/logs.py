"""Logging of the `crowdline` processes (run, engine, demo, carrier, web): readable text by
default, one JSON object per line with LOG_FORMAT=json. Every line written while a task is in
scope carries its `task_id` (dispatcher.telemetry.current_task), so one contact can be followed
across the web and engine processes: `grep '"task_id": "CA…"'` over their logs."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from dispatcher.telemetry import current_task

HANDLER_NAME = "crowdline"
# Chatty at INFO without saying anything about contacts (APScheduler logs every job run).
QUIET_AT_INFO = ("apscheduler",)


class TaskFilter(logging.Filter):
    """Stamps `record.task_id` from the task in scope, unless the call passed extra={task_id}."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "task_id", None) is None:
            record.task_id = current_task.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, process, pid, thread,
    message, task_id when the line concerns a task, exception when one is logged."""

    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": self.process_name,
            "pid": record.process,
            "thread": record.threadName,
            "message": record.getMessage(),
        }
        task_id = getattr(record, "task_id", None)
        if task_id is not None:
            entry["task_id"] = task_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-11-23 16:14:04,123 INFO engine[4242] dispatcher.events [task CA…]: message`."""

    def __init__(self, process_name: str) -> None:
        super().__init__(
            f"%(asctime)s %(levelname)s {process_name}[%(process)d] %(name)s%(task)s: %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        task_id = getattr(record, "task_id", None)
        record.task = f" [task {task_id}]" if task_id is not None else ""
        return super().format(record)


def setup_logging(settings, *, process: str, stream=None) -> logging.Handler:
    """Route every logger of this process to one handler on stderr (or `stream`), in the format
    and at the level of the settings. Calling it again replaces that handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.name = HANDLER_NAME
    formatter = JsonFormatter if settings.log_format == "json" else TextFormatter
    handler.setFormatter(formatter(process))
    handler.addFilter(TaskFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.name == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    level = getattr(logging, settings.log_level.upper())
    root.setLevel(level)
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler
