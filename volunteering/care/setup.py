"""What care calendars hook into at start-up: notice kinds, personal data, the group page
section and their tasks. Called from VolunteeringConfig.ready()."""


def connect() -> None:
    # Importing each module registers it (a section, a personal-data source, tasks, kinds).
    import volunteering.care.group_section
    import volunteering.care.personal_data
    import volunteering.care.tasks
    import volunteering.care_notifications  # noqa: F401
