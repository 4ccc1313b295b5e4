"""Rules of ``alertc import --openslo`` (O6xx errors: not imported; O65x warnings: imported, with a change).

The importer (``compiler.openslo``) reports every object or field it does not map
as one of these, at the document's ``file:line:col``. An error leaves an object
out (the rest is still written, and the import exits 1); a warning says what was
imported differently from what the document says, or not at all. A file's own
problems (unreadable, not YAML, too large) are the files rules (D1xx).
"""

from __future__ import annotations

from compiler.checks.rule import Rule

NOTHING_TO_READ = Rule(
    "O601",
    "error",
    "An OpenSLO path names no file to read",
    "Each FILE|DIR given to `alertc import --openslo` must exist; a directory is searched for *.yaml, *.yml and "
    "*.json files, and one holding none is more likely a wrong path than nothing to import.\n"
    "Fix: name the files or the directory that holds the OpenSLO documents.",
)

NOT_AN_OBJECT = Rule(
    "O602",
    "error",
    "A document is not an OpenSLO object",
    "An OpenSLO object is a mapping with apiVersion, kind, metadata.name and spec (an SLO also names its "
    "spec.service); a document holds one object or a list of them. Anything else is not imported.\n"
    "Fix: complete the object as the OpenSLO specification describes it.",
)

UNSUPPORTED_KIND = Rule(
    "O603",
    "error",
    "An apiVersion or kind alertc does not read",
    "alertc reads openslo/v1 (Service, SLI, SLO, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget) "
    "and the openslo/v1alpha SLO and Service documents that map unambiguously; v2alpha is a draft.\n"
    "Fix: write the object as openslo/v1.",
)

DANGLING_REFERENCE = Rule(
    "O604",
    "error",
    "A reference names no object among the documents",
    "indicatorRef, alertPolicyRef, conditionRef, targetRef and metricSourceRef name an object of the documents "
    "imported together; what uses a reference that names nothing is not imported.\n"
    "Fix: import the referenced document too (same FILE|DIR list), or correct the name.",
)

UNSUPPORTED_SOURCE = Rule(
    "O605",
    "error",
    "A metric source is not Datadog",
    "alertc compiles SLOs to Datadog, so an indicator imports only with Datadog metric queries (a metricSource "
    "of type Datadog, or a DataSource of that type); Prometheus, CloudWatch and the other sources have no Datadog "
    "SLO equivalent.\nFix: rewrite the indicator's queries as Datadog metric queries with type: Datadog.",
)

UNMAPPED_INDICATOR = Rule(
    "O606",
    "error",
    "An indicator alertc cannot map",
    "An SLO has one indicator (inline or indicatorRef): a ratioMetric with total and one of good or bad (Datadog "
    "metric SLO), or a thresholdMetric (time-slice SLO), each a non-empty Datadog query. Precomputed ratios (raw) "
    "have no Datadog equivalent.\nFix: give the indicator counts of good (or bad) and total events.",
)

UNMAPPED_OBJECTIVES = Rule(
    "O607",
    "error",
    "Objectives a Datadog SLO cannot have",
    "A Datadog SLO has one target above 0% and below 100% (a second, higher objective becomes its warning "
    "threshold); a threshold indicator's objective needs op and value, a time-slice one a timeSliceWindow of 1m "
    "or 5m. Composite SLOs (an indicator per objective) are not supported.\n"
    "Fix: keep one objective per SLO (split a composite into one SLO per objective).",
)

UNSUPPORTED_WINDOW = Rule(
    "O608",
    "error",
    "A time window or budgeting method Datadog SLOs do not have",
    "Datadog SLOs use one rolling window of 7d, 30d or 90d, and count events (Occurrences) or good time slices "
    "(Timeslices, required for a threshold indicator); calendar-aligned windows and RatioTimeslices have no "
    "equivalent.\nFix: use a rolling 7d, 30d or 90d window and Occurrences or Timeslices.",
)

