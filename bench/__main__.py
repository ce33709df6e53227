"""`python -m bench [NAME] [ARGS]`: run benchmark NAME (every one when omitted), found by module
name in this package; extra ARGS go to it. `crowdline bench` starts this program."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def available_benchmarks() -> list[str]:
    """The benchmark modules: every module of bench/ but the private helpers (`_name`)."""
    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    name, args = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else (None, argv)
    names = available_benchmarks()
    if name and name not in names:
        known = ", ".join(names) or "none"
        print(f"unknown benchmark '{name}'; available: {known}", file=sys.stderr)
        raise SystemExit(2)  # a usage error, as click answers one
    for each in [name] if name else names:
        print(f"== bench {each} ==", flush=True)
        importlib.import_module(f"bench.{each}").main(list(args))


if __name__ == "__main__":
    main()
