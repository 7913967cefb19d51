"""The dialogues pages' object look-ups, on the one view base (core.views.PermissionMixin).

Each mixin looks its object up in `load()` through a visibility selector (404 outside it), and
`permission_required` is then asked of that object (403 where the object is visible, the policy
of core.views).
"""

from django.shortcuts import get_object_or_404

from core.views import PermissionMixin

from ..models import DialogueRound
from ..selectors import (
    dialogues_visible_to,
    rounds_visible_to,
    submissions_visible_to,
)


def previous_round(dialogue_round: DialogueRound | None):
    """The round before, whose conclusions open the planning of this one."""
    rounds = DialogueRound.objects.order_by("-year")
    if dialogue_round is not None and dialogue_round.year:
        rounds = rounds.filter(year__lt=dialogue_round.year)
    return rounds.first()


class RoundObjectMixin(PermissionMixin):
    """Looks the round up among those the user may see (404 otherwise), then checks the permission
    on it (`self.round`)."""

    def load(self) -> None:
        self.round = get_object_or_404(rounds_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.round

    def get_object(self, queryset=None):
        return self.round


class DialogueObjectMixin(PermissionMixin):
    """Looks the dialogue up among those the user may see (404 otherwise), then checks the permission
    on it (`self.dialogue`)."""

    def load(self) -> None:
        self.dialogue = get_object_or_404(dialogues_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.dialogue

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.dialogue, **kwargs)


class SubmissionObjectMixin(PermissionMixin):
    """Looks the submission up by its dialogue among those the user may see (404 otherwise), then
    checks the permission on it (`self.submission`, `self.dialogue`)."""

    def load(self) -> None:
        self.submission = get_object_or_404(submissions_visible_to(self.request.user), dialogue_id=self.kwargs["pk"])
        self.dialogue = self.submission.dialogue

    def get_permission_object(self):
        return self.submission

    def get_context_data(self, **kwargs):
        return super().get_context_data(submission=self.submission, dialogue=self.dialogue, **kwargs)
