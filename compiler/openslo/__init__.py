"""OpenSLO v1 in and out: ``alertc import --openslo`` and ``alertc export openslo``.

OpenSLO is the vendor-neutral format for SLOs. Importing maps its documents onto
alertc's ``services`` and ``slos`` (burn-rate tiers from alert policies) and reports,
with the document's position, everything that has no alertc meaning; exporting writes
every SLO of a definitions set as OpenSLO v1 documents, checked against the vendored
OpenSLO JSON schema (``schemas/``). Export then import gives definitions that compile
to the same Datadog objects.
"""
