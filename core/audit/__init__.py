"""The audit trail (django-auditlog's log): reading it for a record's page (`trail`), recording the
writes its signals never see (`writes`), and taking a person out of it (`forget`)."""

from .forget import audit_forget_actor, audit_forget_record, audit_forget_text
from .trail import AUDIT_TRAIL_LIMIT, AuditEntry, AuditTrail, FieldChange, action_label, audit_entries_for, audit_trail
from .writes import audit_delete, audit_record_created, audit_record_update

__all__ = [
    "AUDIT_TRAIL_LIMIT",
    "AuditEntry",
    "AuditTrail",
    "FieldChange",
    "action_label",
    "audit_delete",
    "audit_entries_for",
    "audit_forget_actor",
    "audit_forget_record",
    "audit_forget_text",
    "audit_record_created",
    "audit_record_update",
    "audit_trail",
]
