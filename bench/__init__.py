"""Benchmarks of Crowdline; each module's main() prints a table and a last `BENCH {json}` line."""
