"""Which telephony gateway a deployment uses: Twilio when its credentials are configured, else
the `crowdline carrier` process when CARRIER_URL is set, else an in-process simulated carrier
(the embedded default: a laptop with no Twilio account)."""

from __future__ import annotations

from pathlib import Path

from channels.gateway import TelephonyGateway
from channels.remote import RemoteGateway
from channels.signing import webhook_token
from channels.simulated import SimulatedCarrier
from channels.twilio_gateway import TwilioGateway

DEFAULT_WEB_URL = "http://127.0.0.1:5000"


def default_gateway(settings, *, base_url: str | None = None, transport=None) -> TelephonyGateway:
    """`settings` needs twilio_account_sid, twilio_auth_token, secret_key and public_url."""
    if settings.twilio_account_sid and settings.twilio_auth_token:
        return TwilioGateway(
            account_sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token
        )
    if getattr(settings, "carrier_url", None):
        return RemoteGateway(settings.carrier_url)
    return simulated_carrier(settings, base_url=base_url or settings.public_url or DEFAULT_WEB_URL,
                             transport=transport)  # fmt: skip


def simulated_carrier(settings, *, base_url: str, transport=None, **options) -> SimulatedCarrier:
    """A simulated carrier posting webhooks to `base_url`, signed with the deployment's key;
    its call recordings are WAV files under the instance folder's `recordings/`."""
    instance = getattr(settings, "instance_path", None)
    if instance is not None:
        options.setdefault("recordings_dir", Path(instance) / "recordings")
    return SimulatedCarrier(base_url=base_url, auth_token=webhook_token(None, settings.secret_key),
                            transport=transport, **options)  # fmt: skip
