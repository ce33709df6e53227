"""Quality pages and media: recording playback, the QA review queue and scoring page, the
agent's reviews and score."""
