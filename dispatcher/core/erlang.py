"""Erlang B, C and A formulas for staffing: waiting probability, service level, ASA, agents needed.

Units: traffic `a` in Erlangs (arrival rate x average handle time), times in seconds. Every
formula runs the Erlang B recurrence B(n) = a*B(n-1) / (n + a*B(n-1)), whose values stay in
[0, 1], so it is exact and stable for thousands of agents where a^n / n! would overflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def traffic(calls: float, interval_seconds: float, aht: float) -> float:
    """Offered load in Erlangs: calls per interval x handle time / interval length."""
    if interval_seconds <= 0 or calls < 0 or aht < 0:
        raise ValueError("calls and aht must be >= 0, interval_seconds > 0")
    return calls * aht / interval_seconds


def erlang_b(agents: int, a: float) -> float:
    """Blocking probability of an M/M/c/c system with `agents` servers and `a` Erlangs."""
    _check(agents, a)
    b = 1.0
    for n in range(1, agents + 1):
        b = a * b / (n + a * b)
    return b


def erlang_c(agents: int, a: float) -> float:
    """Probability that a contact waits (M/M/c); 1.0 when a >= agents (the queue never drains)."""
    _check(agents, a)
    if a >= agents:
        return 1.0
    b = erlang_b(agents, a)
    return agents * b / (agents - a * (1.0 - b))


def service_level(agents: int, a: float, aht: float, threshold: float) -> float:
    """Share of contacts answered within `threshold` seconds: 1 - C * exp(-(c - a) * t / aht)."""
    c = erlang_c(agents, a)
    if a >= agents:
        return 0.0
    return 1.0 - c * math.exp(-(agents - a) * threshold / aht)


def asa(agents: int, a: float, aht: float) -> float:
    """Average speed of answer over all contacts, seconds: C * aht / (c - a); inf if a >= c."""
    if a >= agents:
        return math.inf
    return erlang_c(agents, a) * aht / (agents - a)


def agents_required(a: float, aht: float, target: float, threshold: float) -> int:
    """Fewest agents whose service level within `threshold` seconds reaches `target` (0-1)."""
    if not 0 < target < 1:
        raise ValueError(f"target must be between 0 and 1, got {target}")
    _check(0, a)
    b, n = 1.0, 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n > a:
            c = n * b / (n - a * (1.0 - b))
            if 1.0 - c * math.exp(-(n - a) * threshold / aht) >= target:
                return n


@dataclass(frozen=True, slots=True)
class ErlangA:
    """M/M/c+M (Erlang A) results; waits are seconds over all arrivals."""

    p_wait: float
    p_abandon: float
    mean_wait: float
    mean_queue: float


def erlang_a(agents: int, a: float, aht: float, patience: float) -> ErlangA:
    """Erlang A: exponential patience with mean `patience` seconds; exact birth-death sums.

    Tail terms are products of lambda / (c*mu + k*theta), summed in log space.
    """
    _check(agents, a)
    if agents < 1 or aht <= 0 or patience <= 0:
        raise ValueError("agents >= 1, aht > 0 and patience > 0 are required")
    lam, mu, theta = a / aht, 1.0 / aht, 1.0 / patience
    log_head = -math.log(erlang_b(agents, a)) if a > 0 else 0.0  # sum_{n<=c} pi_n / pi_c
    log_terms = _tail_log_terms(lam, agents * mu, theta)
    scale = max([log_head, 0.0, *log_terms])
    head = math.exp(log_head - scale)
    at_c = math.exp(-scale)
    tail = sum(math.exp(t - scale) for t in log_terms)
    queue = sum(j * math.exp(t - scale) for j, t in enumerate(log_terms, start=1))
    norm = head + tail
    mean_queue = queue / norm
    return ErlangA(
        p_wait=(at_c + tail) / norm,
        p_abandon=theta * mean_queue / lam if lam > 0 else 0.0,
        mean_wait=mean_queue / lam if lam > 0 else 0.0,
        mean_queue=mean_queue,
    )


def _tail_log_terms(lam: float, service: float, theta: float) -> list[float]:
    """log of prod_{k=1..j} lam / (service + k*theta) for j = 1, 2, ... until negligible."""
    terms: list[float] = []
    log_t, peak, k = 0.0, 0.0, 0
    while True:
        k += 1
        log_t += math.log(lam / (service + k * theta)) if lam > 0 else -math.inf
        if log_t == -math.inf:
            return terms
        terms.append(log_t)
        peak = max(peak, log_t)
        if log_t < peak - 40.0 and lam < service + k * theta:
            return terms


def _check(agents: int, a: float) -> None:
    if agents < 0 or a < 0 or not math.isfinite(a):
        raise ValueError(f"agents and traffic must be >= 0 and finite, got {agents}, {a}")
