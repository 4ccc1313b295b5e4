"""The one home of rules: every finding alertc reports is a rule's, and every rule is an object here.

* ``findings``, ``rule``: what is reported, and the rule object (id, severity, title, explanation);
* ``files`` (D1xx), ``schema`` (D2xx), ``references`` (R3xx): rules whose check is a stage that meets the
  problem (the YAML reader, pydantic's errors, each definitions section's references);
* ``banners`` (B4xx), ``slos`` (S5xx), ``process/`` (P1xx): rules checked over a loaded definition set,
  each holding its check (``context.SetRule``), run by ``lint`` with one ``LintContext`` per call;
* ``alert_tests`` (T1xx, T2xx) and ``openslo`` (O6xx, O65x): rules of ``alertc test`` and of
  ``alertc import --openslo``, reported where those commands meet the problem;
* ``registry``: finds every rule object for ``alertc validate --explain`` and the tests.

Kept empty on purpose: the YAML reader imports ``compiler.checks.files`` and must not pull in the
checks that read a loaded definition set (which import the loader) through this package.
"""
