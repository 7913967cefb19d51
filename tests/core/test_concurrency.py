import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from core.concurrency import StaleEditError, save_versioned


@pytest.mark.django_db
@isolate_apps("regions")
def test_save_versioned_refuses_the_second_of_two_edits_from_the_same_version():
    # A throw-away model with a version field, so the helper is tested apart from any feature.
    class Note(models.Model):  # noqa: DJ008
        text = models.TextField()
        version = models.PositiveIntegerField(default=1)

        class Meta:
            app_label = "regions"
            db_table = "test_versioned_note"

    with connection.schema_editor() as editor:
        editor.create_model(Note)
    try:
        note = Note.objects.create(text="first")
        alice, bob = Note.objects.get(pk=note.pk), Note.objects.get(pk=note.pk)
        alice.text = "Alice's text"
        save_versioned(alice, expected_version=1, fields=["text"])
        bob.text = "Bob's text"
        with pytest.raises(StaleEditError):
            save_versioned(bob, expected_version=1, fields=["text"])
        stored = Note.objects.get(pk=note.pk)
        assert (stored.text, stored.version) == ("Alice's text", 2)
        assert "Någon annan sparade detta" in str(StaleEditError())
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Note)
