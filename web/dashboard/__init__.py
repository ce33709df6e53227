"""The supervisor dashboard: its page, its numbers (from the engine's statistics) and the
/supervisor Socket.IO namespace that tells open dashboards to fetch them again."""
