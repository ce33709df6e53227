"""The crowd's schedule: forecast, staffing, blocks, commitments, tiers, adherence."""
