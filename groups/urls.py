from django.urls import path

from groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("mine/", views.my_groups, name="mine"),
]
