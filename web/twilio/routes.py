"""The Twilio webhook modules: voice (IVR, hold, agent legs, status callbacks) and
Conversations (SMS, WhatsApp), each declaring its routes on the blueprint of
`web.twilio.webhooks`; the app registers `bp` from here."""

from web.twilio import conversations, recordings, surveys, voice
from web.twilio.webhooks import bp

ROUTES = (conversations, voice, surveys, recordings)
__all__ = ["ROUTES", "bp"]
