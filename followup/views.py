from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import is_own_region, is_regional_user
from core.concurrency import StaleEditError
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
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


class NationalView(TemplateView):
    """All counties side by side for a year (ministry, agency); a regional user goes to their county."""

    template_name = "followup/appropriation_detail.html"

    def get(self, request, *args, **kwargs):
        if is_regional_user(request.user):
            return redirect("followup:region", slug=request.user.region.slug)
        if not request.user.has_perm("followup.view_national"):
            raise PermissionDenied
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


class AppropriationCreateView(PermissionRequiredMixin, View):
    """Open a new budget year (ministry, agency): every county gets an allocation to fill in."""

    permission_required = "followup.add_appropriation"
    template_name = "followup/appropriation_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AppropriationForm()})

    def post(self, request):
        form = AppropriationForm(request.POST)
        if form.is_valid():
            appropriation = services.appropriation_create(**form.cleaned_data)
            messages.success(
                request, _("The year {year} was created: set each county's frame.").format(year=appropriation.year)
            )
            return redirect(appropriation)
        return render(request, self.template_name, {"form": form})


class TrendView(PermissionRequiredMixin, TemplateView):
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


class RegionTrendView(TemplateView):
    """One county's figures over the years (404 for a county the user may not see)."""

    template_name = "followup/allocation_list.html"

    def get_context_data(self, **kwargs):
        region = get_object_or_404(Region, slug=self.kwargs["slug"])
        if not (self.request.user.has_perm("followup.view_national") or is_own_region(self.request.user, region)):
            raise Http404
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


class AllocationMixin:
    """The allocation of the URL's county and year, if the user may see it (else 404)."""

    permission = "followup.view_allocation"

    def get_allocation(self, queryset=None) -> Allocation:
        if queryset is None:
            queryset = selectors.allocations_visible_to(self.request.user).select_related("region", "appropriation")
        allocation = get_object_or_404(
            queryset, region__slug=self.kwargs["slug"], appropriation__year=self.kwargs["year"]
        )
        if not self.request.user.has_perm(self.permission, allocation):
            raise PermissionDenied
        return allocation


class AllocationDetailView(AllocationMixin, TemplateView):
    template_name = "followup/allocation_detail.html"

    def get_context_data(self, **kwargs):
        allocation = self.get_allocation(
            selectors.allocation_for(user=self.request.user, slug=self.kwargs["slug"], year=self.kwargs["year"])
        )
        return super().get_context_data(
            allocation=allocation,
            cofinancing=presentation.cofinancing_rows(allocation),
            chart=presentation.allocation_chart(allocation),
            can_change=self.request.user.has_perm("followup.change_allocation", allocation),
            can_report=self.request.user.has_perm("followup.report_allocation", allocation),
            **kwargs,
        )


class AllocationUpdateView(AllocationMixin, View):
    """The frame and conditions decision (ministry and agency)."""

    permission = "followup.change_allocation"
    template_name = "followup/allocation_form.html"

    def get(self, request, **kwargs):
        allocation = self.get_allocation()
        return self.render(allocation, AllocationForm(instance=allocation))

    def post(self, request, **kwargs):
        allocation = self.get_allocation()
        form = AllocationForm(request.POST, instance=allocation)
        if form.is_valid():
            data = {key: form.cleaned_data[key] for key in AllocationForm.Meta.fields}
            try:
                services.allocation_update(allocation=allocation, expected_version=form.cleaned_data["version"], **data)
            except (StaleEditError, ValidationError) as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, _("The frame and conditions were saved."))
                return redirect(allocation)
        return self.render(allocation, form)

    def render(self, allocation, form):
        return render(self.request, self.template_name, {"allocation": allocation, "form": form})


class AllocationLinesView(AllocationMixin, View):
    """Lines of use or result indicators of one county and year, edited together as one change."""

    permission = "followup.report_allocation"
    formset_class = None
    service = None
    template_name = ""
    success_message = ""

    def formset(self, allocation, data=None):
        """The lines of the page asked for (`?page=`), a page at a time (see forms.LINES_PER_PAGE)."""
        model = self.formset_class.model
        lines = model.objects.filter(allocation=allocation).order_by(*model._meta.ordering, "pk")
        self.page = Paginator(lines, LINES_PER_PAGE).get_page(self.request.GET.get("page"))
        start = self.page.start_index() - 1 if self.page.paginator.count else 0
        return self.formset_class(
            data,
            allocation=allocation,
            can_mark_exception=self.request.user.has_perm("followup.mark_exception"),
            prefix="lines",
            queryset=lines.select_related("priority")[start : start + LINES_PER_PAGE],
        )

    def get(self, request, **kwargs):
        allocation = self.get_allocation()
        version = VersionForm(initial={"version": allocation.version})
        return self.render(allocation, self.formset(allocation), version)

    def post(self, request, **kwargs):
        allocation = self.get_allocation()
        formset = self.formset(allocation, request.POST)
        version = VersionForm(request.POST)
        if formset.is_valid() and version.is_valid():
            saved = formset.save(commit=False)
            try:
                self.service(
                    allocation=allocation,
                    expected_version=version.cleaned_data["version"],
                    saved=saved,
                    deleted=formset.deleted_objects,
                )
            except StaleEditError as error:
                messages.error(request, str(error))
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, self.success_message)
                return redirect(allocation)
        return self.render(allocation, formset, version)

    def render(self, allocation, formset, version):
        context = {"allocation": allocation, "formset": formset, "version_form": version}
        context |= {
            "page_obj": self.page,
            "line_offset": self.page.start_index() - 1 if self.page.paginator.count else 0,
        }
        return render(self.request, self.template_name, context)


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


class CoFinancingReportView(AllocationMixin, View):
    permission = "followup.report_allocation"
    template_name = "followup/cofinancing_form.html"

    def get(self, request, **kwargs):
        allocation = self.get_allocation()
        initial = dict(allocation.cofinancing.values_list("source", "amount"))
        form = CoFinancingForm(initial={**initial, "version": allocation.version})
        return render(request, self.template_name, {"allocation": allocation, "form": form})

    def post(self, request, **kwargs):
        allocation = self.get_allocation()
        form = CoFinancingForm(request.POST)
        if form.is_valid():
            try:
                services.allocation_report_cofinancing(
                    allocation=allocation, expected_version=form.cleaned_data["version"], amounts=form.amounts()
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The co-financing was saved."))
                return redirect(allocation)
        return render(request, self.template_name, {"allocation": allocation, "form": form})


class ImportView(PermissionRequiredMixin, View):
    """Upload a year's file, see every bad row or a preview; nothing is saved before the confirmation."""

    permission_required = "followup.import_expenditure"
    template_name = "followup/expenditure_import.html"

    def get(self, request, year):
        appropriation = get_object_or_404(Appropriation, year=year)
        return self.render(appropriation, ImportForm())

    def post(self, request, year):
        appropriation = get_object_or_404(Appropriation, year=year)
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


class ImportConfirmView(PermissionRequiredMixin, View):
    """Save the previewed file, all or nothing (checked again, since figures may have moved meanwhile)."""

    permission_required = "followup.import_expenditure"

    def post(self, request, year):
        appropriation = get_object_or_404(Appropriation, year=year)
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
