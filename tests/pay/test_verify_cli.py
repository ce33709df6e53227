"""`crowdline pay verify --from D --to D` on a real database: 0 differences exits 0; a
corrupted entry is printed and exits non-zero; bad days are refused naming the option."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from click.testing import CliRunner
from sqlalchemy import update

from crowdline.cli import cli
from pay.models import PayEntry


def _run(floor, *args):
    url = floor.db.url.render_as_string(hide_password=False)
    env = {"DATABASE_URL": url, "REDIS_URL": "", "PUBLIC_URL": "", "SECRET_KEY": "",
           "TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": "", "CARRIER_URL": ""}  # fmt: skip
    return CliRunner().invoke(cli, ["pay", "verify", *args], env=env)


def test_pay_verify_recounts_the_ledger_and_fails_on_a_corrupted_entry(floor_factory):
    floor = floor_factory(rates=("0.25", "0.40"))
    ann, bob = floor.agents
    floor.status(ann, "available")
    floor.status(bob, "available")
    for n in range(4):
        task = floor.call(f"c{n}")
        floor.accept(task.task_id)
        floor.clock.advance(17.3 * (n + 1))
        floor.submit(("wrap_up", {"task_id": task.task_id}))
        floor.clock.advance(31)
        floor.engine.step()
    day = datetime.fromtimestamp(floor.clock.now(), UTC).date().isoformat()
    clean = _run(floor, "--from", day, "--to", day)
    assert clean.exit_code == 0, clean.output
    assert "4 talks in the event log, 4 ledger entries" in clean.output
    assert clean.output.strip().endswith(": 0 differences")

    entry = floor.entries()[2]
    with floor.db.begin() as connection:
        connection.execute(update(PayEntry).where(PayEntry.id == entry.id)
                           .values(talk_amount=entry.talk_amount + Decimal("0.01"),
                                   amount=entry.amount + Decimal("0.01")))  # fmt: skip
    corrupt = _run(floor, "--from", day, "--to", day)
    assert corrupt.exit_code == 1
    assert f"entry {entry.id}" in corrupt.output and "talk_amount" in corrupt.output
    assert ": 2 differences" in corrupt.output

    backwards = _run(floor, "--from", day, "--to", "2020-01-01")
    assert backwards.exit_code == 2 and "--to" in backwards.output
    assert _run(floor, "--from", "yesterday", "--to", day).exit_code == 2
