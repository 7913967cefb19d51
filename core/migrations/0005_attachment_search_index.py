from django.db import migrations

from core.search import AddSearchIndex, file_name_words


class Migration(migrations.Migration):
    """Full-text index for finding attachments by file name and description (core/search.py)."""

    dependencies = [("core", "0004_mail_digest")]

    operations = [
        AddSearchIndex("attachment", "attachment_search", [file_name_words("original_name"), "description"]),
    ]
