"""Quality: CSAT surveys after calls and chats, call recordings with consent and retention, QA
scorecards on sampled contacts with calibration, and the per-program performance score that
feeds the `performance` routing strategy."""
