"""The registrar's pages: the register (diarium), a record's page, its number, its secrecy markings,
requests for access to official documents and their release bundles, and the archive packages of
closed rounds."""

from django.apps import apps
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.generic import FormView, ListView, TemplateView, View

from core.models import Attachment
from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from . import services
from .apps import PDF_TYPE
from .bundles import bundle_build, bundle_name
from .choices import DisposalTrigger, Release
from .documents import document_kind
from .filters import RecordFilter
from .forms import (
    AccessRequestForm,
    RecordNumberForm,
    RequestAddForm,
    RequestDecideForm,
    RequestDecisionsForm,
    SecrecyMarkingForm,
)
from .models import RequestedRecord, SecrecyMarking
from .retention import disposal_run
from .selectors import (
    access_request_for_page,
    access_requests_for_list,
    archivable_case,
    archivable_cases,
    archive_package_ready,
    attachment_records_of,
    disposal_due,
    disposal_runs_recent,
    markings_of,
    record_for_page,
    record_of,
    records_for_register,
    requested_records,
    retention_rules_all,
)


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
            # An attached file has a PDF only when it is one.
            has_pdf=bool(kind and kind.has_pdf and document)
            and (not isinstance(document, Attachment) or document.file_type == PDF_TYPE),
            attachment_records=list(attachment_records_of(record)),
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


# --- Requests for access to official documents ---


class AccessRequestListView(PermissionMixin, ListView):
    """Every access request, newest first."""

    permission_required = "records.view_accessrequest"
    template_name = "records/request_list.html"
    context_object_name = "access_requests"
    paginate_by = 50

    def get_queryset(self):
        return access_requests_for_list()


