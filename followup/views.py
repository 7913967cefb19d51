from collections import defaultdict
from decimal import Decimal

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

from . import bulk, exporting, importing, presentation, selectors, services
from .choices import CoFinancingSource, Instrument
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
        lines = Paginator(selectors.expenditure_lines(allocation), LINES_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            allocation=allocation,
            lines=lines,
            page_obj=lines,
            is_paginated=lines.has_other_pages(),
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


class _ImportView(_AppropriationMixin, View):
    """Upload a year's file, see every bad row or a preview; nothing is saved before the confirmation.

    A file that passes is kept (a stash, `services.import_stash_create`) and its token put in the
    session; the confirmation (`_ImportConfirmView`) saves it. Subclasses say how a file is checked
    (`check`) and what the preview shows (`preview`).
    """

    kind = "use"
    template_name = ""

    @property
    def session_key(self) -> str:
        return SESSION_KEY if self.kind == "use" else f"{SESSION_KEY}_{self.kind}"

    def get(self, request, year):
        return self.render(ImportForm())

    def post(self, request, year):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        content = form.cleaned_data["file"].read()
        result, context = self.check(content)
        request.session.pop(self.session_key, None)
        if result.is_valid:
            token = services.import_stash_create(
                user=request.user, year=year, content=content, kind=self.kind, versions=self.versions(result, context)
            )
            request.session[self.session_key] = {"year": year, "token": str(token)}
        preview = self.preview(result, context) if result.is_valid else None
        return self.render(ImportForm(), result=result, preview=preview)

    def check(self, content: bytes):
        """(the checked file, what it was checked against)."""
        raise NotImplementedError

    def versions(self, result, context) -> dict:
        return {}

    def preview(self, result, context):
        raise NotImplementedError

    def render(self, form, **extra):
        context = {"appropriation": self.appropriation, "form": form, "max_lines": importing.MAX_IMPORT_LINES}
        return render(self.request, self.template_name, {**context, **self.extra_context(), **extra})

    def extra_context(self) -> dict:
        return {}


class ImportView(_ImportView):
    """The use of the 1:1 money: every county for ministry and agency, one's own county for a region."""

    template_name = "followup/expenditure_import.html"

    def check(self, content):
        context = services.import_context(year=self.appropriation.year, user=self.request.user)
        return importing.validate(content, context), context

    def preview(self, result, context):
        """Per county and instrument the use stored now and the file's, then the file's lines."""
        codes = result.totals_by_region()
        old = selectors.expenditure_totals_by_instrument(year=self.appropriation.year, region_codes=list(codes))
        new: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for line in result.lines:
            new[line.region_code, line.instrument] += line.amount
        labels = dict(Instrument.choices)
        counties = []
        for code, total in codes.items():
            instruments = [
                {
                    "name": labels[instrument],
                    "old": old.get((code, instrument), 0),
                    "new": new.get((code, instrument), 0),
                }
                for instrument in Instrument.values
                if (code, instrument) in old or (code, instrument) in new
            ]
            counties.append(
                {
                    "code": code,
                    "name": context.region_names[code],
                    "total": total,
                    "old_total": sum((row["old"] for row in instruments), Decimal(0)),
                    "frame": context.frames[code],
                    "instruments": instruments,
                }
            )
        lines = [
            {
                "line": line.line,
                "county": context.region_names[line.region_code],
                "instrument": labels[line.instrument],
                "priority": line.priority_number,
                "amount": line.amount,
                "approved_exception": line.approved_exception,
                "description": line.description,
            }
            for line in result.lines
        ]
        return {"counties": counties, "lines": lines}

    def extra_context(self):
        return {"instrument_names": ", ".join(f"”{name}”" for name in importing.INSTRUMENT_NAMES.values())}


class CoFinancingImportView(_ImportView):
    """Co-financing per county and source from a file: every county for ministry and agency, one's own for a region."""

    kind = "cofinancing"
    template_name = "followup/cofinancing_import.html"

    def check(self, content):
        context = services.import_context(year=self.appropriation.year, user=self.request.user)
        return bulk.validate_cofinancing(content, context), context

    def preview(self, result, context):
        labels = dict(CoFinancingSource.choices)
        return [
            {
                "line": line.line,
                "county": context.region_names[line.region_code],
                "source": labels[line.source],
                "amount": line.amount,
            }
            for line in result.lines
        ]

    def extra_context(self):
        return {"source_names": ", ".join(f"”{name}”" for name in bulk.SOURCE_NAMES.values())}


class ResultsImportView(_ImportView):
    """Result indicators from a file: every county for ministry and agency, one's own for a region."""

    kind = "results"
    template_name = "followup/results_import.html"

    def check(self, content):
        context = services.import_context(year=self.appropriation.year, user=self.request.user)
        return bulk.validate_results(content, context), context

    def preview(self, result, context):
        return [{"county": context.region_names[line.region_code], "row": line} for line in result.lines]


class FramesImportView(_ImportView):
    """Frames and conditions of every county for a year from one file (ministry)."""

    kind = "frames"
    permission_required = "followup.import_frames"
    template_name = "followup/frames_import.html"

    def check(self, content):
        context = services.frames_context(year=self.appropriation.year)
        return bulk.validate_frames(content, context), context

    def versions(self, result, context):
        return services.frames_versions(context=context, result=result)

    def preview(self, result, context):
        labels = {
            "conditions_decided_on": _("Date of the conditions decision"),
            "conditions": _("Conditions"),
            "reporting_requirements": _("Reporting requirements"),
        }
        return bulk.frame_changes(result, context, labels)


class _ImportConfirmView(_AppropriationMixin, View):
    """Save the previewed file, all or nothing (checked again, since figures may have moved meanwhile)."""

    http_method_names = ["post"]
    kind = "use"
    import_url = "followup:import"

    @property
    def session_key(self) -> str:
        return SESSION_KEY if self.kind == "use" else f"{SESSION_KEY}_{self.kind}"

    def confirm(self, token):
        raise NotImplementedError

    def success_message(self, result) -> str:
        raise NotImplementedError

    def post(self, request, year):
        stored = request.session.get(self.session_key) or {}
        if stored.get("year") != year:
            messages.error(request, _("There is no checked file to save: upload the file again."))
            return redirect(self.import_url, year=year)
        try:
            result = self.confirm(stored.get("token"))
        except services.ImportStashGone:
            messages.error(
                request,
                _("The file was already saved, or its check has expired: look at the figures, or upload it again."),
            )
            return redirect(self.import_url, year=year)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, _("The file was not saved.") + " " + message)
            return redirect(self.import_url, year=year)
        except services.ImportRefused as refused:
            messages.error(request, _("The file was not saved: it no longer passes the checks. Upload it again."))
            for error in refused.result.errors:
                messages.error(request, _("Line {line}: {message}").format(line=error.line, message=error.message))
            return redirect(self.import_url, year=year)
        finally:
            request.session.pop(self.session_key, None)
        messages.success(request, self.success_message(result))
        if is_regional_user(request.user):
            return redirect("followup:allocation_detail", slug=request.user.region.slug, year=year)
        return redirect(reverse("followup:national") + f"?year={year}")


