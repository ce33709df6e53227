"""`crowdline bench [NAME] [ARGS]`: the benchmarks in bench/, found by name at run time."""

from __future__ import annotations

import importlib
import pkgutil

import click


def available_benchmarks() -> list[str]:
    try:
        package = importlib.import_module("bench")
    except ModuleNotFoundError:
        return []
    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


@click.command("bench", context_settings={"ignore_unknown_options": True})
@click.argument("name", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(name: str | None, args: tuple[str, ...]):
    """Run benchmark NAME from bench/ (all of them when omitted); extra ARGS go to it."""
    names = available_benchmarks()
    if name and name not in names:
        raise click.BadParameter(
            f"unknown benchmark '{name}'; available: {', '.join(names) or 'none'}",
            param_hint="NAME",
        )
    for each in [name] if name else names:
        click.echo(f"== bench {each} ==")
        module = importlib.import_module(f"bench.{each}")
        module.main(list(args))
