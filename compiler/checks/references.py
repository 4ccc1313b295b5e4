"""Rules of references across the whole definition set: names, duplicates, cycles (R3xx).

Each section answers its own references (``compiler.definitions.models``)
and reports these rules; a native definition that takes the key of an object
the process compiles is found by compile (``compiler.compile.compiler``).
"""

from __future__ import annotations

from compiler.checks.rule import Rule

DUPLICATE_NAME = Rule(
    "R301",
    "error",
    "Two items share a name",
    "Names (and dependency keys) identify items across all files: references and the ownership tags of compiled "
    "objects use them.\n"
    "Fix: rename one of the two.",
)

REPEATED_ENTRY = Rule(
    "R302",
    "error",
    "A list names the same entry twice",
    "Lists of names (severities, tiers, members, dependencies, handles, channels, ...) are sets: a repeated entry "
    "is a copy-paste mistake and would create the same relation twice.\n"
    "Fix: remove the repetition.",
)

UNKNOWN_REFERENCE = Rule(
    "R303",
    "error",
    "A reference names something that is not defined",
    "A team, schedule, escalation policy, service, environment, severity, priority or dependency key is referenced "
    "but defined nowhere. The hint names the closest existing name.\n"
    "Fix: correct the name or define the item.",
)

ENVIRONMENT_IN_TWO_TIERS = Rule(
    "R304",
    "error",
    "An environment belongs to two tiers",
    "A service's tier decides its priorities; an environment in two tiers would make that ambiguous.\n"
    "Fix: keep the environment in one tier.",
)

TIER_WITHOUT_PRIORITIES = Rule(
    "R305",
    "error",
    "The priority matrix has no row for a tier",
    "Priorities are looked up by tier and impact; a tier without a row has no priority.\n"
    "Fix: add a row for the tier under priority_matrix.rows.",
)

NOT_A_TEAM_MEMBER = Rule(
    "R306",
    "error",
    "An on-call person is not a member of any team",
    "Schedules and escalation targets may only name people listed under a team's members, so that every person "
    "paged is known and reachable.\n"
    "Fix: add the person to a team, or correct the email.",
)

SELF_DEPENDENCY = Rule(
    "R307",
    "error",
    "A service depends on itself",
    "A self-dependency has no meaning and would make the impact of an outage count twice.\n"
    "Fix: remove it from depends_on.",
)

DEPENDENCY_CYCLE = Rule(
    "R308",
    "error",
    "Services depend on each other in a cycle",
    "Service dependencies form a tree; a cycle makes 'what is affected' endless.\nFix: remove one edge of the cycle.",
)

NO_PROCESS = Rule(
    "R309",
    "error",
    "No 'process' section is defined",
    "Severities, tiers and priorities come from the process; nothing process-derived can be compiled without\n"
    "it. Native definitions alone (datadog_* and pagerduty_* sections, as 'alertc import' writes them) need no\n"
    "process. Fix: add a 'process:' section.",
)

NO_BANNERS_SECTION = Rule(
    "R310",
    "error",
    "Banner dependencies are defined without a 'banners' section",
    "Dependencies and auth methods drive downtime banners, whose texts and lead time come from the 'banners' "
    "section.\n"
    "Fix: add a 'banners:' section.",
)

PAGERDUTY_TEAM_OF_ANOTHER_TEAM = Rule(
    "R311",
    "error",
    "A team's pagerduty_team is the PagerDuty team alertc creates for another team",
    "Each team without pagerduty_team gets a PagerDuty team of its own name; naming that team as another team's "
    "existing pagerduty_team would make two definitions own one PagerDuty team.\n"
    "Fix: give both teams the same pagerduty_team, or name another PagerDuty team.",
)

SERVICE_JOINS_ANOTHER_TEAM = Rule(
    "R312",
    "warning",
    "A service joins another team in PagerDuty through its escalation policy",
    "PagerDuty puts a service in the team of its escalation policy (a service's teams are read-only), so a service "
    "routed to another team's policy shows up under that team.\n"
    "Fix: route the service to an escalation policy of its own team, or move it to that team.",
)

NATIVE_KEY_NAMES_A_DEFINITION = Rule(
    "R313",
    "error",
    "A native definition's key is also the name of a process-derived definition of the same kind",
    "A native definition (datadog_monitors, pagerduty_services, ...) and a process-derived one compile to one "
    "ownership key, so both would claim one object.\n"
    "Fix: rename one; when migrating, delete the native definition in the change that adds the other.",
)

NATIVE_UNKNOWN_REFERENCE = Rule(
    "R314",
    "error",
    "A native definition names a service, schedule or escalation policy that is not defined",
    "References in native forms name a definition (a service of 'services', a native key) or an existing PagerDuty "
    "object by its id (P followed by letters and digits).\n"
    "Fix: correct the name, or use the id.",
)

NATIVE_TARGET_NOT_ONE = Rule(
    "R315",
    "error",
    "A native escalation target names neither or both of schedule and user",
    "Each target of a native escalation rule is one schedule (a key or an id) or one user (an email).\n"
    "Fix: keep exactly one of schedule, user.",
)

NATIVE_KEY_COMPILED_BY_THE_PROCESS = Rule(
    "R316",
    "error",
    "A native definition has the key of an object the process compiles",
    "Besides the definitions' own names, the process compiles objects under derived keys (a service's PagerDuty "
    "integration, a maintenance window's downtimes); a native definition may not take one.\n"
    "Fix: rename the native definition's key.",
)
