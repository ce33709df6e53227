"""Logging of the `crowdline` processes (run, engine, demo): readable text by default, one JSON
object per line with LOG_FORMAT=json. Every line written while a task is in scope carries its
`task_id` (dispatcher.telemetry.current_task), so one contact can be followed across the web
and engine processes: `grep '"task_id": "CA…"'` over their logs."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, g, request

from dispatcher.telemetry import clean_task_id, current_task

HANDLER_NAME = "crowdline"
# Chatty at INFO without saying anything about contacts (APScheduler logs every job run).
QUIET_AT_INFO = ("apscheduler",)
webhook_log = logging.getLogger("web.twilio.requests")


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


def init_app(app: Flask) -> None:
    """Twilio webhooks run with their task in scope and log one INFO line each. The task is the
    `task` query parameter of the URLs Crowdline gives Twilio, else the ConversationSid, else
    the CallSid (an inbound call's task id is its CallSid; a dial-back leg's status callback
    names its own CallSid)."""
    app.before_request(_enter_webhook_task)
    app.after_request(_log_webhook)
    app.teardown_request(_leave_webhook_task)


def _enter_webhook_task() -> None:
    if request.blueprint != "twilio":
        return
    form = request.form
    task_id = clean_task_id(
        request.args.get("task") or form.get("ConversationSid") or form.get("CallSid")
    )
    if task_id is not None:
        g.crowdline_task_token = current_task.set(task_id)


def _log_webhook(response):
    """One line per webhook, so each web process shows every step of a contact it served."""
    if request.blueprint == "twilio":
        webhook_log.info("%s %s -> %s", request.method, request.path, response.status_code)
    return response


def _leave_webhook_task(_error=None) -> None:
    # A kept-alive connection serves its next request on the same thread: leave no task behind.
    token = g.pop("crowdline_task_token", None)
    if token is not None:
        current_task.reset(token)
