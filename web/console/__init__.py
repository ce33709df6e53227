"""The agent console: its page, its JSON reads and actions, and console presence."""
