"""The ledger's one rounding rule, used when an entry is written and when `pay verify` redoes it.

- talk seconds: the event log's float difference, rounded half-up to the millisecond;
- talk amount  = talk seconds × rate per minute / 60, rounded half-up to the cent, per entry;
- bonus amount = talk seconds × bonus per minute / 60, rounded half-up to the cent, per entry;
- amount = talk amount + bonus amount. Totals (statements, payouts, my-day) are sums of entry
  amounts and are never rounded again, so every total equals the sum of its lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MILLISECOND = Decimal("0.001")
ZERO = Decimal("0")


def seconds_between(start: float, end: float) -> Decimal:
    """Talk seconds between two event-log instants (never negative)."""
    return max(ZERO, Decimal(repr(end - start)).quantize(MILLISECOND, rounding=ROUND_HALF_UP))


def per_minute(seconds: Decimal, rate: Decimal) -> Decimal:
    """`seconds` paid at `rate` per minute, to the cent."""
    return (seconds * Decimal(rate) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> str:
    """A money value as the API shows it: a string with two decimals."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
