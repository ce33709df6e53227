"""Training pages: the agent's courses, lessons, quizzes and certificates; staff course admin,
reports, transcripts and revocation."""
