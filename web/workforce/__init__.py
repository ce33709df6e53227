"""Schedule pages: the agent's "My schedule" and the supervisor's week planning."""
