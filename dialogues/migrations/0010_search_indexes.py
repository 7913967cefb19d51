from django.db import migrations

from core.search import AddSearchIndex


class Migration(migrations.Migration):
    """Full-text indexes for the search (core/search.py): each built from the same expression as the
    query, so it serves it. PostgreSQL only."""

    dependencies = [("dialogues", "0009_text_limits")]

    operations = [
        AddSearchIndex("submission", "submission_search", ["resource_use"]),
        AddSearchIndex("submissionpriority", "submissionpriority_search", ["rationale"]),
        AddSearchIndex("submissionresult", "submissionresult_search", ["indicator"]),
        AddSearchIndex("observation", "observation_search", ["title", "text"]),
        AddSearchIndex("followupaction", "followupaction_search", ["what", "owner", "progress"]),
        AddSearchIndex("brief", "brief_search", ["text"]),
    ]
