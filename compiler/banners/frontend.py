"""Today's sign-in page, reproduced: what vets-website shows, so a reviewer sees what the per-method rules change.

The rules, as read in department-of-veterans-affairs/vets-website
``src/platform/user/authentication/downtime.js`` (commit 14284f5e) and
``.../components/DowntimeBanner.js``, summarised with sources in the project's
VA process research (``process-facts-va.md`` §2.4, W1–W3):

* one hard-coded list, ``AUTH_DEPENDENCIES`` = idme, ssoe, dslogon, mhv, mvi,
  logingov (an older variant, 95f83dd0, omits mhv), for every user: the page
  does not read ``oauth``, so there is no SiS/SSOe split;
* a key is down when it is in that list and its status is anything but
  ``active`` (``serviceCheck``), ``maintenance`` included;
* more than one down → the multiple-services banner; one down → its banner,
  and a key without a banner of its own falls back to the ``mvi`` banner;
* no statuses in the response → the ``mvi`` banner (the page mimics an MVI
  error when the backend gives it nothing);
* maintenance: the *first* window whose key is ``global`` or in the list
  (``determineMaintenance``), shown from start − 2 h (``subHours(..., 2)``,
  fixed in code) until its end.

Where the code is silent — both an outage and a maintenance notice apply — the
outage wins here, as in ``decide``; the difference between the two functions
is then only the rules above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial

from compiler.banners.config import BannerConfig, BannerText
from compiler.banners.decide import Cause, Decision, ServiceStatus, Window, as_status

FRONTEND_AUTH_DEPENDENCIES: tuple[str, ...] = ("idme", "ssoe", "dslogon", "mhv", "mvi", "logingov")
"""vets-website ``AUTH_DEPENDENCIES`` (downtime.js @14284f5e)."""
FRONTEND_GLOBAL_KEY = "global"
FRONTEND_MAINTENANCE_LEAD = timedelta(hours=2)
FALLBACK_KEY = "mvi"


def _fallback_text(config: BannerConfig) -> BannerText:
    entry = config.dependencies.get(FALLBACK_KEY)
    return entry.banner if entry is not None else config.multiple_services


def decide_current(
    config: BannerConfig,
    statuses: Mapping[str, ServiceStatus | str],
    windows: Iterable[Window],
    auth_method: str,
    now: datetime,
) -> Decision:
    """What today's page shows ``auth_method``'s users — the same for every method, by construction."""
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    decision = partial(Decision, auth_method=auth_method)
    if not statuses:
        reason = "the backend reported no statuses, and today's page then shows the 'mvi' banner"
        return decision(banner="service", text=_fallback_text(config), key=FALLBACK_KEY, reason=reason)
    causes = [
        Cause(key, current.status, current.incident)
        for key in sorted(statuses)
        if key in FRONTEND_AUTH_DEPENDENCIES and (current := as_status(statuses[key])).status != "active"
    ]
    if len(causes) > 1:
        reason = f"{len(causes)} of today's AUTH_DEPENDENCIES are not active, whatever the sign-in method: "
        reason += "; ".join(c.describe() for c in causes)
        return decision(banner="multiple_services", text=config.multiple_services, causes=tuple(causes), reason=reason)
    if causes:
        cause = causes[0]
        entry = config.dependencies.get(cause.key)
        reason = f"{cause.describe()}; today's page shows it to every sign-in method"
        if entry is None:
            reason += " (no banner of its own: the 'mvi' banner)"
        text, key = (_fallback_text(config), FALLBACK_KEY) if entry is None else (entry.banner, cause.key)
        return decision(banner="service", text=text, key=key, causes=(cause,), reason=reason)
    eligible = {FRONTEND_GLOBAL_KEY, *FRONTEND_AUTH_DEPENDENCIES}
    first = next(
        (w for w in sorted(windows, key=lambda w: (w.start, w.id)) if eligible & set(w.keys)),
        None,
    )
    if first is not None and first.start - FRONTEND_MAINTENANCE_LEAD <= now <= first.end:
        reason = (
            f"maintenance window '{first.id}' on {', '.join(first.keys)}: today's page shows the first "
            "such window from 2 h before its start"
        )
        return decision(banner="maintenance", text=config.maintenance, window=first, reason=reason)
    return decision(banner="none", reason="every key of today's AUTH_DEPENDENCIES is active and no maintenance is due")