class AccessRequestCreateView(PermissionMixin, ServiceFormMixin, FormView):
    """The registrar records a request that came in; it is registered at once."""

    permission_required = "records.change_accessrequest"
    form_class = AccessRequestForm
    template_name = "records/request_form.html"
    success_message = gettext_lazy("The request is recorded and registered.")

    def perform(self, form):
        return services.access_request_create(user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class AccessRequestMixin(PermissionMixin):
    """A page about one access request (a 404 for those who may not keep the register)."""

    permission_required = "records.view_accessrequest"
    existence_private = True

    def load(self) -> None:
        self.access_request = access_request_for_page(self.kwargs["pk"])
        if self.access_request is None:
            raise Http404

    def get_permission_object(self):
        return self.access_request

    def get_context_data(self, **kwargs):
        return super().get_context_data(access_request=self.access_request, **kwargs)

    def get_success_url(self) -> str:
        return self.access_request.get_absolute_url()


class AccessRequestDetailView(AccessRequestMixin, TemplateView):
    """The request: who asked and for what, its documents with their secrecy flags and decisions,
    the form that adds a document, and (once decided) the release bundle."""

    template_name = "records/request_detail.html"

    def get_context_data(self, **kwargs):
        access_request = self.access_request
        return super().get_context_data(
            items=list(requested_records(access_request)),
            request_record=record_of(access_request),
            add_form=RequestAddForm(),
            decide_form=RequestDecideForm(initial={"version": access_request.version}),
            **kwargs,
        )


class AccessRequestAddView(AccessRequestMixin, ServiceFormMixin, FormView):
    """Add a document to the request by its registration number."""

    permission_required = "records.change_accessrequest"
    form_class = RequestAddForm
    template_name = "records/request_add.html"

    def perform(self, form):
        item = services.access_request_add(request=self.access_request, number=form.cleaned_data["number"])
        if item.decision == Release.WITHHELD:
            messages.warning(
                self.request,
                gettext(
                    "%(number)s is marked secret under %(reference)s OSL "
                    "and is withheld unless you release it with a reason."
                )
                % {"number": item.record.number, "reference": item.osl_reference},
            )
        else:
            messages.success(
                self.request, gettext("%(number)s is added to the request.") % {"number": item.record.number}
            )


class AccessRequestRemoveView(ServiceActionView):
    """Take a document out of an open request."""

    permission_required = "records.change_accessrequest"
    existence_private = True
    success_message = gettext_lazy("The document is taken out of the request.")

    def load(self) -> None:
        self.item = get_object_or_404(RequestedRecord.objects.select_related("request"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.item.request

    def perform(self):
        services.access_request_remove(request=self.item.request, item=self.item)

    def get_success_url(self) -> str:
        return self.item.request.get_absolute_url()


class AccessRequestDecisionsView(AccessRequestMixin, ServiceFormMixin, FormView):
    """The decision for each document; a secrecy-marked one shows its marking and is released only
    with a reason."""

    permission_required = "records.change_accessrequest"
    form_class = RequestDecisionsForm
    template_name = "records/request_decisions.html"
    success_message = gettext_lazy("The decisions are saved.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"items": requested_records(self.access_request)}

    def get_initial(self):
        return {"version": self.access_request.version}

    def perform(self, form):
        services.access_request_decisions_set(
            request=self.access_request, decisions=form.decisions(), expected_version=form.cleaned_data["version"]
        )


class AccessRequestDecideView(AccessRequestMixin, ServiceActionView):
    """Decide the request: it closes, and the decision is registered."""

    permission_required = "records.change_accessrequest"
    success_message = gettext_lazy("The request is decided and the decision registered.")

    def perform(self):
        form = RequestDecideForm(self.request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        return services.access_request_decide(
            request=self.access_request, user=self.request.user, expected_version=version
        )


class AccessRequestBundleView(AccessRequestMixin, View):
    """The release bundle (ZIP) of a decided request; each download is noted in the audit log."""

    def get(self, request, pk):
        access_request = self.access_request
        if not access_request.is_decided:
            messages.error(request, gettext("The release bundle can be downloaded once the request is decided."))
            return HttpResponseRedirect(access_request.get_absolute_url())
        name = bundle_name(access_request)
        spool = bundle_build(access_request)
        services.access_bundle_audit(request=access_request, user=request.user, filename=name)
        return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


class ObservationSecrecyMarkView(PermissionMixin, ServiceFormMixin, FormView):
    """The registrar marks an observation (from a dialogue's page) secret under a provision of OSL.
    The register never imports the dialogues: the model is looked up by its label."""

    permission_required = "records.mark_secrecy"
    existence_private = True
    form_class = SecrecyMarkingForm
    template_name = "records/observation_secrecy_form.html"
    success_message = gettext_lazy("The observation is marked secret.")

    def load(self) -> None:
        model = apps.get_model("dialogues", "Observation")
        self.observation = get_object_or_404(model, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            observation=self.observation, markings=list(markings_of(self.observation)), **kwargs
        )

    def perform(self, form):
        services.secrecy_mark(target=self.observation, user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.observation.get_absolute_url()


# --- Retention and disposal ---


class DisposalView(PermissionMixin, TemplateView):
    """What the next disposal run would dispose of (a dry run), every kind's rule, and the last runs."""

    permission_required = "records.view_disposal"
    template_name = "records/disposal.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            due=disposal_due(),
            retention_rules=retention_rules_all(),
            runs=list(disposal_runs_recent()),
            **kwargs,
        )


class DisposalRunView(ServiceActionView):
    """An administrator disposes of what is due now (what the page listed)."""

    permission_required = "records.run_disposal"

    def perform(self):
        return disposal_run(trigger=DisposalTrigger.USER, user=self.request.user)

    def get_success_message(self, result) -> str:
        count = result.disposed_count
        return ngettext(
            "The disposal run is done: %(count)s item disposed of.",
            "The disposal run is done: %(count)s items disposed of.",
            count,
        ) % {"count": count}

    def get_success_url(self) -> str:
        return reverse("records:disposal")


# --- Archive packages of closed rounds (arkivlagen) ---


class ArchivePackageListView(PermissionMixin, TemplateView):
    """Every round's case: whether it is closed, and its archive packages (being built, ready to
    download, or failed with the reason)."""

    permission_required = "records.view_archivepackage"
    existence_private = True
    template_name = "records/archive_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cases=archivable_cases(), **kwargs)


class ArchivePackageCreateView(ServiceActionView):
    """Ask for the archive package of a closed round's case (built by a Celery task)."""

    permission_required = "records.add_archivepackage"
    existence_private = True
    success_message = gettext_lazy("The archive package is being built. Reload this page to see when it is ready.")

    def load(self) -> None:
        self.case = archivable_case(self.kwargs["pk"])
        if self.case is None:
            raise Http404

    def perform(self):
        return services.archive_package_request(case=self.case, user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("records:archive_list")


class ArchivePackageDownloadView(PermissionMixin, View):
    """A built archive package (ZIP); each download is noted in the audit log."""

    permission_required = "records.view_archivepackage"
    existence_private = True

    def load(self) -> None:
        self.package = archive_package_ready(self.kwargs["pk"])
        if self.package is None:
            raise Http404

    def get(self, request, pk):
        name = self.package.file.name.rsplit("/", 1)[-1]
        services.archive_package_audit(package_case=self.package.case, user=request.user, filename=name)
        return FileResponse(
            self.package.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
        )
