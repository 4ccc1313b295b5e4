"""The catalogue of definitions rules: every finding the loader and the checkers can report.

One place lists each rule's stable id, severity, title and explanation (cfn-lint's
shape), so ``alertc validate --explain ID`` can explain any id printed next to a
finding, and a test can insist that every id has a good/bad pair. The ids are a
contract with users (they appear in CI logs and in suppressions people write
down): never renumber one; retire it instead.

Families:

* ``D1xx`` reading files and YAML (including hostile input: special files,
  size limits, aliases, nesting depth, numbers out of range);
* ``D2xx`` the schema of each section (unknown/missing fields, types, values);
* ``R3xx`` references across the whole set (names, duplicates, cycles);
* ``B4xx`` the downtime-banner chain (``compiler/banners/checks.py``);
* ``S5xx`` SLO burn-rate tiers (``compiler/compile/slos.py``);
* ``P1xx`` process lint, registered by ``compiler/process_lint.py`` itself and
  merged in by ``compiler.checks.registry``.

This module imports nothing from alertc, so the lowest layers (the YAML reader)
can name their rules without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuleSeverity = Literal["error", "warning"]


@dataclass(frozen=True)
class RuleInfo:
    """What a user needs to know about a rule: shown by ``alertc validate --explain ID``."""

    id: str
    severity: RuleSeverity
    title: str
    explanation: str


def _rules(*rules: RuleInfo) -> dict[str, RuleInfo]:
    out: dict[str, RuleInfo] = {}
    for r in rules:
        if r.id in out:  # pragma: no cover - caught at import time by every test
            raise ValueError(f"rule id {r.id} is listed twice")
        out[r.id] = r
    return out


# Limits on what the loader reads. They are far above any real definitions set (the
# 10,000-monitor benchmark set is ~3 MB in total) and far below what hurts a CI runner.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
MAX_INTEGER = 2**53 - 1  # the largest integer a JSON API (Datadog, PagerDuty) round-trips exactly

CATALOG: dict[str, RuleInfo] = _rules(
    RuleInfo(
        "D101",
        "error",
        "A file in the definitions directory is not YAML",
        "Every file in the definitions directory (except *.md notes and dot-files) is read as definitions, so a "
        "stray file is more likely a mistake than something to skip silently.\n"
        "Fix: move the file out of the directory, or rename it to *.yaml if it is YAML.",
    ),
    RuleInfo(
        "D102",
        "error",
        "A definitions file cannot be read",
        "The file is not UTF-8 text or the operating system refused to read it.\n"
        "Fix: save the file as UTF-8; check its permissions.",
    ),
    RuleInfo(
        "D103",
        "error",
        "YAML syntax error",
        "The file is not well-formed YAML (indentation, an unclosed bracket or quote, a tab used for "
        "indentation). The position is where the YAML parser gave up, usually at or just after the mistake.\n"
        "Fix: correct the YAML near that position.",
    ),
    RuleInfo(
        "D104",
        "error",
        "A YAML merge key ('<<') is used",
        "Merge keys make a definition read differently from what is applied and are not part of YAML 1.2.\n"
        "Fix: write the fields out.",
    ),
    RuleInfo(
        "D105",
        "error",
        "A mapping key is not a plain scalar",
        "Keys of definitions mappings are field names; a list or mapping used as a key has no meaning here.\n"
        "Fix: use a plain name as the key.",
    ),
    RuleInfo(
        "D106",
        "error",
        "A key appears twice in one mapping",
        "YAML would silently keep only one of the two values; alertc reports it instead of guessing which "
        "one you meant.\nFix: remove or rename one of the keys.",
    ),
    RuleInfo(
        "D107",
        "error",
        "A YAML document is not a mapping of sections",
        "Each document of a definitions file is a mapping whose keys are sections (process, teams, services, "
        "monitors, ...).\nFix: put the content under a section key.",
    ),
    RuleInfo(
        "D108",
        "error",
        "The definitions directory holds no definitions files",
        "Nothing to validate or apply was found (no *.yaml or *.yml file).\n"
        "Fix: pass the right directory with -d/--definitions, or create the files.",
    ),
    RuleInfo(
        "D109",
        "error",
        "A single-valued section is defined more than once",
        "Sections such as 'process' and 'banners' exist once per definitions set; two of them (in one file or "
        "two) would make one silently win.\nFix: keep one section across all files.",
    ),
    RuleInfo(
        "D110",
        "error",
        "An entry of the definitions directory is not a regular file",
        "Only regular files are read. A symbolic link is followed only when it leads to a regular file inside "
        "the definitions directory; FIFOs, devices, sockets and links that leave the directory are reported "
        "and never opened, so a definitions change cannot make validation hang or read /dev/zero.\n"
        "Fix: replace the entry with a regular file inside the definitions directory.",
    ),
    RuleInfo(
        "D111",
        "error",
        "A definitions file is larger than 5 MB",
        "A definitions file is a few hundred kilobytes even for thousands of monitors; a larger file is a "
        "mistake (generated output, a binary) and is not read, to keep validation time and memory bounded.\n"
        "Fix: split the file, or move what is not definitions out of the directory.",
    ),
    RuleInfo(
        "D112",
        "error",
        "The definitions directory is larger than 50 MB in total",
        "Reading stops once the files read add up to more than the total limit, so validation time and memory "
        "stay bounded whatever the directory holds.\nFix: move what is not definitions out of the directory.",
    ),
    RuleInfo(
        "D113",
        "error",
        "A YAML alias ('*name') is used",
        "Aliases are not supported: a definition must read the same as what is applied, and aliases allow "
        "'billion laughs' documents that expand to gigabytes and self-referencing cycles. alertc rejects "
        "every alias (anchors alone are harmless and ignored).\nFix: write the value out where it is used.",
    ),
    RuleInfo(
        "D114",
        "error",
        "Values are nested too deeply",
        "Definitions are at most a few levels deep; values nested more than 32 levels are reported at the first "
        "node past the limit instead of being processed, so no deep input can exhaust the stack.\n"
        "Fix: flatten the structure; this is almost certainly not what you meant to write.",
    ),
    RuleInfo(
        "D115",
        "error",
        "A number is out of range, not a number, or infinite",
        "Integers beyond 2^53-1 cannot be sent to the Datadog and PagerDuty APIs exactly, and NaN or infinity "
        "(.nan, .inf, or a float such as 1e400 that overflows) is never a meaningful threshold or count.\n"
        "Fix: write a finite number in the field's range.",
    ),
    RuleInfo(
        "D201",
        "error",
        "Unknown field",
        "A field that no section defines, usually a typo; alertc never ignores a field it does not know, "
        "because the setting would silently have no effect.\nFix: use the field named in the hint.",
    ),
    RuleInfo(
        "D202",
        "error",
        "Missing required field",
        "The section needs this field to compile.\nFix: add the field (see docs/process.md for its meaning).",
    ),
    RuleInfo(
        "D203",
        "error",
        "Missing or unknown 'type'",
        "Items that come in several types (SLOs, monitors with special types) need a 'type' naming one of "
        "them.\nFix: set 'type' to one of the values in the hint.",
    ),
    RuleInfo(
        "D204",
        "error",
        "A value has the wrong type",
        "The field expects a different kind of value (an integer, true/false, a list, a mapping, ...).\n"
        "Fix: write the value as the message says.",
    ),
    RuleInfo(
        "D205",
        "error",
        "A value is not allowed",
        "The value has the right type but is not valid for the field: not one of the allowed words, not "
        "matching the field's pattern, empty, out of the field's range, or rejected by the field's own rule "
        "(durations, percentages, time zones, handles).\nFix: use a value as the hint describes.",
    ),
    RuleInfo(
        "D206",
        "error",
        "An invalid date-time",
        "Date-times are ISO 8601 with an explicit UTC offset, so a schedule never depends on the machine's "
        "time zone.\nFix: write e.g. 2026-12-05T02:00:00-05:00.",
    ),
    RuleInfo(
        "R301",
        "error",
        "Two items share a name",
        "Names (and dependency keys) identify items across all files: references and the ownership tags of "
        "compiled objects use them.\nFix: rename one of the two.",
    ),
    RuleInfo(
        "R302",
        "error",
        "A list names the same entry twice",
        "Lists of names (severities, tiers, members, dependencies, handles, channels, ...) are sets: a repeated "
        "entry is a copy-paste mistake and would create the same relation twice.\nFix: remove the repetition.",
    ),
    RuleInfo(
        "R303",
        "error",
        "A reference names something that is not defined",
        "A team, schedule, escalation policy, service, environment, severity, priority or dependency key is "
        "referenced but defined nowhere. The hint names the closest existing name.\n"
        "Fix: correct the name or define the item.",
    ),
    RuleInfo(
        "R304",
        "error",
        "An environment belongs to two tiers",
        "A service's tier decides its priorities; an environment in two tiers would make that ambiguous.\n"
        "Fix: keep the environment in one tier.",
    ),
    RuleInfo(
        "R305",
        "error",
        "The priority matrix has no row for a tier",
        "Priorities are looked up by tier and impact; a tier without a row has no priority.\n"
        "Fix: add a row for the tier under priority_matrix.rows.",
    ),
    RuleInfo(
        "R306",
        "error",
        "An on-call person is not a member of any team",
        "Schedules and escalation targets may only name people listed under a team's members, so that every "
        "person paged is known and reachable.\nFix: add the person to a team, or correct the email.",
    ),
    RuleInfo(
        "R307",
        "error",
        "A service depends on itself",
        "A self-dependency has no meaning and would make the impact of an outage count twice.\n"
        "Fix: remove it from depends_on.",
    ),
    RuleInfo(
        "R308",
        "error",
        "Services depend on each other in a cycle",
        "Service dependencies form a tree; a cycle makes 'what is affected' endless.\n"
        "Fix: remove one edge of the cycle.",
    ),
    RuleInfo(
        "R309",
        "error",
        "No 'process' section is defined",
        "Severities, tiers and priorities come from the process; nothing can be compiled without it.\n"
        "Fix: add a 'process:' section.",
    ),
    RuleInfo(
        "R310",
        "error",
        "Banner dependencies are defined without a 'banners' section",
        "Dependencies and auth methods drive downtime banners, whose texts and lead time come from the "
        "'banners' section.\nFix: add a 'banners:' section.",
    ),
    RuleInfo(
        "R311",
        "error",
        "A team's pagerduty_team is the PagerDuty team alertc creates for another team",
        "Each team without pagerduty_team gets a PagerDuty team of its own name; naming that team as another "
        "team's existing pagerduty_team would make two definitions own one PagerDuty team.\n"
        "Fix: give both teams the same pagerduty_team, or name another PagerDuty team.",
    ),
    RuleInfo(
        "R312",
        "warning",
        "A service joins another team in PagerDuty through its escalation policy",
        "PagerDuty puts a service in the team of its escalation policy (a service's teams are read-only), so a "
        "service routed to another team's policy shows up under that team.\n"
        "Fix: route the service to an escalation policy of its own team, or move it to that team.",
    ),
    RuleInfo(
        "R313",
        "error",
        "A native definition's key is also the name of a process-derived definition of the same kind",
        "A native definition (datadog_monitors, pagerduty_services, ...) and a process-derived one compile to one "
        "ownership key, so both would claim one object.\n"
        "Fix: rename one; when migrating, delete the native definition in the change that adds the other.",
    ),
    RuleInfo(
        "R314",
        "error",
        "A native definition names a service, schedule or escalation policy that is not defined",
        "References in native forms name a definition (a service of 'services', a native key) or an existing "
        "PagerDuty object by its id (P followed by letters and digits).\nFix: correct the name, or use the id.",
    ),
    RuleInfo(
        "R315",
        "error",
        "A native escalation target names neither or both of schedule and user",
        "Each target of a native escalation rule is one schedule (a key or an id) or one user (an email).\n"
        "Fix: keep exactly one of schedule, user.",
    ),
    RuleInfo(
        "R316",
        "error",
        "A native definition has the key of an object the process compiles",
        "Besides the definitions' own names, the process compiles objects under derived keys (a service's "
        "PagerDuty integration, a maintenance window's downtimes); a native definition may not take one.\n"
        "Fix: rename the native definition's key.",
    ),
    RuleInfo(
        "B401",
        "error",
        "A monitor drives another auth method's banner key",
        "A monitor of one sign-in method routed to a key only another method depends on shows that method's "
        "users an outage that is not theirs (the SSOe-shown-to-SiS defect), and its own users nothing.\n"
        "Fix: drive one of the method's own keys (banner_key or @pagerduty-status-<key>).",
    ),
    RuleInfo(
        "B402",
        "error",
        "A status handle names an unknown dependency key",
        "@pagerduty-status-<key> must name a defined dependency key, or the page goes nowhere.\n"
        "Fix: correct the key in the handle.",
    ),
    RuleInfo(
        "B403",
        "error",
        "No monitor drives an auth method's banner keys",
        "An outage of the method would show its users no banner, undoing the split of banners by method.\n"
        "Fix: set banner_key on the monitor that detects the outage.",
    ),
    RuleInfo(
        "B404",
        "warning",
        "No monitor drives a dependency key",
        "The key's status service exists, so its banner can still be shown by an incident opened by hand or a "
        "maintenance window, but nothing shows it automatically.\nFix: set banner_key on a monitor.",
    ),
    RuleInfo(
        "B405",
        "error",
        "Two dependencies would share a PagerDuty status service",
        "PagerDuty service names are unique; two dependencies with the same title would fight over one status "
        "service.\nFix: give each dependency its own title.",
    ),
    RuleInfo(
        "B406",
        "error",
        "A dependency's status service has no escalation policy",
        "PagerDuty services need an escalation policy; it is taken from the service implementing the dependency "
        "or from a service of an auth method depending on it.\n"
        "Fix: set 'service' on the dependency to a service with pagerduty routing.",
    ),
    RuleInfo(
        "B407",
        "error",
        "A PagerDuty service name starts with the status prefix",
        "The banner backend reads every service whose name starts with the status prefix as a banner status; "
        "an ordinary service named so would show banners.\nFix: rename the service.",
    ),
    RuleInfo(
        "B408",
        "error",
        "A monitor drives a banner key whose existing status service has no Datadog handle named",
        "A key with pagerduty_service names a status service alertc does not create; without datadog_handle "
        "alertc has no Datadog route to it (and never adds an integration to a service it does not own), so the "
        "banner would never be driven.\n"
        "Fix: set datadog_handle on the dependency to the service_name Datadog's PagerDuty integration has for "
        "that service, or drop pagerduty_service.",
    ),
    RuleInfo(
        "B409",
        "error",
        "Two dependencies reference the same existing PagerDuty service",
        "The banner backend maps each status service id to one banner key; two keys on one service would show "
        "both banners for one outage.\nFix: give each key its own service.",
    ),
    RuleInfo(
        "S501",
        "error",
        "An SLO burn-rate tier is invalid",
        "Datadog accepts burn-rate alerts with a long window of 1h-48h and a burn rate at most 1/(1-target). "
        "With alerting.on_invalid_tier: error (the default) such a tier fails validation.\n"
        "Fix: lower the burn rate or the target, or set alerting.on_invalid_tier: drop|clamp.",
    ),
    RuleInfo(
        "S502",
        "warning",
        "An invalid SLO burn-rate tier was dropped or clamped",
        "With alerting.on_invalid_tier: drop the tier is not compiled; with clamp its burn rate is lowered to "
        "the largest Datadog accepts. Either way the alerting differs from what the tier says.\n"
        "Fix: change the tier so it is valid.",
    ),
)
