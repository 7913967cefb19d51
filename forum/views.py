from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from . import selectors, services
from .filters import MeetingFilter
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    DocumentForm,
    ForumForm,
    ForumPeriodForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
)
from .ics import calendar_for
from .models import AgendaItem, Forum, Meeting, MeetingDocument, Membership
from .rendering import minutes_pdf


class _Permission(PermissionMixin):
    """Forum permissions depend on the role alone (MODEL.md): a refusal is 403 (nothing in the
    forum is private to a county) and the object is not loaded for the check."""


class _FormPage(ServiceFormMixin):
    """A form page that saves through `perform(form)` (core.views), with the heading, submit
    label and cancel link of the shared form template."""

    heading = ""
    submit_label = _("Save")

    def get_heading(self):
        return self.heading

    def get_cancel_url(self):
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.get_heading(), submit_label=self.submit_label, cancel_url=self.get_cancel_url(), **kwargs
        )


def _year_param(request, forum: Forum) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return forum.year_within(year)


class ForumListView(_Permission, ListView):
    permission_required = "forum.view_forum"
    template_name = "forum/forum_list.html"
    context_object_name = "fora"

    def get_queryset(self):
        return selectors.fora_for_list()

    def get_context_data(self, **kwargs):
        upcoming = selectors.meetings_upcoming()[:5]
        this_year = timezone.localdate().year
        fora = list(self.object_list)
        return super().get_context_data(
            upcoming=upcoming,
            this_year=this_year,
            periods_now=selectors.periods_now(fora, this_year),
            object_list=fora,
            **kwargs,
        )


class ForumCreateView(_Permission, _FormPage, CreateView):
    """A new period of one of the fora (e.g. 2021–2024), with its chair and, if asked, the members
    of the period before."""

    permission_required = "forum.change_forum"
    heading = _("New forum period")
    submit_label = _("Create the period")
    form_class = ForumPeriodForm
    template_name = "forum/forum_form.html"

    def get_initial(self):
        this_year = timezone.localdate().year
        return {"start_year": this_year, "end_year": this_year + 3}

    def perform(self, form):
        forum, self.carried, self.skipped = services.forum_period_create(
            forum=form.instance, carry_members=form.cleaned_data["carry_members"]
        )
        return forum

    def get_success_message(self):
        message = str(_("The forum period was created."))
        if self.carried or self.skipped:
            message += " " + ngettext(
                "{count} member was carried over.", "{count} members were carried over.", self.carried
            ).format(count=self.carried)
        if self.skipped:
            message += " " + ngettext(
                "{count} seat no longer fits its county and was left out.",
                "{count} seats no longer fit their county and were left out.",
                self.skipped,
            ).format(count=self.skipped)
        return message

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return reverse("forum:forum_list")


def _period_note(forum: Forum) -> dict:
    """What the forum's pages say when its period does not cover this year: this year and the period
    of the same forum that does, if any."""
    this_year = timezone.localdate().year
    if forum.covers(this_year):
        return {"this_year": this_year, "covers_this_year": True}
    return {
        "this_year": this_year,
        "covers_this_year": False,
        "current_period": selectors.period_covering(forum.kind, this_year),
    }


# The forum's page lists its latest meetings; the meeting list, filtered by forum, has the rest.
FORUM_MEETINGS_SHOWN = 20


class ForumDetailView(_Permission, DetailView):
    permission_required = "forum.view_forum"
    template_name = "forum/forum_detail.html"
    context_object_name = "forum"

    def get_queryset(self):
        return selectors.forum_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        forum = self.object
        year = _year_param(self.request, forum)
        return super().get_context_data(
            year=year,
            memberships=selectors.memberships_in_year(forum, year),
            meetings=selectors.meetings_of(forum)[:FORUM_MEETINGS_SHOWN],
            **_period_note(forum),
            **kwargs,
        )


class ForumUpdateView(_Permission, _FormPage, UpdateView):
    permission_required = "forum.change_forum"
    heading = _("Edit the forum")
    model = Forum
    form_class = ForumForm
    template_name = "forum/forum_form.html"

    success_message = _("The forum was saved.")

    def perform(self, form):
        return services.forum_save(forum=form.instance)


class CompositionView(_Permission, DetailView):
    """Per county: the seats it has in the forum that year, who holds them, and which are empty."""

    permission_required = "forum.view_forum"
    template_name = "forum/forum_composition.html"
    context_object_name = "forum"
    queryset = Forum.objects.all()

    def get_context_data(self, **kwargs):
        year = _year_param(self.request, self.object)
        rows = selectors.composition(self.object, year)
        summary = selectors.composition_summary(rows)
        only_gaps = self.request.GET.get("empty") == "1"
        if only_gaps:
            rows = [row for row in rows if row.empty_count or row.unexpected]
        return super().get_context_data(
            year=year, rows=rows, summary=summary, only_gaps=only_gaps, **_period_note(self.object), **kwargs
        )


