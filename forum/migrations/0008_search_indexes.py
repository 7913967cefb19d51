from django.db import migrations

from core.search import AddSearchIndex


class Migration(migrations.Migration):
    """Full-text indexes for the search over agenda items and minutes (core/search.py)."""

    dependencies = [("forum", "0007_text_limits")]

    operations = [
        AddSearchIndex("agendaitem", "agendaitem_search", ["title", "presenter"]),
        AddSearchIndex("agendaitem", "agendaitem_minutes_search", ["minutes"]),
    ]
