"""`crowdline bench [NAME] [ARGS]`: the benchmarks in bench/, run as their own program.

bench/ stands above the composition root (it drives whole processes, as a user would), so the
root does not import it: it starts `python -m bench NAME ARGS` with this Python, the way it
names gunicorn, and answers with that program's exit status."""

from __future__ import annotations

import subprocess
import sys

import click

HARNESS = "bench"  # the package run with `python -m`: bench/__main__.py


@click.command("bench", context_settings={"ignore_unknown_options": True})
@click.argument("name", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(name: str | None, args: tuple[str, ...]):
    """Run benchmark NAME from bench/ (all of them when omitted); extra ARGS go to it."""
    command = [sys.executable, "-m", HARNESS, *([name] if name else []), *args]
    status = subprocess.call(command)
    if status:
        raise SystemExit(status)
