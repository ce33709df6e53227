"""The figures of a system run (bench/system.py): the Result, its readable report and its
machine-readable BENCH summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench._cluster import Options


@dataclass
class Result:
    options: Options
    created: int = 0
    completed: int = 0
    canceled: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    rss_kib: dict[str, int] = field(default_factory=dict)
    fault: dict[str, float | str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    cancel_reasons: dict[str, int] = field(default_factory=dict)
    agents_connected: int = 0
    kib_per_agent: float = 0.0
    moved_agents: list[str] = field(default_factory=list)
    agent_notes: dict[str, int] = field(default_factory=dict)
    rss_samples: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    growth_kib: dict[str, int] = field(default_factory=dict)
    warm_up: float = 0.0

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(result: Result) -> dict:
    """The figures of one run, machine-readable (the CI test reads this line)."""
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    return {
        "web": result.options.web, "fault": result.options.fault,
        "agents_connected": result.agents_connected, "created": result.created,
        "completed": result.completed, "canceled": result.canceled,
        "offers_measured": len(result.latencies),
        "offer_p50_ms": None if p50 is None else round(p50 * 1000, 1),
        "offer_p99_ms": None if p99 is None else round(p99 * 1000, 1),
        "completed_per_second": round(result.completed / max(result.seconds, 1e-9), 3),
        "kib_per_agent": round(result.kib_per_agent), "rss_kib": result.rss_kib,
        "fault_figures": result.fault, "failures": result.failures,
        "growth_kib": result.growth_kib, "growth_bound_mib": result.options.max_growth_mib,
        "warm_up_seconds": result.warm_up, "agent_notes": result.agent_notes,
        "rss_samples": [[round(at), rss] for at, rss in result.rss_samples],
    }  # fmt: skip


def report(result: Result) -> str:
    o = result.options
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    lines = [
        f"web processes {o.web}, agents {o.agents} ({result.agents_connected} signed in), "
        f"{o.seconds:.0f} s at {o.calls_per_minute:g} calls + {o.chats_per_minute:g} chats/min,"
        f" fault: {o.fault}",
        f"  tasks {result.created}: completed {result.completed}, canceled {result.canceled} "
        f"{result.cancel_reasons}; {result.completed / max(result.seconds, 1e-9):.2f} completed/s",
        "  offer latency (engine decision → agent's socket): "
        + (
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms over {len(result.latencies)}"
            if p99 is not None
            else "no offers"
        ),  # fmt: skip
        "  memory KiB: "
        + ", ".join(f"{k} {v}" for k, v in sorted(result.rss_kib.items()))
        + f"; web processes grew {result.kib_per_agent:.0f} KiB per connected agent",
    ]
    if result.agent_notes:
        lines.append("  simulated agents noted: " + ", ".join(
            f"{k} ×{v}" for k, v in sorted(result.agent_notes.items())))  # fmt: skip
    if result.growth_kib:
        lines.append(
            f"  memory growth after the first {result.warm_up / 60:g} min (KiB; bound "
            f"{o.max_growth_mib:g} MiB per process): "
            + ", ".join(f"{k} {v:+d}" for k, v in sorted(result.growth_kib.items()))
        )
    for name, value in result.fault.items():
        lines.append(f"  fault: {name}: {value:.3f}" if isinstance(value, float)
                     else f"  fault: {name}: {value}")  # fmt: skip
    passed = ("all passed (every task terminal with a reason, never held by two agents, nobody "
              "over capacity, statistics = recount)")  # fmt: skip
    lines.append("  checks: " + (f"{len(result.failures)} FAILED" if result.failures else passed))
    lines.extend(f"    - {failure}" for failure in result.failures)
    return "\n".join(lines)
