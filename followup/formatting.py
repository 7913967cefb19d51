"""Numbers the Swedish way: "1 234 567 kr", "87,5 %", "2,35". Used by templates and charts alike.

Thousands are grouped with a no-break space, so an amount never breaks across lines.
"""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
EMPTY = "–"


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def format_number(value, decimals: int = 0) -> str:
    """`1234567.5` → "1 234 568"; with decimals=1 → "1 234 567,5"; None → "–"."""
    if value is None or value == "":
        return EMPTY
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "−" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{fraction}" if fraction else text


def format_kronor(value) -> str:
    """Whole kronor: "1 234 567 kr"."""
    return EMPTY if value is None else f"{format_number(value)}{NBSP}kr"


def format_mnkr(value) -> str:
    """Millions of kronor with one decimal, for chart labels: "12,3 mnkr"."""
    return EMPTY if value is None else f"{format_number(Decimal(str(value)) / 1_000_000, 1)}{NBSP}mnkr"


def format_percent(value, decimals: int = 1) -> str:
    """Percent with one decimal: "87,5 %"."""
    return EMPTY if value is None else f"{format_number(value, decimals)}{NBSP}%"


def format_ratio(value) -> str:
    """Leverage as a factor: "2,35"."""
    return format_number(value, 2)


def format_missing(reason: str) -> str:
    """A figure that cannot be given, with the reason: "– (no frame decided)"; never "0,0 %"."""
    return f"{EMPTY} ({reason})" if reason else EMPTY