UNMAPPED_ALERTING = Rule(
    "O609",
    "error",
    "An alert policy that is not a Datadog burn-rate alert",
    "Each alert policy becomes one burn-rate tier: one burnrate condition with op gt, a threshold above 0 and no "
    "higher than 1/(1 - target), a lookbackWindow of 1h to 48h (Datadog's long window, one tier per window), an "
    "alertAfter shorter than it (the short window) and a severity of the process. A policy that cannot be one is "
    "left out; the SLO imports without it.\nFix: change the condition to fit these limits, or remove the policy.",
)

NAME_CONFLICT = Rule(
    "O610",
    "error",
    "An OpenSLO name that cannot become an alertc name of its own",
    "alertc names are lowercase letters, digits and '-', unique per section: an object defined twice, an SLO the "
    "definitions already have, or two names that become one alertc name are not imported (an import adds SLOs, "
    "it never changes one that is defined).\nFix: rename one of them, or remove the SLO defined before.",
)

NO_TEAM_OR_ENVIRONMENT = Rule(
    "O611",
    "error",
    "A new service with no team or environment",
    "A service the definitions do not have is created with the team and environment its labels (team, env) "
    "name, else --team/--environment, else the only team and the first production environment; with none of "
    "these the service, and every SLO of it, is not imported.\nFix: pass --team NAME (and --environment NAME).",
)

BAD_ANNOTATION = Rule(
    "O612",
    "error",
    "An alertc.dev annotation alertc cannot read",
    "The alertc.dev/ annotations carry what OpenSLO has no field for: warning (a percentage), datadog-slo (a "
    "Datadog SLO id), on-invalid-tier (error, drop or clamp), tags and description.\n"
    "Fix: give the annotation a value of that form.",
)

FIELD_NOT_IMPORTED = Rule(
    "O651",
    "warning",
    "A field alertc has no place for is not imported",
    "Every field of an imported object is read or reported: fields alertc has no equivalent for (connection "
    "details, alertWhenNoData, counter flags, labels alertc sets itself, ...) are left out with this warning, so "
    "nothing is dropped silently.\nFix: nothing to do if the field does not matter in Datadog; else express it "
    "in the written definitions.",
)

OBJECT_NOT_USED = Rule(
    "O652",
    "warning",
    "An object no imported SLO uses",
    "SLIs, alert policies, conditions, notification targets and data sources import as parts of the SLOs that "
    "use them; one no SLO uses has nowhere to go in the definitions.\n"
    "Fix: nothing to do, or import the SLO that uses it.",
)

DEFAULT_TAKEN = Rule(
    "O653",
    "warning",
    "Something the documents leave out is taken by default",
    "A missing timeWindow (rolling 30d), budgetingMethod (Occurrences), isRolling (rolling), alertAfter (a "
    "twelfth of the lookback window), a service's Service document, team label or traffic: the import uses the "
    "default it names, and says so.\nFix: state the value in the document (or in the written definitions).",
)

READ_AS_NEAREST = Rule(
    "O654",
    "warning",
    "A value is read as the nearest thing alertc has",
    "Names become alertc names (lowercase, '-'), op gte reads as gt, a severity word (page, ticket, ...) as the "
    "process's severity, a second objective as Datadog's warning threshold: imported, with the change named.\n"
    "Fix: write the value alertc uses in the document, or review the written definitions.",
)

ROUTING_DIFFERS = Rule(
    "O655",
    "warning",
    "A notification target the process's routing does not match",
    "In alertc the process routes burn-rate alerts: the team's Slack alerts channel, and PagerDuty when the "
    "severity pages and the service has PagerDuty routing. Targets are checked against that routing, not "
    "copied: one it does not reach, or paging the target does not ask for, is reported.\n"
    "Fix: align the target with the process (the severity, services[].pagerduty, the team's channel).",
)

EXISTING_SERVICE_DIFFERS = Rule(
    "O656",
    "warning",
    "A Service document disagrees with the service the definitions have",
    "An import adds services and never changes one that is defined: where a Service document's title, "
    "description, team or env differs from the definition, the definition is kept.\n"
    "Fix: change the definition if the document is right.",
)
