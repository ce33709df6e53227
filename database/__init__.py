"""Shared SQL plumbing: declarative base, engines, sessions and migrations for every domain."""
