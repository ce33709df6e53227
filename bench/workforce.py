"""Benchmark: the crowd's schedule end to end, on the real workforce code and the real router.

On a fresh migrated SQLite database in a temporary folder: 4 programs (hours 08–20 every day,
a certification course each) with 8 weeks of synthetic seasonal history in the routing event
log (workforce.synthetic); the backtest MAPE of Holt-Winters and the seasonal average per queue
(workforce.forecast, on the latest history week); the time to forecast and staff the 4 programs
× 6 weeks (workforce.plan.forecast_weeks, Erlang C per slot); the week published
(workforce.publishing); N contractors (default 1,000) certified for 1–2 programs, of varied
tier, availability (days, hours), wanted blocks and reliability, who book through
workforce.bookings round by round as their tier's window opens. The week is then replayed
through dispatcher.core's Router on a manual clock (bench._workforce_replay); the agents'
status changes go into the event log, where workforce.adherence measures each booked block.
Reported: fill rate (booked seats / needed seats), adherence (available minutes / booked
minutes), the share of 30-minute slots with calls whose service level met the program's
target (80 % within 20 s). Goals: MAPE ≤ 15 %, fill ≥ 95 %, SL slots ≥ 90 %, forecast < 5 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bench import _workforce_crowd as crowd
from bench import _workforce_replay as replay
from database.engine import make_engine, make_session_factory
from dispatcher.sql_store import SqlStore
from migrations import migrate
from workforce import adherence, plan, publishing
from workforce.models import Block, BlockStatus, Commitment, CommitmentState

GOALS = {"mape": 0.15, "fill": 0.95, "sl_slots": 0.90, "forecast_seconds": 5.0}
FORECAST_WEEKS = 6
SL_TARGET = 0.8
THRESHOLD = 20.0
GROWTH = 0.02  # workforce.synthetic's default, continued into the simulated week


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="crowdline bench workforce", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="100 contractors and 1 day instead of 7")  # fmt: skip
    parser.add_argument("--contractors", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    contractors = args.contractors or (100 if args.quick else 1000)
    days = 1 if args.quick else 7
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'workforce.db'}")
        try:
            migrate.upgrade(engine)
            result = run(make_session_factory(engine), engine, contractors, days, args.seed)
        finally:
            engine.dispose()
    report(result)
    return result


def run(sessions, engine, contractors: int, days: int, seed: int) -> dict:
    peak = 0.1 * contractors  # contacts per slot at the midday top, so demand ≈ half the supply
    started = time.perf_counter()
    with sessions() as session:
        crowd.seed_programs(session, peak)
        mapes, forecast_seconds = forecast_all(session)
        published = publishing.publish_week(session=session, monday=crowd.WEEK,
                                            now=crowd.PUBLISHED_AT)  # fmt: skip
        session.commit()
        team = crowd.seed_contractors(session, contractors, seed)
        until = crowd.WEEK + timedelta(days=days)
        booking = crowd.book_week(session, team, until, seed + 1)
        fill = fill_of(session, until)
        booked = booked_blocks(session, until)
    expected = {crowd.queue_of(c): crowd.profile(peak, c) * (1 + GROWTH * (crowd.HISTORY_WEEKS + 2))
                for c in crowd.PROGRAMS}  # fmt: skip
    calls = replay.arrivals(expected, crowd.WEEK, days, seed + 2)
    on_duty = replay.shifts(booked, {c.agent_id: c.reliability for c in team}, seed + 3)
    served = {c.agent_id: {crowd.queue_of(p) for p in c.programs} for c in team}
    week = replay.Week({crowd.queue_of(c): crowd.AHT[c] for c in crowd.PROGRAMS}, served,
                       crowd.WEEK.timestamp() - 3600, THRESHOLD)  # fmt: skip
    week.run(calls, on_duty)
    save_statuses(engine, week.steps)
    with sessions() as session:
        kept = adherence_of(session, until)
    levels = week.service_levels()
    return {
        "bench": "workforce", "contractors": contractors, "days": days, "programs": len(mapes),
        "mape": mapes, "forecast_seconds": round(forecast_seconds, 3),
        "forecast_weeks": FORECAST_WEEKS,
        "published_blocks": sum(p.blocks for p in published), **fill, **booking,
        "shifts": len(on_duty), "calls": len(calls), "answered": week.answered,
        "abandoned": week.abandoned, "adherence": kept,
        "slots_with_calls": len(levels),
        "sl_slots_met": sum(level >= SL_TARGET for level in levels),
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip


def forecast_all(session) -> tuple[dict, float]:
    """{queue: {method: backtest MAPE}} and the seconds to forecast and staff 4 × 6 weeks."""
    began, mapes = time.perf_counter(), {}
    for code in crowd.PROGRAMS:
        weeks = plan.forecast_weeks(session=session, queue_id=crowd.queue_of(code),
                                    monday=crowd.WEEK, weeks=FORECAST_WEEKS,
                                    now=crowd.PUBLISHED_AT)  # fmt: skip
        mapes[weeks[0].queue_id] = {"chosen": weeks[0].method, **{
            method: round(value, 4) if value is not None else None
            for method, value in weeks[0].mapes.items()}}  # fmt: skip
    return mapes, time.perf_counter() - began


def _blocks(session, until):
    return session.scalars(select(Block).where(Block.status == BlockStatus.PUBLISHED,
                                               Block.starts_at < until))  # fmt: skip


def fill_of(session, until) -> dict:
    rows = list(_blocks(session, until))
    needed = sum(b.needed for b in rows)
    filled = sum(min(b.booked, b.needed) for b in rows)
    return {"blocks": len(rows), "seats_needed": needed, "seats_booked": filled}


def booked_blocks(session, until) -> dict[int, list]:
    rows = session.execute(select(Commitment.agent_id, Block.starts_at, Block.queue_id)
                           .join(Block, Commitment.block_id == Block.id)
                           .where(Commitment.state == CommitmentState.BOOKED,
                                  Block.starts_at < until))  # fmt: skip
    found: dict[int, list] = {}
    for agent_id, starts_at, queue_id in rows:
        found.setdefault(agent_id, []).append((starts_at, queue_id))
    return found


def save_statuses(engine, steps) -> None:
    """The agents' status changes into the event log (all workforce.adherence reads)."""
    events = [e for step in steps for e in step if e.name == "AgentStatusChanged"]
    with engine.begin() as connection:
        SqlStore(connection).append_events(events)


