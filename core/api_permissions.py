"""Django REST framework's default until an API view says who may use it: nobody."""

from rest_framework.permissions import BasePermission


class DenyAll(BasePermission):
    """Refuses every request. The default permission class, so a view that forgets to name its
    own permission classes is closed rather than open to the world."""

    def has_permission(self, request, view):
        return False

    def has_object_permission(self, request, view, obj):
        return False
