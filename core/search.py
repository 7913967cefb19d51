"""Full-text search that stays fast as the texts grow: PostgreSQL's Swedish configuration over
expression indexes, a plain substring match on other databases (`make run` on SQLite).

A search is a set of sources, each a table and the fields to look in. The match is made on the
table itself (never through a join, which an index cannot serve), and the index a migration adds
with `AddSearchIndex` is built from the same expression as the query, so the planner can use it
(tests/core/test_search_indexes.py checks that it does).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, Q, QuerySet, Value

CONFIG = "swedish"


def file_name_words(field: str) -> Func:
    """A file name as words: "Handlingsplan_2015.pdf" → "Handlingsplan 2015 pdf" (PostgreSQL's
    parser would otherwise keep the whole name as one token)."""
    return Func(F(field), Value(r"[._\-]+"), Value(" "), Value("g"), function="regexp_replace")


def search_vector(*fields) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


def matching(queryset: QuerySet, fields: list, query: str, *, key: str = "pk") -> QuerySet:
    """The `key` values of the rows of `queryset` whose `fields` match `query`, as a subquery."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        matches = queryset.annotate(search=search_vector(*fields)).filter(search=SearchQuery(query, config=CONFIG))
    else:
        condition = Q(pk__in=[])
        for field in fields:
            if isinstance(field, str):
                condition |= Q(**{f"{field}__icontains": query})
        matches = queryset.filter(condition)
    return matches.values(key)


class AddSearchIndex(Operation):
    """A GIN index over the search vector of `fields`, on PostgreSQL only (SQLite has no GIN; there
    the search is a substring match that needs none)."""

    reversible = True

    def __init__(self, model_name: str, name: str, fields: list):
        self.model_name, self.name, self.fields = model_name, name, fields

    def index(self) -> GinIndex:
        return GinIndex(search_vector(*self.fields), name=self.name)

    def state_forwards(self, app_label, state):
        pass  # an index the models do not declare: nothing in the model state changes

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self.index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self.index())

    def describe(self):
        return f"Add full-text search index {self.name} on {self.model_name}"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name, "fields": self.fields}


class AddSubstringIndex(Operation):
    """A trigram GIN index (pg_trgm) for `field__icontains`, whose `%word%` no B-tree can serve:
    built from the expression Django's lookup makes, `UPPER(field::text)` (PostgreSQL only)."""

    reversible = True

    def __init__(self, model_name: str, name: str, field: str):
        self.model_name, self.name, self.field = model_name, name, field

    def state_forwards(self, app_label, state):
        pass  # an index the models do not declare: nothing in the model state changes

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            column = model._meta.get_field(self.field).column
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} "
                f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Add substring (trigram) index {self.name} on {self.model_name}"

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name, "field": self.field}
