"""Who may do what in the national forum (the permission table in the domain model):
the ministry reads and writes fora, members, meetings, agendas, attendance, minutes and documents;
agency and regional users read all of it. Administrators hold every permission. Every reader keeps
a calendar subscription of their own (what it shows is decided per user by the selectors).

The permissions are declared on the models (`Meta.rules_permissions`: forum.view_forum,
forum.change_forum, forum.view_meeting, forum.add_meeting, forum.change_meeting,
forum.view_meetingdocument, forum.add_calendarsubscription); they depend on the role alone.
"""

import rules

from accounts.rules import is_ministry_or_admin

can_view_forum = rules.is_authenticated
can_manage_forum = is_ministry_or_admin
