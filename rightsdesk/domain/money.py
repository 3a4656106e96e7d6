"""Exact money arithmetic. Amounts are Decimal; rounding happens only where DOMAIN.md says."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_to_minor_unit(amount: Decimal, minor_units: int) -> Decimal:
    """Round half-up to the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units), rounding=ROUND_HALF_UP)
