from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Groups"

    def ready(self):
        from groups import personal_data  # noqa: F401 - registers the export and erasure
