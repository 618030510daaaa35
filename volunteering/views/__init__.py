from volunteering.views.pages import (
    my_shifts,
    project_detail,
    project_list,
    shift_detail,
    shift_ics,
    shift_signup,
    shift_team,
    shift_withdraw,
)

__all__ = [
    "my_shifts",
    "project_detail",
    "project_list",
    "shift_detail",
    "shift_ics",
    "shift_signup",
    "shift_team",
    "shift_withdraw",
]
