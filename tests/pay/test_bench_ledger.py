"""`crowdline bench performance`'s ledger check: the benchmark's routing events through the
real pay projection, recounted by `pay verify` with 0 differences, one entry per answered call."""

from __future__ import annotations

from decimal import Decimal

from bench._ledger import ledger_check
from bench.performance import Run, agents, arrivals
from dispatcher.core.model import Strategy


def test_the_benchmarks_ledger_has_an_entry_per_answered_call_and_no_difference():
    team = agents(3)
    run = Run(Strategy.PERFORMANCE, team)
    figures = run.run(arrivals(1, 0.02, 4)[:150])
    ledger = ledger_check(run.steps, "sales")
    assert ledger["ledger_differences"] == 0, ledger["ledger_first_differences"]
    assert ledger["ledger_entries"] == ledger["ledger_talks"] == figures["answered"] > 0
    assert Decimal(ledger["ledger_total"]) == Decimal(ledger["ledger_recomputed_total"]) > 0
