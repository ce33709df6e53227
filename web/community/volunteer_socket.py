"""/volunteer namespace: a volunteer's console — the agent console's offers, web chats,
replies, typing and end (web.console.namespace), for a super user who opted in. Calls,
consults and transfers to a named agent are refused; handing a chat back sends it to the
certified paid agents of its queue."""

from __future__ import annotations

from web.community.identity import current_member
from web.community.volunteer_identity import my_volunteer_id
from web.console import calls
from web.console.namespace import AgentNamespace
from web.realtime import writes


def _refused() -> dict:
    return {"ok": False, "error": "volunteers take web chats only"}


class VolunteerNamespace(AgentNamespace):
    """/volunteer: refused unless signed in as a super user who volunteers (see
    web.community.volunteer_identity); every event is checked as on /agent."""

    def me(self) -> str | None:
        return my_volunteer_id()

    def author_name(self) -> str:
        return current_member().display_name

    def on_hold(self, data=None):
        """Volunteer → hold: refused (volunteers take no calls)."""
        return _refused()

    def on_mute(self, data=None):
        """Volunteer → mute: refused."""
        return _refused()

    def on_consult(self, data=None):
        """Volunteer → consult: refused."""
        return _refused()

    def on_end_consult(self, data=None):
        """Volunteer → end_consult: refused."""
        return _refused()

    @writes
    def on_transfer(self, data=None):
        """Volunteer → {task_id}; ack {ok, done, error?}: the volunteer's own web chat goes back
        to its queue, where only certified paid agents are offered it (the routing rule)."""
        me = self.me()
        if me is None:
            return {"ok": False, "error": "sign in as a volunteer"}
        return calls.transfer(me, {"task_id": (data or {}).get("task_id")})
