"""`{% audit_trail object "child_relation" ... %}`: the record's change history, for those who may read it."""

import rules
from django import template

from core.audit import audit_trail as trail_of

register = template.Library()

# The rule that says who may read the audit log; the accounts app, which knows the roles, adds it
# (accounts/rules.py). Without it nobody sees a trail.
READ_AUDIT_RULE = "read_audit"


@register.inclusion_tag("core/_audit_trail.html", takes_context=True)
def audit_trail(context, obj, *related, title="", workflow_field=""):
    """The latest changes of `obj` and of its child rows through the reverse relations named in
    `related`, under `title` ("Change history" unless given: say whose history it is on a page
    about something else); `workflow_field` as in `core.audit.audit_trail`.
    Renders nothing (and queries nothing) for users who may not read the audit log."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if not obj or getattr(obj, "pk", None) is None or user is None or not rules.test_rule(READ_AUDIT_RULE, user):
        return {"trail": None}
    trail = trail_of(obj, related=related, workflow_field=workflow_field or None)
    return {"trail": trail, "obj": obj, "title": title}
