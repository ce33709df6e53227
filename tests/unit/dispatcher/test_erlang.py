"""Erlang C / A staffing formulas against a published example and at large scale."""

from __future__ import annotations

import math

import pytest

from dispatcher.core.erlang import (
    agents_required,
    asa,
    erlang_a,
    erlang_b,
    erlang_c,
    service_level,
    traffic,
)


def _erlang_c_by_logs(c: int, a: float) -> float:
    """Textbook formula evaluated with log-gamma, an independent check for large c."""
    log_top = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    peak = max([*terms, log_top])
    top = math.exp(log_top - peak)
    return top / (sum(math.exp(t - peak) for t in terms) + top)


def test_published_example_needs_14_agents_for_80_percent_in_20_seconds():
    a = traffic(calls=100, interval_seconds=1800, aht=180)
    assert a == 10.0
    assert agents_required(a, aht=180, target=0.8, threshold=20) == 14
    assert erlang_c(14, a) == pytest.approx(0.1741, abs=5e-4)
    assert service_level(14, a, aht=180, threshold=20) == pytest.approx(0.888, abs=1e-3)
    assert service_level(13, a, aht=180, threshold=20) < 0.8


def test_asa_of_the_published_example_is_about_8_seconds():
    assert asa(14, 10.0, aht=180) == pytest.approx(7.84, abs=0.01)


def test_overloaded_queue_always_waits():
    assert erlang_c(10, 10.0) == 1.0
    assert asa(10, 12.0, aht=180) == math.inf
    assert service_level(9, 10.0, aht=180, threshold=20) == 0.0


def test_erlang_c_is_stable_and_exact_for_thousands_of_agents():
    for c, a in [(1_000, 950.0), (1_500, 1_450.0), (5_000, 4_900.0)]:
        value = erlang_c(c, a)
        assert 0.0 < value < 1.0
        assert value == pytest.approx(_erlang_c_by_logs(c, a), rel=1e-9)


def test_staffing_for_a_very_large_center_is_found():
    a = 2_000.0
    n = agents_required(a, aht=300, target=0.9, threshold=15)
    assert service_level(n, a, 300, 15) >= 0.9 > service_level(n - 1, a, 300, 15)
    assert 2_000 < n < 2_100


def test_erlang_b_matches_its_definition_for_small_systems():
    a, c = 3.0, 4
    direct = (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))
    assert erlang_b(c, a) == pytest.approx(direct, rel=1e-12)


def test_erlang_a_with_endless_patience_is_erlang_c():
    result = erlang_a(14, 10.0, aht=180, patience=1e9)
    assert result.p_wait == pytest.approx(erlang_c(14, 10.0), rel=1e-6)
    assert result.mean_wait == pytest.approx(asa(14, 10.0, 180), rel=1e-5)


def test_impatient_customers_wait_less_and_some_abandon():
    result = erlang_a(14, 10.0, aht=180, patience=60)
    assert result.p_wait < erlang_c(14, 10.0)
    assert 0 < result.p_abandon < result.p_wait
    assert erlang_a(2_000, 1_990.0, aht=180, patience=120).p_wait < 1.0


def test_bad_staffing_inputs_are_refused():
    with pytest.raises(ValueError, match="target"):
        agents_required(10.0, 180, 1.5, 20)
    with pytest.raises(ValueError, match="traffic"):
        erlang_c(5, -1.0)
