"""Which telephony gateway a deployment uses: Twilio when its credentials are configured, else
the simulated carrier (the embedded default: a laptop with no Twilio account)."""

from __future__ import annotations

from channels.signing import webhook_token
from channels.simulated import SimulatedCarrier
from channels.twilio_gateway import TwilioGateway


def default_gateway(settings, *, base_url: str | None = None, transport=None):
    """`settings` needs twilio_account_sid, twilio_auth_token, secret_key and public_url."""
    if settings.twilio_account_sid and settings.twilio_auth_token:
        return TwilioGateway(
            account_sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token
        )
    if getattr(settings, "carrier_url", None):
        from channels.remote import RemoteGateway

        return RemoteGateway(settings.carrier_url)
    return SimulatedCarrier(
        base_url=base_url or settings.public_url or "http://127.0.0.1:5000",
        auth_token=webhook_token(None, settings.secret_key),
        transport=transport,
    )
