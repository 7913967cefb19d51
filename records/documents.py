"""How the register shows a document it does not know: each app that has official documents
registers its models here from its AppConfig.ready(), with a title, the URL of the document's page
and a function that returns the document as PDF bytes (None where no PDF exists yet: the register
then says "no PDF" rather than pretending).

records sits below the apps whose documents it keeps, so it never imports them: this registry is
the only way it learns what a submission version or a feedback report is.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class DocumentKind:
    """What the register can do with one model's documents."""

    title: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    pdf: Callable[[models.Model], bytes | None] | None
    # A copy for a partial release (Release.PARTLY): the PDF with every secret part replaced by a
    # mask text; None where the kind has no parts to mask (a partial release is then refused).
    masked_pdf: Callable[[models.Model], bytes] | None = None

    @property
    def has_pdf(self) -> bool:
        return self.pdf is not None


_KINDS: dict[str, DocumentKind] = {}


def document_kind_register(
    model: type[models.Model],
    *,
    title: Callable[[models.Model], str],
    url: Callable[[models.Model], str],
    pdf: Callable[[models.Model], bytes | None] | None,
    masked_pdf: Callable[[models.Model], bytes] | None = None,
) -> None:
    """Tell the register how to show documents of `model` (call from AppConfig.ready())."""
    _KINDS[model._meta.label_lower] = DocumentKind(title=title, url=url, pdf=pdf, masked_pdf=masked_pdf)


def document_kind(obj_or_model) -> DocumentKind | None:
    """The registered kind of a document (or of its model); None for a model nobody registered."""
    if obj_or_model is None:
        return None
    return _KINDS.get(obj_or_model._meta.label_lower)


def registered_labels() -> set[str]:
    """The models ("app.model") with a registered kind."""
    return set(_KINDS)


@dataclass(frozen=True)
class CaseSubjectKind:
    """What the archive package needs to know of a case's subject (a dialogue round): whether it
    is closed (only a closed one is packaged) and its year (how operators name it)."""

    is_closed: Callable[[models.Model], bool]
    year: Callable[[models.Model], int]


_SUBJECTS: dict[str, CaseSubjectKind] = {}


def case_subject_register(
    model: type[models.Model],
    *,
    is_closed: Callable[[models.Model], bool],
    year: Callable[[models.Model], int],
) -> None:
    """Tell the register that cases about `model` can be delivered to an archive once closed
    (call from AppConfig.ready())."""
    _SUBJECTS[model._meta.label_lower] = CaseSubjectKind(is_closed=is_closed, year=year)


def case_subject_kind(obj_or_model) -> CaseSubjectKind | None:
    """The registered kind of a case's subject (or of its model); None where nobody registered it."""
    if obj_or_model is None:
        return None
    return _SUBJECTS.get(obj_or_model._meta.label_lower)


def archivable_subject_labels() -> set[str]:
    """The models ("app.model") whose cases can be delivered to an archive."""
    return set(_SUBJECTS)
