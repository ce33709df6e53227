"""Staffing per slot against pyworkforce's Erlang C (an independent oracle), and the forecast
methods on synthetic weekly series."""

from __future__ import annotations

import numpy as np
import pytest
from pyworkforce.queuing import ErlangC

from workforce import forecast
from workforce.history import WEEK_SLOTS
from workforce.staffing import agents_needed
from workforce.synthetic import weekly_profile

CASES = [
    (calls, aht, target, threshold, occupancy, shrinkage)
    for calls in (3, 12, 60, 150, 400, 1200)
    for aht in (90, 180, 420)
    for target, threshold in ((0.8, 20), (0.9, 30), (0.7, 60))
    for occupancy, shrinkage in ((0.85, 0.3), (1.0, 0.0), (0.75, 0.15))
]


@pytest.mark.parametrize(("calls", "aht", "target", "threshold", "occupancy", "shrinkage"), CASES)
def test_agents_needed_matches_pyworkforce_within_one_agent(
    calls, aht, target, threshold, occupancy, shrinkage
):
    oracle = ErlangC(transactions=calls, aht=aht / 60, asa=threshold / 60, interval=30,
                     shrinkage=shrinkage).required_positions(
        service_level=target, max_occupancy=occupancy)["positions"]  # fmt: skip
    ours = agents_needed(calls, aht, target=target, threshold=threshold,
                         max_occupancy=occupancy, shrinkage=shrinkage)  # fmt: skip
    assert abs(ours - oracle) <= 1, (ours, oracle)


def test_no_contacts_need_no_agents():
    assert agents_needed(0, 180, target=0.8, threshold=20, max_occupancy=0.85, shrinkage=0.3) == 0


def test_shrinkage_and_occupancy_only_ever_add_agents():
    plain = agents_needed(200, 180, target=0.8, threshold=20, max_occupancy=1.0, shrinkage=0)
    capped = agents_needed(200, 180, target=0.8, threshold=20, max_occupancy=0.7, shrinkage=0)
    shrunk = agents_needed(200, 180, target=0.8, threshold=20, max_occupancy=1.0, shrinkage=0.3)
    assert capped >= plain and shrunk > plain
    assert capped >= 200 * 180 / 1800 / 0.7


def test_the_seasonal_average_repeats_a_noise_free_week_exactly():
    week = weekly_profile(50)
    predicted = forecast.seasonal_average(np.tile(week, 5), WEEK_SLOTS * 2)
    assert np.allclose(predicted, np.tile(week, 2))
    assert forecast.mape(week, predicted[:WEEK_SLOTS]) == 0.0


def test_backtest_scores_both_methods_and_picks_the_lower_error():
    rng = np.random.default_rng(3)
    expected = np.concatenate([weekly_profile(120) * (1 + 0.03 * w) for w in range(8)])
    series = rng.poisson(expected).astype(float)
    choice = forecast.backtest(series)
    assert set(choice.mapes) == {forecast.HOLT_WINTERS, forecast.SEASONAL_AVERAGE}
    assert all(0 < m < 0.3 for m in choice.mapes.values())
    assert choice.mapes[choice.method] == min(choice.mapes.values())
    ahead = forecast.predict(series, WEEK_SLOTS, choice.method)
    assert ahead.shape == (WEEK_SLOTS,) and (ahead >= 0).all()
    assert forecast.mape(expected[-WEEK_SLOTS:] * 1.03, ahead) < 0.2


def test_too_little_history_falls_back_to_the_average_or_nothing():
    assert forecast.backtest(np.ones(WEEK_SLOTS * 2)).method == forecast.SEASONAL_AVERAGE
    assert not forecast.predict(np.ones(10), WEEK_SLOTS, forecast.HOLT_WINTERS).any()
    one_week = forecast.predict(np.ones(WEEK_SLOTS), 5, forecast.HOLT_WINTERS)
    assert np.allclose(one_week, 1)