class _ForumChildMixin(_Permission):
    """Views that create something inside one forum (found by `forum_pk`)."""

    def load(self):
        self._forum = get_object_or_404(Forum, pk=self.kwargs["forum_pk"])

    def get_forum(self) -> Forum:
        return self._forum

    def get_permission_object(self):
        return self.get_forum()

    def get_context_data(self, **kwargs):
        return super().get_context_data(forum=self.get_forum(), **kwargs)


class MembershipCreateView(_ForumChildMixin, _FormPage, CreateView):
    permission_required = "forum.change_forum"
    heading = _("Add a member")
    submit_label = _("Add the member")
    form_class = MembershipForm
    template_name = "forum/membership_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Membership(forum=self.get_forum())}

    success_message = _("The member was added.")

    def perform(self, form):
        return services.membership_save(membership=form.instance)

    def get_success_url(self):
        return f"{self.get_forum().get_absolute_url()}?year={self.object.valid_from.year}"

    def get_cancel_url(self):
        return self.get_forum().get_absolute_url()


class MembershipUpdateView(_Permission, _FormPage, UpdateView):
    permission_required = "forum.change_forum"
    heading = _("Change the member")
    form_class = MembershipForm
    template_name = "forum/membership_form.html"
    queryset = Membership.objects.select_related("forum")

    def get_context_data(self, **kwargs):
        return super().get_context_data(forum=self.object.forum, **kwargs)

    success_message = _("The member was saved.")

    def perform(self, form):
        return services.membership_save(membership=form.instance)

    def get_success_url(self):
        return f"{self.object.forum.get_absolute_url()}?year={self.object.valid_from.year}"

    def get_cancel_url(self):
        return self.object.forum.get_absolute_url()


class MeetingListView(_Permission, ListView):
    """Upcoming meetings of both fora (or, with ?when=past, earlier ones)."""

    permission_required = "forum.view_meeting"
    template_name = "forum/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        self.past = self.request.GET.get("when") == "past"
        meetings = selectors.meetings_past() if self.past else selectors.meetings_upcoming()
        self.filterset = MeetingFilter(self.request.GET or None, queryset=meetings)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            past=self.past, filter=self.filterset, query=query.urlencode(), fora=Forum.objects.all(), **kwargs
        )


class MeetingCreateView(_ForumChildMixin, _FormPage, CreateView):
    permission_required = "forum.add_meeting"
    heading = _("Schedule a meeting")
    submit_label = _("Schedule the meeting")
    form_class = MeetingForm
    template_name = "forum/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Meeting(forum=self.get_forum())}

    success_message = _("The meeting was scheduled. Now build its agenda.")

    def perform(self, form):
        return form.save()  # plain CRUD: the meeting has no side effect to run

    def get_cancel_url(self):
        return self.get_forum().get_absolute_url()


class MeetingUpdateView(_Permission, _FormPage, UpdateView):
    permission_required = "forum.change_meeting"
    heading = _("Edit the meeting")
    form_class = MeetingForm
    template_name = "forum/meeting_form.html"
    queryset = Meeting.objects.select_related("forum")

    def get_context_data(self, **kwargs):
        return super().get_context_data(forum=self.object.forum, meeting=self.object, **kwargs)

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    success_message = _("The meeting was saved.")

    def perform(self, form):
        return form.save()  # plain CRUD: the meeting has no side effect to run


class MeetingDetailView(_Permission, DetailView):
    permission_required = "forum.view_meeting"
    template_name = "forum/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return selectors.meeting_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        meeting = self.object
        can_edit = self.request.user.has_perm("forum.change_meeting", meeting) and not meeting.minutes_approved
        has_minutes = any(item.minutes for item in meeting.agenda_items.all())
        return super().get_context_data(can_edit=can_edit, has_minutes=has_minutes, **kwargs)


