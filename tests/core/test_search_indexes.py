"""The search's full-text indexes serve its queries: each index is built from the same expression
as the query, which the planner only uses when the two match to the character."""

import pytest
from django.db import connection

from core.models import Attachment
from core.search import file_name_words, matching
from dialogues.models import Brief, FollowUpAction, Observation, Submission, SubmissionPriority, SubmissionResult
from forum.models import AgendaItem

pytestmark = pytest.mark.django_db

SOURCES = [
    (Submission, ["resource_use"], "submission_search"),
    (SubmissionPriority, ["rationale"], "submissionpriority_search"),
    (SubmissionResult, ["indicator"], "submissionresult_search"),
    (Observation, ["title", "text"], "observation_search"),
    (FollowUpAction, ["what", "owner", "progress"], "followupaction_search"),
    (Brief, ["text"], "brief_search"),
    (AgendaItem, ["title", "presenter"], "agendaitem_search"),
    (AgendaItem, ["minutes"], "agendaitem_minutes_search"),
    (Attachment, [file_name_words("original_name"), "description"], "attachment_search"),
]


@pytest.mark.parametrize(("model", "fields", "index"), SOURCES, ids=[index for *_, index in SOURCES])
def test_the_search_of_each_table_uses_its_full_text_index(model, fields, index):
    sql, params = matching(model.objects, fields, "kompetensförsörjning").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: make the planner show its options
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan


def test_a_file_name_part_is_found_through_its_substring_index():
    """ "förs" in "Kompetensförsörjning_2025.pdf": no word of it, so the search also looks for the
    characters anywhere in the name (`icontains`), over a trigram index, not by reading every row."""
    sql, params = Attachment.objects.filter(original_name__icontains="förs").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "attachment_name_substring" in plan
