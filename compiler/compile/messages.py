"""The text and the routing block of every alert message, written for the person paged at 3 a.m.

Routing follows Datadog's conditional variables (https://docs.datadoghq.com/monitors/notify/variables/), so
the notification simulator (``compiler.notify``) can prove it:

* paging handles (``@pagerduty-<service>``) and banner handles (``@pagerduty-status-<key>``) sit inside
  ``{{#is_alert}}``: a warning pages nobody and raises no banner;
* the same handles sit inside ``{{#is_alert_recovery}}``: ALERT → OK resolves the incident, and ALERT →
  WARNING notifies those recipients too (Datadog's note on ``is_alert_recovery``), so no incident stays open;
* for monitors that alert on missing data, paging handles also sit in ``{{#is_no_data}}`` and
  ``{{#is_no_data_recovery}}`` (a total outage reports nothing: the recovery procedures expect No Data to
  page); a banner is raised on No Data only when the monitor opts in (``banner_on_no_data``), because a
  metrics-pipeline gap must not tell every user that sign-in is broken;
* the team's channel and any extra handles are unconditional: warnings, recoveries and No Data go there.

Why not PagerDuty's severity-based urgency instead? With unconditional handles and ``severity_based``
urgency a warning still opens a (low-urgency) PagerDuty incident: it counts in the team's MTTA reports,
waits to be resolved by hand if the monitor goes warn → alert → warn, and on a status service any open
incident raises the banner whatever its urgency. The simulator shows both (``urgency_of``); alert-only
handles are the variant under which a warning opens nothing.

Datadog sends a monitor notification as an event, whose text is limited to 4,000 characters
(https://docs.datadoghq.com/api/latest/events/); PagerDuty shows about the first 1,024 characters as the
incident description. ``MESSAGE_LIMIT`` is checked by the tests on every compiled message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compiler.compile.one_page import PagedBy
from compiler.compile.routing import Declaration
from compiler.definitions import models as m
from compiler.definitions.models.teams import datadog_team
from compiler.definitions.types import Duration

MESSAGE_LIMIT = 4000
DECLARATION_PROMPT = "requires a declared incident"
"""Every declaration prompt says this: ``alertc test`` recognises the prompt by it (``declaration_lines``)."""

_GROUP_BY = re.compile(r"\bby\s*\{([^}]*)\}")


@dataclass(frozen=True)
class MessageContext:
    """What messages need beyond one monitor: links of the target's Datadog site, banner effects."""

    app_url: str = "https://app.datadoghq.com"
    banner_effects: dict[str, str] = field(default_factory=dict)  # banner key → "raises ... for users of ..."
    banner_routes: dict[str, str] | None = None  # banner key → its status service's handle; None: all keys ours
    paged_by: dict[str, PagedBy] = field(default_factory=dict)  # dependency monitor → the group that pages for it

    @property
    def incidents_url(self) -> str:
        return f"{self.app_url}/incidents"

    def slo_url(self, slo_id: str) -> str:
        return f"{self.app_url}/slo/manage?slo_id={slo_id}"


def app_url(site: str | None, subdomain: str | None) -> str:
    """The Datadog web app of a site (``ddog-gov.com`` → ``https://app.ddog-gov.com``), on the organisation's
    custom subdomain when it has one (``vagov`` → ``https://vagov.ddog-gov.com``)."""
    site = site or "datadoghq.com"
    if subdomain:
        return f"https://{subdomain}.{site}"
    first = site.split(".", 1)[0]
    if first in ("datadoghq", "ddog-gov"):
        return f"https://app.{site}"
    return f"https://{site}"  # regional sites (us3.datadoghq.com, ap1...) are their own app host


def group_keys(query: str) -> list[str]:
    """Tag keys a multi-alert query is grouped by (``... by {type}`` → ``['type']``)."""
    keys: list[str] = []
    for match in _GROUP_BY.finditer(query):
        keys += [k.strip() for k in match.group(1).split(",") if k.strip()]
    return list(dict.fromkeys(keys))


def group_line(query: str) -> str | None:
    keys = group_keys(query)
    if not keys:
        return None
    return "Group: " + ", ".join(f"{k} {{{{{k}.name}}}}" for k in keys) + " (only this group is affected)."


def severity_guidance(process: m.Process) -> list[str]:
    """The process's incident severities, as the line a responder uses to set the incident's severity."""
    out = []
    for sev in process.incident_severities:
        example = f" (e.g. {sev.example})" if sev.example else ""
        out.append(f"- {sev.name}: {sev.description}{example}")
    return out


def banner_effect(dependency: m.Dependency, methods: list[m.AuthMethod]) -> str:
    who = ", ".join(f"{a.title} ({a.selector})" for a in methods) or "no sign-in method"
    return f'Banner: raises "{dependency.banner.headline}" ({dependency.key}) for users signing in with {who}.'


def guidance_lines(*texts: str) -> list[str]:
    return [f"Guidance: {' '.join(t.split())}" for t in texts if t.strip()]


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def routing_block(
    *,
    paging: list[str],
    banners: list[str],
    always: list[str],
    no_data_pages: bool,
    banner_on_no_data: bool,
) -> list[str]:
    """The handle lines (see the module docstring for why each handle sits where it does)."""
    lines = []
    on_alert = [*paging, *banners]
    if on_alert:
        joined = " ".join(on_alert)
        lines += [
            f"{{{{#is_alert}}}}{joined}{{{{/is_alert}}}}",
            f"{{{{#is_alert_recovery}}}}{joined}{{{{/is_alert_recovery}}}}",
        ]
    on_no_data = [*(paging if no_data_pages else []), *(banners if banner_on_no_data else [])]
    if on_no_data:
        joined = " ".join(on_no_data)
        lines += [
            f"{{{{#is_no_data}}}}{joined}{{{{/is_no_data}}}}",
            f"{{{{#is_no_data_recovery}}}}{joined}{{{{/is_no_data_recovery}}}}",
        ]
    if always:
        lines.append(" ".join(always))
    return lines


