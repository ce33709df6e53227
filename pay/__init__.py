"""Pay: the append-only per-contact ledger of talk time, statements, payouts and its verify."""
