"""Crowdline's composition root: settings, the `crowdline` command, the process entry points
(gunicorn's included), the demo, logging, the metrics server, the schema check and the one
wiring module that assembles every kind of process. Nothing below it imports it."""
