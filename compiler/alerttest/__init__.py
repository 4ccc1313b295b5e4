"""``alertc test``: alert unit tests in the definitions repository, played against the compiled alerting.

``model`` is the file format (JSON Schema from it), ``values`` promtool's series notation, ``load`` finds and checks
the files, ``compiled`` turns a compiled definition set into the evaluator's world, ``scenario`` plays one test,
``expect`` checks it, ``story`` tells its timeline, ``report`` prints the results, ``runner`` ties them together.
The semantics themselves are ``compiler.evaluate``'s.
"""
