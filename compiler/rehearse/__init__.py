"""``alertc rehearse``: a game day in a box. The definitions applied to a sandbox that evaluates monitors, a scenario
(an alert-test file) played on its clock through the real APIs, and the timeline a team would live."""
