"""Every finding's rule: ``findings`` (what is reported), ``rule`` (the rule object: id, severity, title,
explanation), the families of rules (``files``, ``schema``, ``references``, ...) and the ``registry`` that
``alertc validate --explain`` reads.

Kept empty on purpose: the YAML reader imports ``compiler.checks.files`` and must not pull in the
checks that read a loaded definition set (which import the loader) through this package.
"""
