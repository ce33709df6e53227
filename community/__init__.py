"""Crowd-service: per-program help communities (members, questions, answers, search)."""
