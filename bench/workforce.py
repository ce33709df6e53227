"""Benchmark: the schedule's forecast and staffing on 8 weeks of synthetic seasonal history for
4 programs (one queue each, different volumes, growth and handle times) in a scratch SQLite
database: the backtest MAPE of Holt-Winters and of the seasonal average per queue (goal: the
chosen method ≤ 15%), and the time to forecast and staff 4 programs × 6 weeks (goal < 5 s).

Not measured here yet (the issue's full benchmark): 1,000 contractors booking by tier, the fill
rate of needed seats and the week replayed through the router for the service-level share.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agents.models import Program
from database.engine import make_engine, make_session_factory
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from migrations import migrate
from workforce import plan
from workforce.synthetic import seed_history, weekly_profile
from workforce.weeks import week_label

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # a Wednesday; history = the 8 weeks before
MONDAY = datetime(2026, 11, 2, tzinfo=UTC)
PROGRAMS = (  # code, peak contacts per 30 min, growth per week, mean handle seconds
    ("alpha", 220.0, 0.03, 180.0),
    ("bravo", 140.0, 0.01, 240.0),
    ("charlie", 90.0, 0.02, 300.0),
    ("delta", 300.0, 0.0, 150.0),
)
WEEKS_AHEAD = 6


def _seed(sessions) -> None:
    with sessions.begin() as session:
        for n, (code, peak, growth, aht) in enumerate(PROGRAMS):
            session.add(Program(code=code, name=code.title(), client_name="Bench"))
            session.add(RoutingQueue(queue_id=f"{code}-q", program=code,
                                     data=encode(Queue(f"{code}-q", program=code))))  # fmt: skip
            seed_history(session=session, queue_id=f"{code}-q", seed=n + 1,
                         start=MONDAY - timedelta(weeks=8), weeks=8,
                         profile=weekly_profile(peak, opens=7, closes=22), growth=growth,
                         aht=aht)  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.workforce", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(the same run: it is short)")
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        sessions = make_session_factory(engine)
        began = time.perf_counter()
        _seed(sessions)
        seeded = time.perf_counter() - began
        rows, began = [], time.perf_counter()
        with sessions() as session:
            for code, *_ in PROGRAMS:
                weeks = plan.forecast_weeks(session=session, queue_id=f"{code}-q", monday=MONDAY,
                                            weeks=WEEKS_AHEAD, now=NOW)  # fmt: skip
                rows.append((code, weeks))
        planned = time.perf_counter() - began
        engine.dispose()
    print(f"Forecast and staffing: 4 programs, 8 weeks of history each (seeded in {seeded:.1f} s)")
    print(f"{'queue':<10}{'holt-winters':>14}{'seasonal avg':>14}{'chosen':>18}"
          f"{'week 1 contacts':>17}{'agent-hours':>13}")  # fmt: skip
    figures = {}
    for code, weeks in rows:
        mapes, first = weeks[0].mapes, weeks[0]
        hours = sum(s.agents_needed for s in first.slots) / 2
        contacts = sum(s.contacts for s in first.slots)
        print(f"{code + '-q':<10}{mapes['holt-winters']:>14.1%}{mapes['seasonal-average']:>14.1%}"
              f"{first.method:>18}{contacts:>17,.0f}{hours:>13,.0f}")  # fmt: skip
        figures[code] = {"mape_holt_winters": round(mapes["holt-winters"], 4),
                         "mape_seasonal_average": round(mapes["seasonal-average"], 4),
                         "method": first.method}  # fmt: skip
    worst = max(min(f["mape_holt_winters"], f["mape_seasonal_average"]) for f in figures.values())
    print(
        f"Worst chosen MAPE {worst:.1%} (goal ≤ 15%); forecast + staff 4 programs × "
        f"{WEEKS_AHEAD} weeks from {week_label(MONDAY)}: {planned:.2f} s (goal < 5 s)"
    )
    result = {"benchmark": "workforce", "queues": figures, "worst_mape": round(worst, 4),
              "mape_goal_met": worst <= 0.15, "plan_seconds": round(planned, 3),
              "plan_goal_met": planned < 5.0, "fill_rate": None, "sl_share": None}  # fmt: skip
    print("BENCH " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
