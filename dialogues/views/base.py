"""Helpers and the mixins that look objects up through the visibility selectors (404 outside them)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from ..models import DialogueRound
from ..selectors import (
    dialogues_visible_to,
    rounds_visible_to,
    submissions_visible_to,
)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def previous_round(dialogue_round: DialogueRound | None):
    """The round before, whose conclusions open the planning of this one."""
    rounds = DialogueRound.objects.order_by("-year")
    if dialogue_round is not None and dialogue_round.year:
        rounds = rounds.filter(year__lt=dialogue_round.year)
    return rounds.first()


class RoundObjectMixin:
    """Looks the round up among those the user may see (404 otherwise), then checks `permission`."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(rounds_visible_to(request.user), pk=kwargs["pk"])
        if self.permission:
            require(request.user, self.permission, self.round)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.round


class DialogueObjectMixin:
    """Looks the dialogue up among those the user may see (404 otherwise), then checks `permission`."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        self.dialogue = get_object_or_404(dialogues_visible_to(request.user), pk=kwargs["pk"])
        if self.permission:
            require(request.user, self.permission, self.dialogue)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.dialogue, **kwargs)


class SubmissionObjectMixin:
    """Looks the submission up by its dialogue among those the user may see (404 otherwise)."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        self.submission = get_object_or_404(submissions_visible_to(request.user), dialogue_id=kwargs["pk"])
        self.dialogue = self.submission.dialogue
        if self.permission:
            require(request.user, self.permission, self.submission)
        return self.refusal() or super().dispatch(request, *args, **kwargs)

    def refusal(self):
        """A response instead of the page, when the page cannot be used now."""
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(submission=self.submission, dialogue=self.dialogue, **kwargs)
