"""Notification semantics as data: what a compiled Datadog monitor notifies on each transition.

``template`` evaluates Datadog's conditional variables, ``simulate`` turns a monitor body into per-transition
outcomes (handles, PagerDuty triggers and resolves, banners), ``explain`` renders them for people and
describes how a change moves notifications.
"""

from compiler.notify.simulate import Outcome, PagerDutyEvent, Target, Transition, simulate

__all__ = ["Outcome", "PagerDutyEvent", "Target", "Transition", "simulate"]
