"""The registrar's pages: the register (diarium), a record's page, its number, its secrecy markings."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from . import services
from .documents import document_kind
from .filters import RecordFilter
from .forms import RecordNumberForm, SecrecyMarkingForm
from .models import SecrecyMarking
from .selectors import markings_of, record_for_page, records_for_register


class RecordListView(PermissionMixin, ListView):
    """The register: every official document the portal registered, newest first, searchable."""

    permission_required = "records.view_record"
    template_name = "records/record_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = RecordFilter(self.request.GET or None, queryset=records_for_register())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter=self.filterset, query=query.urlencode(), **kwargs)


class RecordMixin(PermissionMixin):
    """A page about one record (a 404 for those who may not keep the register)."""

    permission_required = "records.view_record"
    existence_private = True

    def load(self) -> None:
        self.record = record_for_page(self.kwargs["pk"])
        if self.record is None:
            raise Http404

    def get_permission_object(self):
        return self.record

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)


class RecordDetailView(RecordMixin, TemplateView):
    """A record's metadata, a link to its document and the audit trail of both."""

    template_name = "records/record_detail.html"

    def get_context_data(self, **kwargs):
        record = self.record
        document = record.document
        kind = document_kind(record.content_type.model_class())
        return super().get_context_data(
            document=document,
            document_title=kind.title(document) if kind and document else "",
            document_url=kind.url(document) if kind and document else "",
            has_pdf=bool(kind and kind.has_pdf and document),
            markings=list(markings_of(record)),
            numbers_from_portal=services.numbers_from_portal(),
            **kwargs,
        )


class RecordPdfView(RecordMixin, View):
    """The registered document as PDF, where its app can give one."""

    def get(self, request, pk):
        document = self.record.document
        kind = document_kind(self.record.content_type.model_class())
        pdf = kind.pdf(document) if kind and kind.pdf and document is not None else None
        if not pdf:
            raise Http404
        response = HttpResponse(pdf, content_type="application/pdf")
        name = (self.record.number or f"record-{self.record.pk}").replace("/", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response


class RecordNumberView(RecordMixin, ServiceFormMixin, FormView):
    """The registrar enters the number the ministry's registry gave the document."""

    permission_required = "records.change_record"
    form_class = RecordNumberForm
    template_name = "records/record_number.html"
    success_message = gettext_lazy("The registration number is saved.")

    def get_initial(self):
        return {"number": self.record.number, "version": self.record.version}

    def perform(self, form):
        return services.record_number_set(
            record=self.record, number=form.cleaned_data["number"], expected_version=form.cleaned_data["version"]
        )

    def get_success_url(self) -> str:
        return self.record.get_absolute_url()


class SecrecyMarkView(RecordMixin, ServiceFormMixin, FormView):
    """The registrar marks the record secret under a provision of OSL."""

    permission_required = "records.mark_secrecy"
    form_class = SecrecyMarkingForm
    template_name = "records/secrecy_form.html"
    success_message = gettext_lazy("The record is marked secret.")

    def perform(self, form):
        services.secrecy_mark(target=self.record, user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.record.get_absolute_url()


class SecrecyLiftView(ServiceActionView):
    """The registrar lifts a secrecy marking of a record."""

    permission_required = "records.mark_secrecy"
    existence_private = True
    success_message = gettext_lazy("The secrecy marking is lifted.")

    def load(self) -> None:
        self.marking = get_object_or_404(SecrecyMarking, pk=self.kwargs["pk"])

    def perform(self):
        return services.secrecy_lift(marking=self.marking, user=self.request.user)

    def get_success_url(self) -> str:
        target = self.marking.target
        url = getattr(target, "get_absolute_url", None)
        return url() if url else reverse("records:record_list")
