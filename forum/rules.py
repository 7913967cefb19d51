"""Who may do what in the national forum (the permission table in the domain model):
the ministry reads and writes fora, members, meetings, agendas, attendance, minutes and documents;
agency and regional users read all of it. Administrators hold every permission. Every reader keeps
a calendar subscription of their own (what it shows is decided per user by the selectors)."""

import rules

from accounts.rules import is_ministry_or_admin

can_view_forum = rules.is_authenticated
can_manage_forum = is_ministry_or_admin

rules.add_perm("forum.view_forum", can_view_forum)
rules.add_perm("forum.change_forum", can_manage_forum)
rules.add_perm("forum.view_meeting", can_view_forum)
rules.add_perm("forum.add_meeting", can_manage_forum)
rules.add_perm("forum.change_meeting", can_manage_forum)
rules.add_perm("forum.view_meetingdocument", can_view_forum)
rules.add_perm("forum.add_calendarsubscription", can_view_forum)
