"""Logging of the web app's Twilio webhooks: each runs with its task in scope (the log filter
of `crowdline.logs` stamps it on every line) and logs one INFO line."""

from __future__ import annotations

import logging

from flask import Flask, g, request

from dispatcher.telemetry import clean_task_id, current_task

webhook_log = logging.getLogger("web.twilio.requests")


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
