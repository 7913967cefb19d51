"""Who may see the portal's own pages beyond the start page."""

import rules

from accounts.rules import is_admin

# The status page shows how the machinery runs (workers, queues, outbox, backups): administrators only.
rules.add_perm("portal.view_operations", is_admin)
