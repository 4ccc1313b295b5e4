"""promtool's expanding notation for series values, as Prometheus documents it
(https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/#series):

* ``a+bxn`` is ``a a+b a+2b … a+nb`` (n + 1 values), ``a-bxn`` counts down, ``axn`` repeats ``a`` n + 1 times;
* ``_`` is a missing sample, ``_xn`` is n missing samples;
* plain numbers stand for themselves; items are separated by spaces.

So ``100x9 40x19 100x29`` is 10 samples of 100, then 20 of 40, then 30 of 100.
"""

from __future__ import annotations

import re

_ITEM = re.compile(
    r"^(?P<gap>_)(?:x(?P<gapn>\d+))?$"
    r"|^(?P<a>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?:(?P<sign>[-+])(?P<b>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?))?"
    r"(?:x(?P<n>\d+))?$"
)
MAX_SAMPLES = 1_000_000  # one run's series stay bounded (a year of minutes is 525,600)


class ValuesError(ValueError):
    """Text outside the notation; the message names the item."""


def expand(text: str) -> list[float | None]:
    """The samples of ``text``, None for a missing one."""
    out: list[float | None] = []
    for item in text.split():
        m = _ITEM.match(item)
        if m is None:
            raise ValuesError(f"'{item}' is not a value (expected e.g. 100, 100x9, 1+2x5, 5-1x3, _ or _x4)")
        if m.group("gap"):
            count = int(m.group("gapn")) if m.group("gapn") else 1
            _room(out, count, item)
            out.extend([None] * count)
            continue
        a = float(m.group("a"))
        if m.group("n") is None:
            if m.group("b") is not None:
                raise ValuesError(f"'{item}' has a step but no count (write e.g. {item}x5)")
            _room(out, 1, item)
            out.append(a)
            continue
        n = int(m.group("n"))
        step = float(m.group("b") or 0) * (-1 if m.group("sign") == "-" else 1)
        _room(out, n + 1, item)
        out.extend(a + i * step for i in range(n + 1))
    return out


def _room(out: list[float | None], more: int, item: str) -> None:
    if len(out) + more > MAX_SAMPLES:
        raise ValuesError(f"'{item}' makes the series longer than {MAX_SAMPLES} samples")