def adherence_of(session, until) -> dict:
    rows = []
    for commitment, block in session.execute(
            select(Commitment, Block).join(Block, Commitment.block_id == Block.id)
            .where(Commitment.state == CommitmentState.BOOKED, Block.starts_at < until)):
        rows.append(adherence.block_adherence(session, commitment.agent_id, block,
                                              until + timedelta(days=1)))  # fmt: skip
    return {"share": adherence.adherence_share(rows) or 0.0, "blocks": len(rows),
            "no_shows": sum(r.no_show for r in rows),
            "on_time": sum(r.on_time for r in rows)}  # fmt: skip


def report(r: dict) -> None:
    print(f"{r['contractors']:,} contractors, {r['programs']} programs, {r['days']} days; "
          f"8 weeks of history; {r['calls']:,} calls replayed through the router "
          f"({r['seconds']} s)")
    print(f"{'queue':<16}{'Holt-Winters':>14}{'seasonal avg':>14}  chosen")
    for queue_id, m in r["mape"].items():
        print(f"{queue_id:<16}{_pct(m.get('holt-winters')):>14}"
              f"{_pct(m.get('seasonal-average')):>14}  {m['chosen']}")
    best = max(min(v for k, v in m.items() if k != "chosen" and v is not None)
               for m in r["mape"].values())
    fill = r["seats_booked"] / r["seats_needed"] if r["seats_needed"] else 0.0
    sl = r["sl_slots_met"] / r["slots_with_calls"] if r["slots_with_calls"] else 0.0
    figures = {"mape": best, "fill": fill, "sl_slots": sl,
               "forecast_seconds": r["forecast_seconds"]}  # fmt: skip
    met = {k: (v <= GOALS[k] if k in ("mape", "forecast_seconds") else v >= GOALS[k])
           for k, v in figures.items()}  # fmt: skip
    print(f"forecast and staff {r['programs']} programs × {r['forecast_weeks']} weeks: "
          f"{r['forecast_seconds']:.2f} s")
    print(f"{r['blocks']:,} blocks, {r['seats_needed']:,} seats needed, {r['seats_booked']:,} "
          f"booked ({fill:.1%}); {r['booked']:,} bookings, {r['refused']:,} refused")
    a = r["adherence"]
    print(f"adherence {a['share']:.1%} over {a['blocks']:,} booked blocks ({a['no_shows']:,} "
          f"no-shows, {a['on_time']:,} on time); answered {r['answered']:,}, abandoned "
          f"{r['abandoned']:,}; {r['sl_slots_met']:,} of {r['slots_with_calls']:,} slots met "
          f"{SL_TARGET:.0%} in {THRESHOLD:.0f} s ({sl:.1%})")
    print(f"{'goal':<18}{'figure':>10}{'target':>10}  met")
    for key, value in figures.items():
        shown = f"{value:.2f} s" if key == "forecast_seconds" else f"{value:.1%}"
        target = (f"< {GOALS[key]:.0f} s" if key == "forecast_seconds" else
                  f"{'≤' if key == 'mape' else '≥'} {GOALS[key]:.0%}")  # fmt: skip
        print(f"{key:<18}{shown:>10}{target:>10}  {met[key]}")
    r["figures"] = {k: round(v, 4) for k, v in figures.items()}
    r["goals"], r["met"] = GOALS, met
    print("BENCH " + json.dumps(r))


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


if __name__ == "__main__":
    main()
