"""Properties of the incident kinds' pure parts: ownership marks survive the API's fields, order never matters.

A postmortem template's marker shares its one-line name; a notification rule's sets (condition values are
ORed, handles, renotify fields) compare equal in any order; a listed JSON:API item flattens to the body
alertc compiled, and a flat body goes back out as the request the client expects.
"""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from compiler.kinds.datadog.common import flatten
from compiler.kinds.datadog.incident_notification_rule import KIND as RULE
from compiler.kinds.datadog.incident_postmortem_template import KIND as POSTMORTEM
from compiler.kinds.datadog.incident_postmortem_template import one_line_name
from compiler.providers.ownership import add_ownership, ownership_key

TITLES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda t: t.strip() and not t.strip().endswith("—") and "alertc" not in t.lower()
)
HANDLES = st.lists(st.from_regex(r"@slack-[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True)
SEVERITIES = st.lists(st.sampled_from(["SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"]), min_size=1, unique=True)


@given(TITLES)
def test_postmortem_name_keeps_its_marker_on_one_line_and_normalizes_back(title: str) -> None:
    marked = add_ownership(POSTMORTEM, {"name": title, "content": "x"}, "incident_postmortem_template/p", "0" * 12)
    sent = POSTMORTEM.outgoing(marked)
    assert "\n" not in sent["name"]
    assert ownership_key(POSTMORTEM, sent) == "incident_postmortem_template/p"
    assert POSTMORTEM.normalize(sent) == POSTMORTEM.normalize({"name": title, "content": "x"})
    assert one_line_name(sent["name"]) == sent["name"]


@given(HANDLES, SEVERITIES)
def test_rule_sets_compare_equal_in_any_order(handles: list[str], severities: list[str]) -> None:
    body = {
        "trigger": "incident_created_trigger",
        "conditions": [{"field": "severity", "values": severities}, {"field": "state", "values": ["active"]}],
        "handles": handles,
        "renotify_on": ["status", "severity"],
    }
    shuffled = {
        **body,
        "conditions": list(reversed([{**c, "values": list(reversed(c["values"]))} for c in body["conditions"]])),
        "handles": list(reversed(handles)),
        "renotify_on": ["severity", "status"],
    }
    assert RULE.normalize(body) == RULE.normalize(shuffled)
    assert RULE.normalize(body) != RULE.normalize({**body, "handles": [*handles, "@slack-zzzzzzzzz"]})


def test_a_rule_goes_out_as_json_api_with_its_template_and_comes_back_flat() -> None:
    template_id = str(uuid.uuid4())
    flat = {"trigger": "incident_created_trigger", "handles": ["@slack-a"], "notification_template": template_id}
    request = RULE.envelope.request(RULE, flat, None)
    data = request["data"]
    assert data["attributes"] == {"trigger": "incident_created_trigger", "handles": ["@slack-a"]}
    assert data["relationships"] == {
        "notification_template": {"data": {"id": uuid.UUID(template_id), "type": "notification_templates"}}
    }
    answered = {
        "id": "r1",
        "type": "incident_notification_rules",
        "attributes": data["attributes"],
        "relationships": {
            "created_by_user": {"data": {"id": "u", "type": "users"}},
            "notification_template": {"data": {"id": template_id, "type": "notification_templates"}},
        },
    }
    assert RULE.envelope.listed(answered) == flatten(answered, ["notification_template"]) == {**flat, "id": "r1"}
