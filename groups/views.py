from django.http import HttpResponse


def group_list(request):
    return HttpResponse("groups")


def my_groups(request):
    return HttpResponse("my groups")
