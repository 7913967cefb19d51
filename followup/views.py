from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.rules import is_regional_user
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.views import PermissionMixin, ServiceFormMixin
from regions.models import Region

from . import importing, presentation, selectors, services
from .forms import (
    LINES_PER_PAGE,
    AllocationForm,
    AppropriationForm,
    CoFinancingForm,
    ExpenditureFormSet,
    ImportForm,
    ResultIndicatorFormSet,
    VersionForm,
)
from .models import Allocation, Appropriation

SESSION_KEY = "followup_import"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _download(content: bytes, *, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _write(rows: list[list], fmt: str) -> bytes:
    return importing.write_xlsx(rows) if fmt == "xlsx" else importing.write_csv(rows)


class NationalView(PermissionMixin, TemplateView):
    """All counties side by side for a year (ministry, agency); a regional user goes to their county."""

    template_name = "followup/appropriation_detail.html"
    permission_required = "followup.view_national"

    def has_permission(self):
        # A county's user is not refused but sent on to its own county's figures (get()).
        return is_regional_user(self.request.user) or super().has_permission()

    def get(self, request, *args, **kwargs):
        if is_regional_user(request.user):
            return redirect("followup:region", slug=request.user.region.slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        appropriations = {a.year: a for a in Appropriation.objects.all()}
        chosen = self.request.GET.get("year", "")
        year = int(chosen) if chosen.isdigit() and int(chosen) in appropriations else max(appropriations, default=None)
        sort = self.request.GET.get("sort", "region__code")
        return super().get_context_data(
            years=list(appropriations),
            appropriation=appropriations.get(year),
            year=year,
            sort=sort,
            columns=presentation.sort_columns(sort, year),
            # Computed only when the page's cached part is rendered again.
            figures=SimpleLazyObject(lambda: self.figures(year, sort)),
            **kwargs,
        )

    @staticmethod
    def figures(year: int | None, sort: str) -> dict:
        rows = list(selectors.national_comparison(year=year, sort=sort)) if year else []
        return {
            "rows": rows,
            "any_demo": any(row.is_demo for row in rows),
            "charts": presentation.national_charts(rows, year) if rows else [],
        }


class AppropriationCreateView(PermissionMixin, ServiceFormMixin, FormView):
    """Open a new budget year (ministry, agency): every county gets an allocation to fill in."""

    permission_required = "followup.add_appropriation"
    template_name = "followup/appropriation_form.html"
    form_class = AppropriationForm

    def perform(self, form):
        return services.appropriation_create(**form.cleaned_data)

    def get_success_message(self):
        return _("The year {year} was created: set each county's frame.").format(year=self.object.year)

    def get_success_url(self):
        return self.object.get_absolute_url()


class TrendView(PermissionMixin, TemplateView):
    """The appropriation year over year: all counties' figures summed per year."""

    template_name = "followup/appropriation_list.html"
    permission_required = "followup.view_national"

    def get_context_data(self, **kwargs):
        appropriations = list(selectors.appropriations_with_totals())
        measure = self.request.GET.get("measure", "utilisation")
        measure = measure if measure in presentation.MEASURES else "utilisation"
        years, county_rows = presentation.county_year_table(list(selectors.county_years()), measure)
        return super().get_context_data(
            appropriations=appropriations,
            any_demo=Allocation.objects.filter(is_demo=True).exists(),
            measure_tabs=presentation.measure_tabs(measure),
            county_years=years,
            county_rows=county_rows,
            charts=presentation.trend_charts(appropriations, place=_("all counties")) if appropriations else [],
            **kwargs,
        )


class RegionTrendView(PermissionMixin, TemplateView):
    """One county's figures over the years (404 for a county the user may not see)."""

    template_name = "followup/allocation_list.html"
    permission_required = "followup.view_region_figures"
    existence_private = True

    def load(self):
        self.region = get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.region

    def get_context_data(self, **kwargs):
        region = self.region
        return super().get_context_data(
            region=region,
            # Computed only when the page's cached part is rendered again.
            figures=SimpleLazyObject(lambda: self.figures(self.request.user, region)),
            **kwargs,
        )

    @staticmethod
    def figures(user, region: Region) -> dict:
        allocations = list(selectors.region_trend(user=user, slug=region.slug))
        return {
            "allocations": allocations,
            "any_demo": any(a.is_demo for a in allocations),
            "charts": presentation.trend_charts(allocations, place=region.name) if allocations else [],
        }


class AllocationMixin(PermissionMixin):
    """The allocation of the URL's county and year, looked up among those the user may see (404
    outside them); a permission refused on a visible allocation is a 403."""

    permission_required = "followup.view_allocation"

    def allocation_queryset(self):
        return selectors.allocations_visible_to(self.request.user).select_related("region", "appropriation")

    def load(self):
        self.allocation = get_object_or_404(
            self.allocation_queryset(), region__slug=self.kwargs["slug"], appropriation__year=self.kwargs["year"]
        )

    def get_permission_object(self):
        return self.allocation

    def get_success_url(self):
        return self.allocation.get_absolute_url()


class AllocationDetailView(AllocationMixin, TemplateView):
    template_name = "followup/allocation_detail.html"

    def allocation_queryset(self):
        return selectors.allocation_for(user=self.request.user, slug=self.kwargs["slug"], year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        allocation = self.allocation
        return super().get_context_data(
            allocation=allocation,
            cofinancing=presentation.cofinancing_rows(allocation),
            chart=presentation.allocation_chart(allocation),
            can_change=self.request.user.has_perm("followup.change_allocation", allocation),
            can_report=self.request.user.has_perm("followup.report_allocation", allocation),
            **kwargs,
        )


class AllocationUpdateView(AllocationMixin, ServiceFormMixin, FormView):
    """The frame and conditions decision (ministry and agency)."""

    permission_required = "followup.change_allocation"
    template_name = "followup/allocation_form.html"
    form_class = AllocationForm
    success_message = gettext_lazy("The frame and conditions were saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.allocation}

    def perform(self, form):
        data = {key: form.cleaned_data[key] for key in AllocationForm.Meta.fields}
        services.allocation_update(allocation=self.allocation, expected_version=form.cleaned_data["version"], **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation=self.allocation, **kwargs)


class AllocationLinesView(AllocationMixin, ServiceFormMixin, FormView):
    """Lines of use or result indicators of one county and year, edited together as one change.

    The page's form is the allocation's version (what core.views checks the service's answer
    against); the lines are a formset saved in the same service call.
    """

    permission_required = "followup.report_allocation"
    form_class = VersionForm
    formset_class = None
    service = None
    template_name = ""

    def get_formset(self, data=None):
        """The lines of the page asked for (`?page=`), a page at a time (see forms.LINES_PER_PAGE)."""
        model = self.formset_class.model
        lines = model.objects.filter(allocation=self.allocation).order_by(*model._meta.ordering, "pk")
        self.page = Paginator(lines, LINES_PER_PAGE).get_page(self.request.GET.get("page"))
        start = self.page.start_index() - 1 if self.page.paginator.count else 0
        return self.formset_class(
            data,
            allocation=self.allocation,
            can_mark_exception=self.request.user.has_perm("followup.mark_exception"),
            prefix="lines",
            queryset=lines.select_related("priority")[start : start + LINES_PER_PAGE],
        )

    def get_initial(self):
        return {"version": self.allocation.version}

    def get(self, request, *args, **kwargs):
        self.formset = self.get_formset()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.formset = self.get_formset(request.POST)
        form = self.get_form()
        if self.formset.is_valid() and form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def perform(self, form):
        self.service(
            allocation=self.allocation,
            expected_version=form.cleaned_data["version"],
            saved=self.formset.save(commit=False),
            deleted=self.formset.deleted_objects,
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        return super().get_context_data(
            allocation=self.allocation,
            formset=self.formset,
            version_form=kwargs["form"],
            page_obj=self.page,
            line_offset=self.page.start_index() - 1 if self.page.paginator.count else 0,
            **kwargs,
        )


class ExpenditureReportView(AllocationLinesView):
    formset_class = ExpenditureFormSet
    service = staticmethod(services.allocation_report_use)
    template_name = "followup/expenditure_form.html"
    success_message = gettext_lazy("The use was saved.")


class ResultReportView(AllocationLinesView):
    formset_class = ResultIndicatorFormSet
    service = staticmethod(services.allocation_report_results)
    template_name = "followup/resultindicator_form.html"
    success_message = gettext_lazy("The results were saved.")


class CoFinancingReportView(AllocationMixin, ServiceFormMixin, FormView):
    permission_required = "followup.report_allocation"
    template_name = "followup/cofinancing_form.html"
    form_class = CoFinancingForm
    success_message = gettext_lazy("The co-financing was saved.")

    def get_initial(self):
        initial = dict(self.allocation.cofinancing.values_list("source", "amount"))
        return {**initial, "version": self.allocation.version}

    def perform(self, form):
        services.allocation_report_cofinancing(
            allocation=self.allocation, expected_version=form.cleaned_data["version"], amounts=form.amounts()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(allocation=self.allocation, **kwargs)


class _AppropriationMixin(PermissionMixin):
    permission_required = "followup.import_expenditure"

    def load(self):
        self.appropriation = get_object_or_404(Appropriation, year=self.kwargs["year"])


class ImportView(_AppropriationMixin, View):
    """Upload a year's file, see every bad row or a preview; nothing is saved before the confirmation."""

    template_name = "followup/expenditure_import.html"

    def get(self, request, year):
        return self.render(self.appropriation, ImportForm())

    def post(self, request, year):
        appropriation = self.appropriation
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(appropriation, form)
        content = form.cleaned_data["file"].read()
        context = services.import_context(year=year, user=request.user)
        result = importing.validate(content, context)
        request.session.pop(SESSION_KEY, None)
        if result.is_valid:
            token = services.import_stash_create(user=request.user, year=year, content=content)
            request.session[SESSION_KEY] = {"year": year, "token": str(token)}
        preview = [
            {"name": context.region_names[code], "total": total, "frame": context.frames[code]}
            for code, total in result.totals_by_region().items()
        ]
        return self.render(appropriation, ImportForm(), result=result, preview=preview)

    def render(self, appropriation, form, **extra):
        context = {
            "appropriation": appropriation,
            "form": form,
            "instrument_names": ", ".join(f"”{name}”" for name in importing.INSTRUMENT_NAMES.values()),
            "max_lines": importing.MAX_IMPORT_LINES,
            **extra,
        }
        return render(self.request, self.template_name, context)


class ImportConfirmView(_AppropriationMixin, View):
    """Save the previewed file, all or nothing (checked again, since figures may have moved meanwhile)."""

    http_method_names = ["post"]

    def post(self, request, year):
        appropriation = self.appropriation
        stored = request.session.get(SESSION_KEY) or {}
        if stored.get("year") != year:
            messages.error(request, _("There is no checked file to save: upload the file again."))
            return redirect("followup:import", year=year)
        try:
            result = services.expenditure_import_confirm(
                appropriation=appropriation, user=request.user, token=stored.get("token")
            )
        except services.ImportStashGone:
            messages.error(
                request,
                _("The file was already saved, or its check has expired: look at the figures, or upload it again."),
            )
            return redirect("followup:import", year=year)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, _("The file was not saved.") + " " + message)
            return redirect("followup:import", year=year)
        except services.ImportRefused as refused:
            messages.error(request, _("The file was not saved: it no longer passes the checks. Upload it again."))
            for error in refused.result.errors:
                messages.error(request, _("Line {line}: {message}").format(line=error.line, message=error.message))
            return redirect("followup:import", year=year)
        finally:
            request.session.pop(SESSION_KEY, None)
        counties = len(result.totals_by_region())
        messages.success(
            request,
            _("{lines} lines of use were saved for {counties} county/counties in {year}.").format(
                lines=len(result.lines), counties=counties, year=year
            ),
        )
        if is_regional_user(request.user):
            return redirect("followup:allocation_detail", slug=request.user.region.slug, year=year)
        return redirect(reverse("followup:national") + f"?year={year}")


class ExportView(View):
    """The year's use in the import format: every county for ministry and agency, one's own for a region."""

    def get(self, request, year, fmt):
        allocations = selectors.allocations_visible_to(request.user).filter(appropriation__year=year)
        rows = selectors.expenditure_export_rows(allocations)
        return _download(_write(rows, fmt), name=f"anslag-1-1-anvandning-{year}", fmt=fmt)


class TemplateDownloadView(View):
    def get(self, request, fmt):
        return _download(_write(importing.TEMPLATE_ROWS, fmt), name="anslag-1-1-mall", fmt=fmt)
