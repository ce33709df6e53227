"""SMS to a phone outside any conversation (an agent's schedule reminder), sent through the
telephony gateway from one of the program's numbers."""

from __future__ import annotations

import logging
from collections.abc import Callable

from channels import entry_points
from channels.gateway import TelephonyGateway

log = logging.getLogger(__name__)


def texter(sessions, gateway: TelephonyGateway) -> Callable[[int, str, str], str | None]:
    """send(program_id, to, body) → the message sid, or None when the program has no number
    to send from (logged). GatewayError propagates: the caller decides."""

    def send(program_id: int, to: str, body: str) -> str | None:
        with sessions() as session:
            number = entry_points.sending_number(session=session, program_id=program_id)
        if number is None:
            log.warning("no number of program %s to send an SMS from", program_id)
            return None
        return gateway.send_text(to=to, from_=number, body=body)

    return send
