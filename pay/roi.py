"""ROI figures of a program over a period and how they are derived: the contact figures come
from the event log, conversions from dispositions, agent cost from the pay ledger, telephony
cost = carrier minutes × the configured rate per channel (TELEPHONY_RATES).

CSAT = the share of the program's survey answers rated 4 or 5 (quality.csat's "top two boxes")
among the answers given in the period, None when nobody answered; csat_responses counts them.
cost = agent cost + telephony cost; cost per contact = cost / contacts answered; revenue =
conversions × the program's revenue per conversion (None when not configured); margin =
revenue − cost. Money is rounded half-up to the cent once, on the period's figure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pay.money import CENT, ZERO, cents

CHANNELS = ("voice", "sms", "whatsapp", "web")
DEFAULT_RATES = {"voice": Decimal("0.0140"), "sms": ZERO, "whatsapp": ZERO, "web": ZERO}
_PAIR = re.compile(r"^\s*([a-z]+)\s*=\s*([0-9.]+)\s*$")


def parse_telephony_rates(raw: str | None, error: type[Exception] = ValueError) -> dict:
    """TELEPHONY_RATES "voice=0.014,sms=0.0079" → per-minute rates by channel (channels left
    out keep their default: voice 0.014, others 0); `error` names the variable and the reason."""
    rates = dict(DEFAULT_RATES)
    for part in filter(None, (raw or "").split(",")):
        found = _PAIR.match(part)
        rate = _rate(found[2]) if found and found[1] in CHANNELS else None
        if rate is None:
            raise error(f"TELEPHONY_RATES: {part.strip()!r} is not channel=rate, with a "
                        f"channel of {', '.join(CHANNELS)} and a rate of 0 to 100 per minute")
        rates[found[1]] = rate
    return rates


def _rate(raw: str) -> Decimal | None:
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and 0 <= rate <= 100 else None


@dataclass
class RoiFigures:
    contacts: int = 0  # offered to the program's queues
    answered: int = 0
    abandoned: int = 0
    answered_in_sl: int = 0
    wait_total: float = 0.0
    handled: int = 0
    handle_total: float = 0.0
    conversions: int = 0
    csat_responses: int = 0  # survey answers given in the period
    csat_satisfied: int = 0  # of which rated 4 or 5
    agent_cost: Decimal = ZERO
    minutes: dict[str, Decimal] = field(default_factory=dict)  # carrier minutes per channel

    def add(self, other: RoiFigures) -> RoiFigures:
        for name in ("contacts", "answered", "abandoned", "answered_in_sl", "wait_total",
                     "handled", "handle_total", "conversions", "agent_cost", "csat_responses",
                     "csat_satisfied"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for channel, minutes in other.minutes.items():
            self.minutes[channel] = self.minutes.get(channel, ZERO) + minutes
        return self

    def report(self, rates: dict[str, Decimal], revenue_per_conversion: Decimal | None) -> dict:
        telephony = sum((m * rates.get(c, ZERO) for c, m in self.minutes.items()), ZERO)
        telephony = telephony.quantize(CENT)
        cost = self.agent_cost + telephony
        revenue = (None if revenue_per_conversion is None
                   else Decimal(revenue_per_conversion) * self.conversions)  # fmt: skip
        base = self.answered + self.abandoned
        return {
            "contacts": self.contacts, "answered": self.answered, "abandoned": self.abandoned,
            "service_level": self.answered_in_sl / base if base else None,
            "asa": self.wait_total / self.answered if self.answered else None,
            "abandonment": self.abandoned / self.contacts if self.contacts else None,
            "aht": self.handle_total / self.handled if self.handled else None,
            "csat": (self.csat_satisfied / self.csat_responses if self.csat_responses
                     else None),
            "csat_responses": self.csat_responses, "conversions": self.conversions,
            "conversion_rate": self.conversions / self.answered if self.answered else None,
            "telephony_minutes": float(sum(self.minutes.values(), ZERO).quantize(CENT)),
            "agent_cost": cents(self.agent_cost), "telephony_cost": cents(telephony),
            "cost": cents(cost),
            "cost_per_contact": cents(cost / self.answered) if self.answered else None,
            "revenue": None if revenue is None else cents(revenue),
            "margin": None if revenue is None else cents(revenue - cost),
        }  # fmt: skip
