"""Twilio webhooks under /twilio/: voice and Conversations (`web.twilio.routes` gathers them on
the blueprint of `web.twilio.webhooks`)."""
