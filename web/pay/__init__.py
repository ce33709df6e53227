"""Pay pages: weekly statements (agents their own, staff any agent's), CSV, payouts, adjustments."""
