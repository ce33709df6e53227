"""`crowdline bench workforce --quick` runs end to end on the real workforce code and router and
its BENCH line is consistent with itself (no rate or duration is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_quick_workforce_benchmark_prints_a_consistent_bench_line():
    done = subprocess.run([sys.executable, "-m", "bench", "workforce", "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("BENCH ")
    r = json.loads(last.removeprefix("BENCH "))
    assert r["bench"] == "workforce" and r["contractors"] == 100 and r["days"] == 1
    assert set(r["mape"]) == {f"{p}-voice" for p in ("claims", "billing", "travel", "support")}
    for mapes in r["mape"].values():
        assert mapes["chosen"] in ("holt-winters", "seasonal-average")
        assert all(mapes[m] is not None and mapes[m] >= 0
                   for m in ("holt-winters", "seasonal-average"))  # fmt: skip
    assert 0 < r["seats_booked"] <= r["seats_needed"] and r["blocks"] > 0
    assert r["booked"] >= r["seats_booked"]
    assert r["answered"] + r["abandoned"] <= r["calls"] and r["answered"] > 0
    assert r["adherence"]["blocks"] == r["booked"]
    assert 0 < r["adherence"]["share"] <= 1
    assert r["adherence"]["no_shows"] + r["adherence"]["on_time"] <= r["booked"]
    assert 0 < r["sl_slots_met"] <= r["slots_with_calls"]
    figures = r["figures"]
    assert abs(figures["fill"] - r["seats_booked"] / r["seats_needed"]) < 1e-3
    assert abs(figures["sl_slots"] - r["sl_slots_met"] / r["slots_with_calls"]) < 1e-3
    assert set(r["met"]) == set(r["goals"]) == {"mape", "fill", "sl_slots", "forecast_seconds"}
    assert r["met"]["fill"] == (figures["fill"] >= r["goals"]["fill"])
    assert r["met"]["mape"] == (figures["mape"] <= r["goals"]["mape"])
