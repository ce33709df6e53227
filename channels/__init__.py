"""Channels: where customers reach Crowdline (Twilio voice and Conversations, the web chat
widget) — entry points, contacts, call legs, transcripts, the telephony gateway port with its
Twilio and simulated implementations, and the reactor that turns routing events into calls."""
