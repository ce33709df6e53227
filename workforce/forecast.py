"""Contacts per 30-minute slot: Holt-Winters (statsmodels ExponentialSmoothing, additive trend
and weekly seasonality) or a plain seasonal average of the last weeks, whichever backtests
better on the latest week of history (MAPE over the slots that had contacts)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from workforce.history import WEEK_SLOTS

AVERAGE_WEEKS = 4
HOLT_WINTERS = "holt-winters"
SEASONAL_AVERAGE = "seasonal-average"


def seasonal_average(series: np.ndarray, horizon: int) -> np.ndarray:
    """Each future slot = the mean of that slot of the week over the last AVERAGE_WEEKS weeks."""
    weeks = series.reshape(-1, WEEK_SLOTS)[-AVERAGE_WEEKS:]
    week = weeks.mean(axis=0)
    return np.resize(np.roll(week, -(len(series) % WEEK_SLOTS)), horizon)


def holt_winters(series: np.ndarray, horizon: int) -> np.ndarray:
    """Additive trend and weekly seasonality; needs at least two weeks of history."""
    # Imported here on purpose: statsmodels takes ~2 s to import (2.1 s measured) and only a
    # forecast needs it, so web and engine processes that never forecast do not pay at start.
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the optimiser on flat series
        model = ExponentialSmoothing(series, trend="add", seasonal="add",
                                     seasonal_periods=WEEK_SLOTS,
                                     initialization_method="heuristic")  # fmt: skip
        fitted = model.fit(optimized=True, use_brute=False)
        return np.clip(fitted.forecast(horizon), 0.0, None)


METHODS = {HOLT_WINTERS: holt_winters, SEASONAL_AVERAGE: seasonal_average}


def mape(actual: np.ndarray, predicted: np.ndarray) -> float | None:
    """Mean absolute percentage error over the slots with contacts (None if there are none)."""
    mask = actual > 0
    if not mask.any():
        return None
    return float(np.mean(np.abs(predicted[mask] - actual[mask]) / actual[mask]))


@dataclass(frozen=True)
class Choice:
    method: str
    mapes: dict[str, float | None]  # method → backtest MAPE (0-1) on the latest week


def backtest(series: np.ndarray) -> Choice:
    """Fit on all but the last week, forecast it, and pick the method with the lower MAPE."""
    weeks = len(series) // WEEK_SLOTS
    if weeks < 3 or not series[-WEEK_SLOTS:].any() or not series[:-WEEK_SLOTS].any():
        return Choice(SEASONAL_AVERAGE, {SEASONAL_AVERAGE: None, HOLT_WINTERS: None})
    train, test = series[:-WEEK_SLOTS], series[-WEEK_SLOTS:]
    mapes = {name: mape(test, predict(train, WEEK_SLOTS, name)) for name in METHODS}
    scored = {k: v for k, v in mapes.items() if v is not None}
    best = min(scored, key=scored.get) if scored else SEASONAL_AVERAGE
    return Choice(best, mapes)


def predict(series: np.ndarray, horizon: int, method: str) -> np.ndarray:
    if len(series) < 2 * WEEK_SLOTS:
        method = SEASONAL_AVERAGE
    if len(series) < WEEK_SLOTS or not series.any():
        return np.zeros(horizon)
    return METHODS[method](series, horizon) * np.resize(_ever_busy(series), horizon)


def _ever_busy(series: np.ndarray) -> np.ndarray:
    """1 for the slots of the week that had contacts in some week of the history, else 0: a
    slot that never had any (the night) is forecast at 0, whatever the trend adds."""
    weeks = series[: len(series) // WEEK_SLOTS * WEEK_SLOTS].reshape(-1, WEEK_SLOTS)
    return np.roll((weeks.max(axis=0) > 0).astype(float), -(len(series) % WEEK_SLOTS))
