"""Every task the beat or the services queue can be applied: a soft time limit above the hard
one makes Celery refuse the task (the beat logs an error every time it is due)."""

from django.conf import settings

from connect_site.celery import app


def test_every_project_task_has_a_soft_limit_within_its_hard_limit():
    app.loader.import_default_modules()
    project = [name for name in app.tasks if not name.startswith("celery.")]
    assert project
    for name in project:
        task = app.tasks[name]
        hard = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        assert soft <= hard, f"{name}: soft limit {soft} s above the hard limit {hard} s"


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for entry, spec in settings.CELERY_BEAT_SCHEDULE.items():
        assert spec["task"] in app.tasks, entry
