from django.urls import path

import core.converters  # noqa: F401 - registers <id:...>
from groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("mine/", views.my_groups, name="mine"),
    path("new/", views.group_create, name="create"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/edit/", views.group_edit, name="edit"),
    path("<slug:slug>/delete/", views.group_delete, name="delete"),
    path("<slug:slug>/join/", views.group_join, name="join"),
    path("<slug:slug>/leave/", views.group_leave, name="leave"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/members/<id:user_id>/", views.member_detail, name="member"),
    path("<slug:slug>/report/", views.group_report, name="report"),
    path("<slug:slug>/contact/", views.group_contact, name="contact"),
    path("<slug:slug>/members/<id:user_id>/report/", views.member_report, name="member_report"),
    path("<slug:slug>/members/<id:user_id>/block/", views.member_block, name="member_block"),
    path("<slug:slug>/members/<id:user_id>/role/", views.member_set_role, name="member_role"),
    path("<slug:slug>/members/<id:user_id>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/members/<id:user_id>/ban/", views.member_ban, name="member_ban"),
    path("<slug:slug>/members/<id:user_id>/unban/", views.member_unban, name="member_unban"),
    path("<slug:slug>/requests/", views.join_request_list, name="requests"),
    path(
        "<slug:slug>/requests/<id:user_id>/approve/",
        views.join_request_approve,
        name="request_approve",
    ),
    path(
        "<slug:slug>/requests/<id:user_id>/decline/",
        views.join_request_decline,
        name="request_decline",
    ),
]
