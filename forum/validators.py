"""The checks on uploaded meeting documents now live in core.uploads (attachments use them too)."""

from core.uploads import ALLOWED_EXTENSIONS, MAX_DOCUMENT_SIZE, sniff_document, validate_document

__all__ = ["ALLOWED_EXTENSIONS", "MAX_DOCUMENT_SIZE", "sniff_document", "validate_document"]
