"""Process lint: rules that check the alerting against the documented process (P1xx), one module per concern.

Errors fail ``validate``; warnings are printed. In the manner of cfn-lint, each rule is one
``SetRule``: its id, severity, title and explanation (``alertc validate --explain ID``) over its check.
"""
