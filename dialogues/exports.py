"""A round as tables, for CSV and XLSX. Every row comes from the visibility selectors, so an export
holds exactly what the user may see in the portal (no brief column and no unshared observation for
a county, nothing of another county)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Sheet, csv_bytes, xlsx_bytes

from .selectors import observation_is_shared


def round_table(dialogues, *, national: bool) -> tuple[list[str], list[list]]:
    """One row per dialogue. The county's own deadline (an extension) is shown to all who see the row;
    whether the submission came late (first sent in after the deadline in force), to national staff
    only, as in the portal: empty while it has not been sent in."""
    header = [_("County"), _("Kind"), _("Theme"), _("Start"), _("Place"), _("Status"), _("Submission")]
    header.append(_("Extended deadline"))
    if national:
        header += [_("Late"), _("Brief ready")]
    header += [_("Observations"), _("Open actions"), _("All actions")]
    rows = []
    for dialogue in dialogues.select_related("round"):  # the deadline in force is the round's, or the extension
        submission = getattr(dialogue, "submission", None)
        row = [
            dialogue.region.name,
            dialogue.get_kind_display(),
            dialogue.topic,
            timezone.localtime(dialogue.start).strftime("%Y-%m-%d %H:%M") if dialogue.start else "",
            dialogue.place or dialogue.video_link,
            dialogue.get_status_display(),
            submission.get_status_display() if submission else "",
            submission.deadline_extended_to if submission and submission.deadline_extended_to else "",
        ]
        if national:
            row.append(_late(submission))
            row.append(_("Yes") if dialogue.has_brief else _("No"))
        row += [dialogue.observation_count, dialogue.open_action_count, dialogue.action_count]
        rows.append(row)
    return header, rows


def _late(submission) -> str:
    if submission is None or submission.first_submitted_at is None:
        return ""
    return _("Yes") if submission.is_late else _("No")


def observation_table(observations) -> tuple[list[str], list[list]]:
    """One row per observation, saying whether the county may read it (so an export passed on
    from the ministry shows which rows are its internal notes)."""
    header = [_("County"), _("Category"), _("Heading"), _("Text"), _("Shared with the county")]
    rows = [
        [
            o.dialogue.region.name,
            o.get_category_display(),
            o.title,
            o.text,
            _("Yes") if observation_is_shared(o) else _("No"),
        ]
        for o in observations.select_related("dialogue__region").order_by("dialogue__region__code", "category")
    ]
    return header, rows


def action_table(actions) -> tuple[list[str], list[list]]:
    header = [_("County"), _("What"), _("Owner"), _("Due"), _("Status"), _("Progress")]
    rows = [
        [a.dialogue.region.name, a.what, a.owner, a.due_date, a.get_status_display(), a.progress]
        for a in actions.select_related("dialogue__region").order_by("dialogue__region__code", "due_date")
    ]
    return header, rows


def csv_response(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    # Excel in Sweden opens semicolon-separated UTF-8 with a byte-order mark correctly.
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: list[tuple[str, list[str], list[list]]]) -> HttpResponse:
    """One workbook, a sheet per (title, header, rows)."""
    content = xlsx_bytes([Sheet(str(title), header, rows) for title, header, rows in sheets])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
