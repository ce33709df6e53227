"""`crowdline engine` runs the channel reactor beside the engine: an offer of a voice task made
by that process is acted on by it (an agent who cannot be rung becomes a rejected offer)."""

from __future__ import annotations

import signal
import time

from sqlalchemy import select

from channels import contacts, entry_points
from channels.models import WebhookReceipt
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from tests.channels.helpers import NUMBER
from tests.factories import make_program
from tests.system_helpers import OutputWatcher, start_crowdline
from tests.waiting import wait_until


def test_the_engine_process_rings_agents_through_its_channel_reactor(fresh_db):
    db, sessions = fresh_db
    with sessions.begin() as session:
        make_program(session, code="acme", name="Acme Insurance")
        entry = entry_points.save(
            session=session, address=NUMBER, program_code="acme", queue_id="claims"
        )
        for kind, payload in [
            ("configure_queue", {"queue": encode(Queue("claims", reservation_timeout=30))}),
            ("register_agent", {"agent_id": "nophone", "queues": {"claims": 1}}),
            ("set_status", {"agent_id": "nophone", "status": "available"}),
        ]:
            commands.submit(session, kind, payload, now=time.time())
        contact, _ = contacts.open_chat(
            session=session, task_id="CA" + "e" * 32, channel="voice", entry=entry,
            customer="+15557770009",
        )  # fmt: skip
        contacts.enqueue(session=session, contact=contact)
    process = start_crowdline(
        ["engine", "--web-url", "http://127.0.0.1:9"], db.url.render_as_string(hide_password=False)
    )
    output = OutputWatcher(process)
    try:

        def offer_rejected_by_the_reactor():
            with sessions() as session:
                keys = session.scalars(select(WebhookReceipt.key)).all()
            return [key for key in keys if key.startswith("reject:")]

        wait_until(offer_rejected_by_the_reactor)
        assert any("with the channel reactor" in line for _at, line in output.lines)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
