"""`bench workforce`'s database side: 4 programs (a queue, a certification course, hours 08–20
every day, 8 weeks of synthetic seasonal history each), N certified contractors of varied
availability, preference and reliability, and their bookings by tier through the real
workforce.bookings (higher tiers first, as their booking windows open)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program, Role, Stage, User
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from training import certification, enrolments
from training.importer import import_path
from training.models import Course
from workforce import bookings, hours, standing
from workforce.blocks import calendar_of
from workforce.errors import Conflict, InvalidValue, NotCertified
from workforce.models import Block, BlockStatus
from workforce.synthetic import seed_history, weekly_profile

COURSE = Path(__file__).resolve().parents[1] / "training" / "courses" / "acme-claims"
PROGRAMS = ("claims", "billing", "travel", "support")
AHT = {"claims": 240.0, "billing": 180.0, "travel": 300.0, "support": 200.0}
HISTORY_WEEKS = 8
# The simulated week (no US holiday in it) and the week the history ends before it.
WEEK = datetime(2027, 3, 1, tzinfo=UTC)  # a Monday
HISTORY_START = WEEK - timedelta(weeks=HISTORY_WEEKS + 2)
PUBLISHED_AT = WEEK - timedelta(days=15)
# Booking rounds (days before the week): the elite tier sees the week first, new agents last.
ROUNDS = (14, 11, 9, 7, 5, 3, 1)
TIER_SHARES = (("elite", 0.1), ("preferred", 0.2), ("standard", 0.4), ("new", 0.3))


@dataclass
class Contractor:
    agent_id: int
    tier: str
    programs: list[str]  # the programs they are certified for and prefer, in order
    days: set[int]  # weekdays 0-6 they can work
    first_hour: int
    last_hour: int  # exclusive
    wanted: int  # 30-minute blocks they want this week
    reliability: float  # chance of turning up for a booked block
    taken: set = field(default_factory=set)  # start times booked (they never ask for two at once)


def queue_of(program: str) -> str:
    return f"{program}-voice"


def profile(peak: float, program: str):
    weekend = {"travel": 0.8, "support": 0.6}.get(program, 0.45)
    return weekly_profile(peak, opens=8, closes=20, weekend=weekend)


def seed_programs(session: Session, peak: float) -> dict[str, int]:
    """The 4 programs with their queue, course, hours and history; {code: program id}."""
    made = {}
    with tempfile.TemporaryDirectory() as folder:
        for n, code in enumerate(PROGRAMS):
            program = Program(code=code, name=code.title(), client_name="Bench")
            session.add(program)
            session.flush()
            made[code] = program.id
            course = Path(folder) / code
            shutil.copytree(COURSE, course)
            text = (course / "course.yaml").read_text()
            (course / "course.yaml").write_text(text.replace("program: acme-claims",
                                                             f"program: {code}"))  # fmt: skip
            import_path(session=session, path=course)
            hours.set_hours(calendar_of(session=session, program_id=program.id),
                            [(d, 8 * 60, 20 * 60) for d in range(1, 8)])  # fmt: skip
            queue = Queue(queue_of(code), program=code, service_level_seconds=20.0)
            session.add(RoutingQueue(queue_id=queue.queue_id, program=code, data=encode(queue)))
            seed_history(session=session, queue_id=queue.queue_id, start=HISTORY_START,
                         weeks=HISTORY_WEEKS, profile=profile(peak, code), aht=AHT[code],
                         seed=n + 1)  # fmt: skip
    session.commit()
    return made


def seed_contractors(session: Session, count: int, seed: int) -> list[Contractor]:
    """`count` active contractors certified for 1–2 programs, each with a tier."""
    rng = Random(seed)
    programs = {p.code: p for p in session.scalars(select(Program))}
    courses = {c.program.code: c for c in session.scalars(select(Course))}
    certified_at = PUBLISHED_AT - timedelta(days=1)
    crowd = []
    for n in range(count):
        user = User(email=f"c{n}@bench.example.com", display_name=f"Contractor {n}",
                    password_hash="!", role=Role.AGENT)  # fmt: skip
        agent = Agent(user=user)
        session.add_all([user, agent])
        chosen = rng.sample(PROGRAMS, rng.choice((1, 1, 2)))
        agent.programs = [programs[c] for c in chosen]
        session.flush()
        for code in chosen:
            enrolment = enrolments.enrol(session=session, agent=agent, course=courses[code],
                                         now=certified_at)  # fmt: skip
            certification.issue(session=session, enrolment=enrolment,
                                scores=[1.0] * len(enrolment.version.modules), now=certified_at)
        agent.stage = Stage.ACTIVE
        crowd.append(_contractor(rng, agent.id, chosen))
        if crowd[-1].tier != standing.DEFAULT_TIER:
            standing.set_tier(session, agent.id, crowd[-1].tier, "bench", now=certified_at)
    session.commit()
    return crowd


def _contractor(rng: Random, agent_id: int, programs: list[str]) -> Contractor:
    pick, tier = rng.random(), "new"
    for code, share in TIER_SHARES:
        if pick < share:
            tier = code
            break
        pick -= share
    first = rng.randint(8, 15)
    days = set(rng.sample(range(7), rng.randint(3, 6)))
    budget = standing.TIERS[tier].weekly_blocks
    return Contractor(agent_id, tier, programs, days, first, min(20, first + rng.randint(3, 8)),
                      min(budget, rng.randint(8, 40)), rng.uniform(0.85, 1.0))  # fmt: skip


def book_week(session: Session, crowd: list[Contractor], until: datetime, seed: int) -> dict:
    """Every contractor books blocks they can work, round by round; {booked, refused}."""
    rng, booked, refused = Random(seed), 0, 0
    order = sorted(crowd, key=lambda c: -standing.TIERS[c.tier].rank)
    for days_before in ROUNDS:
        now = WEEK - timedelta(days=days_before)
        open_blocks = _open_blocks(session, until)
        for contractor in order:
            made, failed = _book(session, contractor, open_blocks, now, rng)
            booked, refused = booked + made, refused + failed
        session.commit()
    return {"booked": booked, "refused": refused}


def _open_blocks(session: Session, until: datetime) -> dict[str, list[Block]]:
    rows = session.scalars(select(Block).where(Block.status == BlockStatus.PUBLISHED,
                                               Block.starts_at < until)
                           .order_by(Block.starts_at))  # fmt: skip
    found: dict[str, list[Block]] = {}
    for block in rows:
        found.setdefault(block.queue_id, []).append(block)
    return found


def _book(session, contractor: Contractor, open_blocks, now: datetime, rng: Random):
    made = failed = 0
    tier = standing.TIERS[contractor.tier]
    for code in contractor.programs:
        for block in open_blocks.get(queue_of(code), []):
            if len(contractor.taken) >= contractor.wanted:
                return made, failed
            start = block.starts_at
            if (start.weekday() not in contractor.days or block.booked >= block.needed
                    or start in contractor.taken
                    or not contractor.first_hour <= start.hour < contractor.last_hour
                    or now < standing.opens_at(tier, start) or rng.random() < 0.1):  # fmt: skip
                continue
            try:
                bookings.commit(session=session, agent_id=contractor.agent_id,
                                block_id=block.id, now=now)  # fmt: skip
            except (Conflict, InvalidValue, NotCertified):
                failed += 1
                continue
            contractor.taken.add(start)
            made += 1
    return made, failed
