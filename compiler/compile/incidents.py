"""The process's incident half → Datadog Incidents configuration (issue 17, item 1).

What the process says about a *declared* incident, compiled into the objects
Datadog's incident configuration API has (``/api/v2/incidents/config/``):

* per team, two or three notification rules, each sending its own notification
  template to the team's incident channel (and the running-log channel, when the
  process names one); each rule matches incidents of the process's severities whose
  ``teams`` field holds the team's Datadog team handle (``datadog_team``, default its name):

  - ``<team>.declared``: when an incident is declared (``incident_created_trigger``);
  - ``<team>.open`` (when the process asks for ``status_update_reminder``): while it is
    open (state active or stable), again whenever its severity, state or status
    changes (``incident_saved_trigger`` + ``renotify_on``);
  - ``<team>.resolved``: once, when it is resolved, pointing at the postmortem;

* one postmortem template for the process: the situation-report questions when
  the process lists them, otherwise sections generated from the process
  (impact against the severity ladder, the response against its targets).

What the API cannot express is returned by ``unexpressible`` (the process
lint reports it, the process document states it): rules fire on incident events
only, so ``status_update_reminder: timer`` ("a notification every 30 minutes
while open") compiles as ``on_change`` ("a notification on every change of the
open incident").

Compile stays pure; the template a rule sends is a reference resolved at plan time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compiler.compile.text import slack_handle
from compiler.definitions import models as m
from compiler.definitions.models.teams import datadog_team
from compiler.resources import Resource, ref

TEMPLATE = "incident_notification_template"
RULE = "incident_notification_rule"
POSTMORTEM = "incident_postmortem_template"
OPEN_STATES = ("active", "stable")
RENOTIFY_ON = ("severity", "state", "status")  # the incident fields whose change re-sends the open notice
CATEGORY = "alert"  # the one category value Datadog documents for notification templates


@dataclass(frozen=True)
class Gap:
    """Something the process says that Datadog Incidents cannot do, and what alertc compiles instead."""

    field: str  # the process field that says it
    says: str
    instead: str


def unexpressible(process: m.Process, teams: Iterable[m.Team]) -> list[Gap]:
    """The process's incident obligations the notification-rule API has no mechanism for."""
    channels = sorted({t.slack.incidents for t in teams})
    if not channels or process.status_update_reminder != "timer":
        return []
    where = ", ".join(channels)
    return [
        Gap(
            "status_update_reminder",
            f"notify {where} every {process.status_update_every} while a declared incident is open",
            "its incident notification rules fire on incident events only (incident_created_trigger, "
            "incident_saved_trigger; renotify_on names incident fields), so alertc notifies "
            f"{where} whenever the open incident's severity, state or status changes, and the "
            f"{process.status_update_every} cadence stays the incident commander's duty",
        )
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "process"


def postmortem_title(process: m.Process) -> str:
    title = process.postmortem.title if process.postmortem is not None else "Postmortem"
    return f"{process.name}: {title}"


def _severity_lines(process: m.Process) -> list[str]:
    return [f"- {s.name}: {s.description}" for s in process.incident_severities]


def _role_lines(process: m.Process) -> list[str]:
    return [f"- {r.title}{' (one person)' if r.holders == 'one' else ''}: {'; '.join(r.duties)}" for r in process.roles]


def _commander(process: m.Process) -> str:
    commander = process.commander
    return commander.title if commander is not None else "incident commander"


def _templates(process: m.Process, team: m.Team) -> dict[str, dict[str, str]]:
    cadence = process.status_update_every
    running_log = process.channels.running_log
    facts = [
        "Title: {{incident.title}}",
        "Severity: {{incident.severity}}",
        "State: {{incident.state}}",
        "Services: {{incident.services}}",
    ]
    declared = [f"{team.title}: an incident was declared ({process.name}).", "", *facts, ""]
    if process.incident_severities:
        declared += ["What the severities mean:", *_severity_lines(process), ""]
    roles = _role_lines(process)
    if roles:
        declared += ["Roles (say which one you hold):", *roles, ""]
    declared.append(
        f"The {_commander(process)} posts a status update in {team.slack.incidents} at least every {cadence} "
        "until the incident is resolved."
    )
    if running_log:
        declared.append(f"Log every action in {running_log}: it is the incident's running log.")
    still_open = [
        f"{team.title}: the open incident changed.",
        "",
        *facts,
        "",
        f"Status updates are due at least every {cadence} while it is open (Datadog cannot remind on a timer).",
    ]
    resolved = [
        f"{team.title}: the incident was resolved.",
        "",
        *facts,
        "",
        f"Write the postmortem from the template '{postmortem_title(process)}'.",
    ]
    if process.channels.stakeholders:
        resolved.append(f"Stakeholders: {process.channels.stakeholders}.")
    return {
        "declared": {
            "name": f"{team.title}: incident declared",
            "subject": "{{incident.severity}} incident declared: {{incident.title}}",
            "content": "\n".join(declared),
        },
        "open": {
            "name": f"{team.title}: open incident changed",
            "subject": "{{incident.severity}} {{incident.title}} is {{incident.state}}",
            "content": "\n".join(still_open),
        },
        "resolved": {
            "name": f"{team.title}: incident resolved",
            "subject": "Resolved: {{incident.title}}",
            "content": "\n".join(resolved),
        },
    }


def _rule(
    key: str, trigger: str, conditions: list[dict[str, Any]], handles: list[str], renotify: tuple[str, ...] = ()
) -> Resource:
    body: dict[str, Any] = {
        "trigger": trigger,
        "conditions": conditions,
        "handles": handles,
        "renotify_on": list(renotify),
        "enabled": True,
        "visibility": "organization",
        "notification_template": ref(f"datadog:{TEMPLATE}/{key}"),
    }
    return Resource("datadog", RULE, key, body, depends_on=(f"datadog:{TEMPLATE}/{key}",))


def compile_team_notifications(process: m.Process, team: m.Team) -> list[Resource]:
    """A team's three templates and the three rules that send them (see the module docstring)."""
    handles = [slack_handle(team.slack.incidents, team.slack.account)]
    running_log = process.channels.running_log
    if running_log and running_log != team.slack.incidents:
        handles.append(slack_handle(running_log, team.slack.account))
    scope: list[dict[str, Any]] = []
    if process.incident_severities:
        scope.append({"field": "severity", "values": [s.name for s in process.incident_severities]})
    # Always the team condition: in a shared organisation an incident of another team must not reach this team's
    # channels (issue 25), and with one team today a second one may come without anyone rereading the rules.
    scope.append({"field": "teams", "values": [datadog_team(team)]})
    out: list[Resource] = []
    for event, text in _templates(process, team).items():
        if event == "open" and process.status_update_reminder is None:
            continue
        out.append(Resource("datadog", TEMPLATE, f"{team.name}.{event}", {**text, "category": CATEGORY}))
    out.append(_rule(f"{team.name}.declared", "incident_created_trigger", scope, handles))
    if process.status_update_reminder is not None:  # "timer" is not expressible: the nearest is on_change
        out.append(
            _rule(
                f"{team.name}.open",
                "incident_saved_trigger",
                [*scope, {"field": "state", "values": list(OPEN_STATES)}],
                handles,
                RENOTIFY_ON,
            )
        )
    out.append(
        _rule(
            f"{team.name}.resolved",
            "incident_saved_trigger",
            [*scope, {"field": "state", "values": ["resolved"]}],
            handles,
        )
    )
    return out


def postmortem_content(process: m.Process) -> str:
    """The postmortem document: the process's own questions, or sections generated from the process."""
    postmortem = process.postmortem
    out = [
        "# {{incident.title}}",
        "",
        "Severity: {{incident.severity}} · State: {{incident.state}} · Services: {{incident.services}}",
        "",
    ]
    if postmortem is not None and postmortem.owner_role is not None:
        owner = process.role(postmortem.owner_role)
        out += [f"Written and sent by the {owner.title if owner else postmortem.owner_role}.", ""]
    questions = postmortem.questions if postmortem is not None else []
    if questions:
        for index, question in enumerate(questions, 1):
            out += [f"## {index}. {question}", "", "_Answer here._", ""]
    else:
        out += ["## Summary", "", "_What happened, in two sentences._", "", "## Impact", ""]
        out.append("Who was affected, and the severity that made it (from the process):")
        out.append("")
        for severity in process.severities:
            out.append(f"- {severity.title}: {severity.impact or severity.description or severity.name}")
        out += ["", "## Timeline", "", "_Detected, acknowledged, declared, mitigated, resolved (with times)._", ""]
        out += ["## Response against the process", ""]
        declare = [p.name for p in process.priorities if p.declare_incident]
        out.append(f"- Acknowledged within {process.acknowledgement_target}?")
        if declare:
            out.append(f"- {', '.join(declare)} requires a declared incident: was it declared, and when?")
        out.append(f"- Status updates at least every {process.status_update_every} while open?")
        out += ["", "## Root cause", "", "_Why it happened._", "", "## Action items", "", "_Owner, issue, due date._"]
        if process.roles:
            out += ["", "## Roles held", "", *[f"- {r.title}: _who_" for r in process.roles]]
    if postmortem is not None and postmortem.triggers:
        out += ["", "## Why a postmortem is owed (any one suffices)", "", *[f"- {t}" for t in postmortem.triggers]]
        if postmortem.notify_role is not None:
            told = process.role(postmortem.notify_role)
            out.append(f"- When one holds, tell the {told.title if told else postmortem.notify_role}.")
    if postmortem is not None and postmortem.repository:
        out += ["", f"File it in {postmortem.repository}."]
    return "\n".join(out).rstrip()


def compile_postmortem_template(process: m.Process) -> Resource:
    body = {"name": postmortem_title(process), "content": postmortem_content(process)}
    return Resource("datadog", POSTMORTEM, _slug(process.name), body)


def compile_incidents(process: m.Process, teams: Iterable[m.Team]) -> list[Resource]:
    """Every incident-configuration object of the process (nothing when no team has an incident channel)."""
    ordered = sorted(teams, key=lambda t: t.name)
    if not ordered:
        return []
    out: list[Resource] = []
    for team in ordered:
        out += compile_team_notifications(process, team)
    out.append(compile_postmortem_template(process))
    return out


def incident_notifications_doc(process: m.Process, teams: Iterable[m.Team]) -> list[str]:
    """The process document's section on what Datadog Incidents does, and what it cannot do."""
    ordered = sorted(teams, key=lambda t: t.name)
    if not ordered:
        return []
    out = ["## Incident notifications in Datadog", ""]
    while_open = (
        ", whenever its severity, state or status changes while it is active or stable,"
        if process.status_update_reminder is not None
        else ""
    )
    running_log = process.channels.running_log
    for team in ordered:
        where = team.slack.incidents
        if running_log and running_log != where:
            where += f" and {running_log}"
        out.append(
            f"- {team.title}: Datadog notifies {where} when an incident is declared{while_open} and once when it "
            "is resolved."
        )
    if process.status_update_reminder == "on_change":
        out.append(
            f"- Datadog cannot notify on a timer: the status update every {process.status_update_every} while an "
            "incident is open is the incident commander's duty."
        )
    out.append(f"- Resolving an incident offers the postmortem template '{postmortem_title(process)}'.")
    for gap in unexpressible(process, ordered):
        out.append(f"- Not expressible: the process asks Datadog to {gap.says}, but {gap.instead}.")
    return [*out, ""]
