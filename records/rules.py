"""Who may keep the register: the ministry's registrars (a flag on their user, set by an
administrator) and the administrators. Nobody else sees that the register exists: the county, the
agency and other ministry staff are refused every page of it."""

import rules

from accounts.rules import is_admin, is_ministry


@rules.predicate
def is_registrar(user):
    return user.is_authenticated and bool(getattr(user, "is_registrar", False))


can_keep_register = (is_ministry & is_registrar) | is_admin

rules.add_perm("records.view_record", can_keep_register)
rules.add_perm("records.change_record", can_keep_register)
# Secrecy markings on records and on observations (OSL 5 kap. 5 §): set and lifted by the registrar.
rules.add_perm("records.mark_secrecy", can_keep_register)
# Requests for access to official documents (TF 2 kap.) and their release bundles.
rules.add_perm("records.view_accessrequest", can_keep_register)
rules.add_perm("records.change_accessrequest", can_keep_register)
# Retention and disposal (arkivlagen 10 §): the registrar sees what is due and what was disposed
# of; only an administrator sets the rules (Django's admin) and starts a run by hand.
rules.add_perm("records.view_disposal", can_keep_register)
rules.add_perm("records.run_disposal", is_admin)
# Archive packages of closed rounds (arkivlagen): asked for and downloaded by the registrar.
rules.add_perm("records.view_archivepackage", can_keep_register)
rules.add_perm("records.add_archivepackage", can_keep_register)