class MeetingMinutesPdfView(_Permission, DetailView):
    """The meeting's minutes as a PDF, made on request (a draft until the ministry approves them);
    whoever reads the meeting page reads its minutes."""

    permission_required = "forum.view_meeting"

    def get_queryset(self):
        return selectors.meeting_for_minutes(self.kwargs["pk"])

    def render_to_response(self, context):
        day = timezone.localdate(self.object.start).isoformat()
        response = HttpResponse(minutes_pdf(self.object), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="protokoll-{day}-mote-{self.object.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class MeetingMinutesApproveView(ServiceActionView):
    """The ministry approves the meeting's minutes (a button on the meeting page)."""

    permission_required = "forum.change_meeting"
    success_message = _("The minutes were approved. They can no longer be changed.")

    def load(self):
        self.meeting = get_object_or_404(Meeting, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.meeting

    def perform(self):
        return services.meeting_minutes_approve(meeting=self.meeting, user=self.request.user)

    def get_success_url(self):
        return self.meeting.get_absolute_url()


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MeetingCalendarView(_Permission, DetailView):
    permission_required = "forum.view_meeting"

    def get_queryset(self):
        return selectors.meeting_for_calendar(self.kwargs["pk"])

    def render_to_response(self, context):
        content = calendar_for([self.object], host=self.request.get_host(), name=self.object.title)
        return _ics_response(content, f"forum-mote-{self.object.pk}.ics")


class ForumCalendarView(_Permission, DetailView):
    """Every meeting of one forum as an iCalendar feed."""

    permission_required = "forum.view_forum"
    queryset = Forum.objects.all()

    def render_to_response(self, context):
        meetings = selectors.forum_meetings_for_calendar(self.object)
        content = calendar_for(meetings, host=self.request.get_host(), name=self.object.name)
        return _ics_response(content, f"forum-{self.object.pk}.ics")


class _MeetingChildMixin(_Permission, _FormPage):
    """Views that change something inside one meeting (found by `meeting_pk`)."""

    permission_required = "forum.change_meeting"

    def load(self):
        self._meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=self.kwargs["meeting_pk"])

    def get_meeting(self) -> Meeting:
        return self._meeting

    def get_permission_object(self):
        return self.get_meeting()

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        return super().get_context_data(meeting=meeting, forum=meeting.forum, **kwargs)

    def get_success_url(self):
        return self.get_meeting().get_absolute_url()


class AgendaItemCreateView(_MeetingChildMixin, CreateView):
    heading = _("Add an agenda item")
    submit_label = _("Add the item")
    form_class = AgendaItemForm
    template_name = "forum/agendaitem_form.html"

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        item = AgendaItem(meeting=meeting, position=services.agenda_item_next_position(meeting))
        return {**super().get_form_kwargs(), "instance": item, "initial": {"position": item.position}}

    success_message = _("The item was added to the agenda.")

    def perform(self, form):
        return services.agenda_item_create(item=form.instance)


class _AgendaItemEditMixin(_Permission, _FormPage):
    permission_required = "forum.change_meeting"
    queryset = AgendaItem.objects.select_related("meeting__forum", "topic")
    context_object_name = "item"
    success_message = _("The agenda item was saved.")

    def get_context_data(self, **kwargs):
        meeting = self.object.meeting
        return super().get_context_data(meeting=meeting, forum=meeting.forum, **kwargs)

    def get_success_url(self):
        return self.object.get_absolute_url()


class AgendaItemUpdateView(_AgendaItemEditMixin, UpdateView):
    form_class = AgendaItemForm
    template_name = "forum/agendaitem_form.html"

    def get_heading(self):
        return _("Edit agenda item {number}").format(number=self.object.position)

    def perform(self, form):
        services.agenda_item_update(item=form.instance, expected_version=form.cleaned_data["version"])


class MinutesUpdateView(_AgendaItemEditMixin, UpdateView):
    form_class = MinutesForm
    template_name = "forum/agendaitem_minutes.html"
    submit_label = _("Save the minutes")

    def get_heading(self):
        return _("Minutes of item {item}").format(item=self.object)

    def perform(self, form):
        services.agenda_item_minutes_save(
            item=self.object, minutes=form.cleaned_data["minutes"], expected_version=form.cleaned_data["version"]
        )


class AttendanceView(_MeetingChildMixin, FormView):
    form_class = AttendanceForm
    template_name = "forum/attendance_form.html"
    heading = _("Record attendance")

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        recorded = {a.contact_id: a for a in meeting.attendances.select_related("contact")}
        national = _("national seat")  # outside the f-string, so that makemessages finds it
        contacts = [
            (m.contact, f"{m.region or national}, {m.get_role_display()}") for m in selectors.members_on(meeting)
        ]
        listed = {contact.pk for contact, _description in contacts}
        contacts += [(a.contact, "") for contact_id, a in recorded.items() if contact_id not in listed]
        initial = {contact_id: a.status for contact_id, a in recorded.items()}
        return {**super().get_form_kwargs(), "contacts": contacts, "initial_statuses": initial}

    success_message = _("The attendance was saved.")

    def perform(self, form):
        services.attendance_record(meeting=self.get_meeting(), statuses=form.statuses())


class DocumentUploadView(_MeetingChildMixin, FormView):
    form_class = DocumentForm
    template_name = "forum/meetingdocument_form.html"
    heading = _("Attach a document")
    submit_label = _("Attach")

    success_message = _("The document was attached.")

    def perform(self, form):
        services.meeting_document_add(
            meeting=self.get_meeting(),
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
            user=self.request.user,
        )


class DocumentDownloadView(_Permission, DetailView):
    """Serves a meeting document to a logged-in user, always as a download with a safe file name."""

    permission_required = "forum.view_meetingdocument"
    queryset = MeetingDocument.objects.all()

    def render_to_response(self, context):
        document = self.object
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )
        response["Cache-Control"] = "private, no-store"
        return response
