"""Twilio webhooks under /twilio/: voice (IVR, hold, agent legs, status callbacks) and
Conversations (SMS, WhatsApp), declared on the one blueprint of `web.twilio.webhooks`."""

from web.twilio import conversations, voice
from web.twilio.webhooks import bp

ROUTES = (conversations, voice)
__all__ = ["ROUTES", "bp"]
