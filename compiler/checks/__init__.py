"""Every finding's rule: the catalogue of ids (``catalog``) and the registry ``--explain`` reads (``registry``).

Kept empty on purpose: the YAML reader imports ``compiler.checks.catalog`` and must
not pull in the checkers (which import the loader) through this package.
"""
