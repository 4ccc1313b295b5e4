"""Downtime banners per sign-in method: the config artifact, the reference decision, and checks.

The PagerDuty and Datadog objects behind the banners are compiled in
``compiler.compile.banners``; this package holds what the backend and the
sign-in page consume and the rules they must follow.
"""
