"""What the reports app does when other apps tell it something (connected in `ReportsConfig.ready`)."""

from dialogues.models import DialogueRound

from . import services


def round_closed_receiver(sender, *, round: DialogueRound, **kwargs) -> None:
    """A closed round asks for its feedback reports. `dialogues.services.round_close` sends the
    signal inside its transaction, so the reports are created in the same transaction (the close
    stays atomic) and their tasks are queued only once it commits."""
    services.reports_request(dialogue_round=round)
