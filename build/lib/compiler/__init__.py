"""alertc: compile an incident-response process into Datadog and PagerDuty objects."""

__version__ = "0.1.0"