_DEFAULT_HOLDER = {"on_call": "the paged on-call", "declarer": "whoever declares the incident"}


def role_lines(process: m.Process) -> list[str]:
    """Who does what once an incident is declared: the commander, the roles to claim, the running log."""
    lines = []
    commander = process.commander
    if commander is not None:
        holder = _DEFAULT_HOLDER.get(commander.default_holder or "")
        who = "exactly one person" if commander.holders == "one" else "one or more people"
        if holder:
            who += f", by default {holder}"
        duties = "; ".join(d[:1].lower() + d[1:] for d in commander.duties[:2])
        lines.append(f"{commander.title} ({who}): {duties}.")
    others = [r.title for r in process.roles if not r.commander and r.holders != "optional"]
    log = process.channels.running_log
    if log is not None:
        roles = f"; everyone states the role they hold ({', '.join(others)})" if others else ""
        lines.append(
            f"Announce it in {log} with its severity and topic{roles}. {log} is the running log: post every "
            "action there (a deploy, a migration)."
        )
    elif others:
        lines.append(f"Roles to fill: {', '.join(others)}.")
    return lines + postmortem_lines(process)


def postmortem_lines(process: m.Process) -> list[str]:
    """When the report is owed and who must hear of it, if the process says so (VA mobile's triggers)."""
    pm = process.postmortem
    if pm is None or not pm.triggers:
        return []
    role = process.role(pm.notify_role) if pm.notify_role else None
    tell = f"tell the {role.title} and " if role is not None else ""
    conditions = "; ".join(t[:1].lower() + t[1:] for t in pm.triggers)
    return [f"{capitalized(tell)}write a {pm.title.lower()} if any of these holds: {conditions}."]


def declaration_lines(
    process: m.Process, team: m.Team, context: MessageContext, *, after: str | None, priority: m.Priority
) -> list[str]:
    """What to do once the alert requires a declared incident: declare, set the severity, post updates."""
    lead = (
        f"Active for {after} or more: under the {process.incident_after} rule this is now {priority.name} and "
        f"{DECLARATION_PROMPT}."
        if after
        else f"{priority.name} {DECLARATION_PROMPT}."
    )
    severity = ["Set the incident severity:", *severity_guidance(process)] if process.incident_severities else []
    if process.channels.declare_in == "slack":
        log = process.channels.running_log  # the role lines announce it there
        channel = log or team.slack.incidents
        return [
            lead,
            *([] if log else [f"Declare it in Slack: raise it in {channel}."]),
            *role_lines(process),
            *severity,
            f"While it is open, post a status update in {channel} every {process.status_update_every} until it is "
            "resolved.",
        ]
    return [
        lead,
        f"Declare it in Datadog Incidents: {context.incidents_url}",
        f"Set its Teams field to {datadog_team(team)}: the team's incident notifications ({team.slack.incidents}) "
        "follow incidents of that team only.",
        *role_lines(process),
        *severity,
        f"While it is open, post a status update from the incident's Notifications to {team.slack.incidents} "
        f"every {process.status_update_every} until it is resolved.",
    ]


def declaration_block(
    process: m.Process, team: m.Team, context: MessageContext, declaration: Declaration | None
) -> list[str]:
    """The declaration instruction of a paging alert: with the alert itself when its priority requires one; else
    announced by the alert ("you will be prompted in 15m") and sent with its one re-notification at
    ``incident_after`` (``routing.renotify_options``)."""
    if declaration is None:
        return []
    # The same few blocks for every monitor of a team: built once per (process, team, context, declaration).
    key = (id(process), id(team), id(context), declaration.after, declaration.priority.name)
    cached = _DECLARATION_BLOCKS.get(key)
    if cached is not None and cached[0] is process and cached[1] is team and cached[2] is context:
        return list(cached[3])
    if len(_DECLARATION_BLOCKS) > 256:
        _DECLARATION_BLOCKS.clear()
    block = _declaration_block(process, team, context, declaration)
    _DECLARATION_BLOCKS[key] = (process, team, context, tuple(block))
    return block


_DECLARATION_BLOCKS: dict[
    tuple[int, int, int, Duration | None, str], tuple[m.Process, m.Team, MessageContext, tuple[str, ...]]
] = {}


def _declaration_block(
    process: m.Process, team: m.Team, context: MessageContext, declaration: Declaration
) -> list[str]:
    if declaration.after is None:
        text = declaration_lines(process, team, context, after=None, priority=declaration.priority)
        return ["", "{{#is_alert}}", *text, "{{/is_alert}}"]
    after = str(declaration.after)
    text = declaration_lines(process, team, context, after=after, priority=declaration.priority)
    return [
        "",
        f"{{{{^is_renotify}}}}{{{{#is_alert}}}}No incident declaration yet: an alert shorter than {after} does not "
        f"need one. If this alert is still active {after} from now, you will be prompted here to declare an incident "
        f"({declaration.priority.name}).{{{{/is_alert}}}}{{{{/is_renotify}}}}",
        "{{#is_renotify}}",
        *text,
        "{{/is_renotify}}",
    ]
