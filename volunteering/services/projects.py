"""Volunteer projects and their roles: create, update, cancel (organizers and hosts)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core import bus
from core.actors import as_actor, person_of
from core.exceptions import ServiceError
from groups.models import Group
from volunteering.models import PROJECT_FIELDS, ROLE_FIELDS, Role, Shift, VolunteerProject
from volunteering.services._common import (
    changes,
    check_fields,
    clean,
    record,
    require_manager,
    save_new_project,
)


def project_create(*, group: Group, actor, **fields) -> VolunteerProject:
    """A volunteer project of the group (organizers and hosts). A waiver text starts at
    version 1."""
    check_fields(fields, PROJECT_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, group)
    with transaction.atomic():
        project = VolunteerProject(group=group, created_by=person_of(actor), **fields)
        if project.has_waiver:
            project.waiver_version = 1
        clean(project, exclude=["slug"])
        save_new_project(project)
        record(actor, "project.created", project, group_id=group.pk)
        bus.publish("project.created", project=project)
        return project


def project_update(*, project: VolunteerProject, actor, **fields) -> VolunteerProject:
    """Edit a project. A changed waiver text is a new version: volunteers accept it again before
    their next sign-up."""
    check_fields(fields, PROJECT_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, project.group)
    with transaction.atomic():
        project = (
            VolunteerProject.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=project.pk)
        )
        before = {name: getattr(project, name) for name in fields}
        for name, value in fields.items():
            setattr(project, name, value)
        clean(project)
        changed = {name for name in fields if getattr(project, name) != before[name]}
        if not changed:
            return project
        if "waiver_text" in changed:
            project.waiver_version += 1 if project.has_waiver else 0
        project.save()
        data = changes(
            {name: before[name] for name in changed if name != "waiver_text"},
            {name: getattr(project, name) for name in changed if name != "waiver_text"},
        )
        if "waiver_text" in changed:
            data["waiver_version"] = project.waiver_version
        record(actor, "project.updated", project, group_id=project.group_id, data=data)
        bus.publish("project.updated", project=project, changed_fields=sorted(changed))
        return project


def project_cancel(*, project: VolunteerProject, actor, message: str = "") -> VolunteerProject:
    """Cancel a project: its coming shifts are cancelled and their volunteers told."""
    from volunteering.services.shifts import shift_cancel

    actor = as_actor(actor)
    require_manager(actor, project.group)
    with transaction.atomic():
        project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
        if project.is_cancelled:
            return project
        message = message.strip() or _("The project %(title)s was cancelled.") % {
            "title": project.title
        }
        coming = Shift.objects.filter(role__project=project).scheduled().upcoming()
        for shift in coming.order_by("starts_at", "pk"):
            shift_cancel(shift=shift, actor=actor, message=message)
        project.status = VolunteerProject.Status.CANCELLED
        project.save(update_fields=["status", "updated_at"])
        record(actor, "project.cancelled", project, group_id=project.group_id)
        bus.publish("project.cancelled", project=project)
        return project


def role_create(*, project: VolunteerProject, actor, **fields) -> Role:
    """A role in the project ("driver"), with what it involves and the skills it asks for."""
    check_fields(fields, ROLE_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, project.group)
    with transaction.atomic():
        role = Role(project=project, **fields)
        clean(role)
        if Role.objects.filter(project=project, name__iexact=role.name).exists():
            raise ServiceError({"name": _("The project already has a role by this name.")})
        role.save()
        record(actor, "role.created", role, group_id=project.group_id, data={"name": role.name})
        return role


def role_update(*, role: Role, actor, **fields) -> Role:
    check_fields(fields, ROLE_FIELDS)
    actor = as_actor(actor)
    project = role.project
    require_manager(actor, project.group)
    with transaction.atomic():
        role = Role.objects.select_for_update().get(pk=role.pk)
        before = {name: getattr(role, name) for name in fields}
        for name, value in fields.items():
            setattr(role, name, value)
        clean(role)
        same_name = Role.objects.filter(project=project, name__iexact=role.name)
        if same_name.exclude(pk=role.pk).exists():
            raise ServiceError({"name": _("The project already has a role by this name.")})
        data = changes(before, {name: getattr(role, name) for name in fields})
        if data:
            role.save()
            record(actor, "role.updated", role, group_id=project.group_id, data=data)
        return role