class ImportConfirmView(_ImportConfirmView):
    def confirm(self, token):
        return services.expenditure_import_confirm(
            appropriation=self.appropriation, user=self.request.user, token=token
        )

    def success_message(self, result):
        return _("{lines} lines of use were saved for {counties} county/counties in {year}.").format(
            lines=len(result.lines), counties=len(result.totals_by_region()), year=self.appropriation.year
        )


class CoFinancingImportConfirmView(_ImportConfirmView):
    kind = "cofinancing"
    import_url = "followup:cofinancing_import"

    def confirm(self, token):
        return services.cofinancing_import_confirm(
            appropriation=self.appropriation, user=self.request.user, token=token
        )

    def success_message(self, result):
        return _("The co-financing of {counties} county/counties in {year} was saved ({lines} rows).").format(
            lines=len(result.lines), counties=len(result.region_codes), year=self.appropriation.year
        )


class ResultsImportConfirmView(_ImportConfirmView):
    kind = "results"
    import_url = "followup:results_import"

    def confirm(self, token):
        return services.results_import_confirm(appropriation=self.appropriation, user=self.request.user, token=token)

    def success_message(self, result):
        return _("The results of {counties} county/counties in {year} were saved ({lines} indicators).").format(
            lines=len(result.lines), counties=len(result.region_codes), year=self.appropriation.year
        )


class FramesImportConfirmView(_ImportConfirmView):
    kind = "frames"
    import_url = "followup:frames_import"
    permission_required = "followup.import_frames"

    def confirm(self, token):
        return services.frames_import_confirm(appropriation=self.appropriation, user=self.request.user, token=token)

    def success_message(self, result):
        return _("The frames and conditions of {counties} county/counties in {year} were saved.").format(
            counties=len(result.region_codes), year=self.appropriation.year
        )


class FramesTemplateView(_AppropriationMixin, View):
    """The year's frames file: the 21 counties with their current frame and conditions, to fill in (ministry)."""

    permission_required = "followup.import_frames"

    def get(self, request, year, fmt):
        context = services.frames_context(year=year)
        rows = bulk.frames_template_rows(context.region_names, context.allocations)
        return _download(bulk.write_frames(rows, fmt), name=f"anslag-1-1-ramar-{year}", fmt=fmt)


class ExportView(View):
    """The year's use in the import format: every county for ministry and agency, one's own for a region."""

    def get(self, request, year, fmt):
        allocations = selectors.allocations_visible_to(request.user).filter(appropriation__year=year)
        return exporting.download(
            selectors.expenditure_export_rows(allocations),
            header=importing.HEADER,
            fmt=fmt,
            name=f"anslag-1-1-anvandning-{year}",
            title="Användning",
            widths=exporting.USE_WIDTHS,
        )


class ExportAllYearsView(View):
    """The use of every year in the import format with the year in front, streamed (it grows with
    the years): every county for ministry and agency, one's own for a region."""

    def get(self, request, fmt):
        allocations = selectors.allocations_visible_to(request.user)
        return exporting.download(
            selectors.expenditure_export_rows(allocations, with_year=True),
            header=exporting.ALL_YEARS_HEADER,
            fmt=fmt,
            name="anslag-1-1-anvandning-alla-ar",
            title="Användning alla år",
            widths=exporting.ALL_YEARS_WIDTHS,
        )


class TemplateDownloadView(View):
    def get(self, request, fmt):
        return _download(_write(importing.TEMPLATE_ROWS, fmt), name="anslag-1-1-mall", fmt=fmt)


class CoFinancingTemplateView(View):
    def get(self, request, fmt):
        content = bulk.write_cofinancing(bulk.COFINANCING_TEMPLATE_ROWS, fmt)
        return _download(content, name="anslag-1-1-mall-medfinansiering", fmt=fmt)


class ResultsTemplateView(View):
    def get(self, request, fmt):
        return _download(bulk.write_results(bulk.RESULT_TEMPLATE_ROWS, fmt), name="anslag-1-1-mall-resultat", fmt=fmt)
