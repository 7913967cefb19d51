"""How much text a person may type into one field.

Every free-text field has a limit the form enforces, so one pasted document cannot turn a feedback
report into hundreds of pages or a page into megabytes (a 1 MB observation once gave a 265-page
PDF that took 16 s). The limits are generous for what each field is for; README "Performance"
gives the measured cost of a report at these limits.
"""

SHORT_TEXT = 2_000
"""A reason or a note: why a deadline moved, why a document was withheld."""

TEXT = 5_000
"""A comment, an answer, a description of an item (about one and a half printed pages)."""

LONG_TEXT = 20_000
"""An observation, a county's account of its resource use, a letter (about six printed pages)."""

DOCUMENT_TEXT = 100_000
"""Briefing material, which is written as a document of its own and never printed in a report."""
