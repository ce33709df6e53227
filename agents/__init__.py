"""The contractor roster: users and roles, agent profiles, client programs, audit log."""
