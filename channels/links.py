"""Absolute webhook URLs under the public base URL: what we hand Twilio (and the simulated
carrier) is exactly what they sign and request back."""

from __future__ import annotations

from urllib.parse import urlencode


class Links:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def url(self, path: str, **query: str) -> str:
        given = {k: v for k, v in query.items() if v is not None}
        return f"{self.base}{path}" + (f"?{urlencode(given)}" if given else "")

    # Voice -------------------------------------------------------------------------------
    def incoming(self) -> str:
        return self.url("/twilio/voice/incoming")

    def menu(self) -> str:
        return self.url("/twilio/voice/menu")

    def hold(self, task_id: str) -> str:
        return self.url("/twilio/voice/hold", task=task_id)

    def call_status(self) -> str:
        return self.url("/twilio/voice/status")

    def agent_answer(self, task_id: str, reservation_id: str, agent_id: str) -> str:
        return self.url(
            "/twilio/voice/agent", task=task_id, reservation=reservation_id, agent=agent_id
        )

    def agent_choice(self, task_id: str, reservation_id: str, agent_id: str) -> str:
        return self.url(
            "/twilio/voice/agent/answer", task=task_id, reservation=reservation_id, agent=agent_id
        )

    def agent_status(self, task_id: str, reservation_id: str, agent_id: str) -> str:
        return self.url(
            "/twilio/voice/agent/status", task=task_id, reservation=reservation_id, agent=agent_id
        )

    def consult_status(self, task_id: str, agent_id: str) -> str:
        return self.url("/twilio/voice/consult/status", task=task_id, agent=agent_id)

    def fallback(self, task_id: str, kind: str) -> str:
        return self.url("/twilio/voice/fallback", task=task_id, kind=kind)

    def recording(self, task_id: str) -> str:
        return self.url("/twilio/voice/recording", task=task_id)

    def rejoin(self, task_id: str) -> str:
        return self.url("/twilio/voice/rejoin", task=task_id)

    def survey(self, task_id: str) -> str:
        return self.url("/twilio/voice/survey", task=task_id)

    def survey_answer(self, task_id: str, attempt: int = 1) -> str:
        return self.url("/twilio/voice/survey/answer", task=task_id, attempt=str(attempt))

    def call_recording(self, task_id: str) -> str:
        return self.url("/twilio/voice/call-recording", task=task_id)

    # Chat --------------------------------------------------------------------------------
    def conversations(self) -> str:
        return self.url("/twilio/conversations")


def conference_name(task_id: str) -> str:
    return f"task-{task_id}"
