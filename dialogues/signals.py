"""Signals other apps listen to, so that dialogues need not know about them."""

from django.dispatch import Signal

# Sent by `services.round_close` inside its transaction, with `round` (a DialogueRound).
# The feedback reports (reports/receivers.py) receive it to request the round's PDF reports; a
# receiver must queue its tasks only on commit, so nothing runs if the close is rolled back.
round_closed = Signal()
