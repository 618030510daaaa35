"""Every write with a rule in the volunteering app: projects, roles, shifts, repeating shifts,
sign-ups and waivers.

Each service takes an `actor`, runs in one transaction, checks who may act (NotAllowed) and the
rules (ServiceError with field errors, from the models' clean()), writes the activity log, calls
the hooks in volunteering.notifications and announces what happened with core.bus.publish.
"""

from volunteering.services.projects import (
    project_cancel,
    project_create,
    project_update,
    role_create,
    role_update,
)
from volunteering.services.shifts import (
    shift_cancel,
    shift_create,
    shift_series_create,
    shift_series_end,
    shift_series_materialize,
    shift_update,
)
from volunteering.services.signups import (
    signup_create,
    signup_team_change,
    signup_withdraw,
    waiver_accept,
    waiver_accepted,
)

__all__ = [
    "project_cancel",
    "project_create",
    "project_update",
    "role_create",
    "role_update",
    "shift_cancel",
    "shift_create",
    "shift_series_create",
    "shift_series_end",
    "shift_series_materialize",
    "shift_update",
    "signup_create",
    "signup_team_change",
    "signup_withdraw",
    "waiver_accept",
    "waiver_accepted",
]
