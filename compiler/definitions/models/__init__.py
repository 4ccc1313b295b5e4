"""The models of the definitions sections, one module per section (each with its references).

Imported as ``from compiler.definitions import models as m``: ``m.Monitor``, ``m.Service`` ... The native
forms (``datadog_monitors`` ...) are in ``models.native``; the table of sections is
``compiler.definitions.definition_set``.
"""

from compiler.definitions.models.banners import (
    AuthMethod,
    BannerSettings,
    BannerText,
    Dependency,
    Feature,
    MaintenanceWindow,
)
from compiler.definitions.models.monitors import (
    Comparator,
    Impact,
    Monitor,
    Notifications,
    Thresholds,
)
from compiler.definitions.models.oncall import (
    EscalationPolicy,
    EscalationRule,
    EscalationTarget,
    Layer,
    Restriction,
    Schedule,
)
from compiler.definitions.models.process import (
    BusinessHours,
    IncidentChannels,
    IncidentSeverity,
    Postmortem,
    Priority,
    PriorityMatrix,
    Process,
    Role,
    Severity,
    Tier,
)
from compiler.definitions.models.services import (
    AlertGrouping,
    PagerDutyRouting,
    Service,
)
from compiler.definitions.models.slos import (
    BurnRateTier,
    MetricSlo,
    Slo,
    SloAlerting,
    SloBase,
    Timeframe,
    TimeSliceSlo,
)
from compiler.definitions.models.teams import (
    ExistingPagerDutyTeam,
    Member,
    SlackChannels,
    Team,
)
from compiler.definitions.section import Model

__all__ = [
    "AlertGrouping",
    "AuthMethod",
    "BannerSettings",
    "BannerText",
    "BurnRateTier",
    "BusinessHours",
    "Comparator",
    "Dependency",
    "EscalationPolicy",
    "EscalationRule",
    "EscalationTarget",
    "ExistingPagerDutyTeam",
    "Feature",
    "Impact",
    "IncidentChannels",
    "IncidentSeverity",
    "Layer",
    "MaintenanceWindow",
    "Member",
    "MetricSlo",
    "Model",
    "Monitor",
    "Notifications",
    "PagerDutyRouting",
    "Postmortem",
    "Priority",
    "PriorityMatrix",
    "Process",
    "Restriction",
    "Role",
    "Schedule",
    "Service",
    "Severity",
    "SlackChannels",
    "Slo",
    "SloAlerting",
    "SloBase",
    "Team",
    "Thresholds",
    "Tier",
    "TimeSliceSlo",
    "Timeframe",
]
