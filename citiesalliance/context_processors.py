from django.conf import settings

from .auth_backend import role_names
from .roles import role_label


def site(request):
    """Values every page template needs; `user_roles` is read only by a page that shows it."""
    return {"DEBUG": settings.DEBUG, "user_roles": lambda: [role_label(name) for name in role_names(request.user)]}


class _PagePermissions:
    """`perms` in templates, answering for the page's object (citiesalliance/object_access.py): a
    programme officer sees no "Record" button on a corporate indicator they may not record."""

    def __init__(self, request, app_label=None):
        self.request, self.app_label = request, app_label

    def __getitem__(self, name):
        if self.app_label is None:
            return _PagePermissions(self.request, name)
        from .object_access import page_permission

        return page_permission(self.request, f"{self.app_label}.{name}")

    def __iter__(self):
        raise TypeError("PermWrapper is not iterable.")

    def __contains__(self, perm_name):
        if "." not in perm_name:
            return bool(self[perm_name])
        app_label, name = perm_name.split(".", 1)
        return bool(self[app_label][name])

    def __bool__(self):
        if self.app_label is None:
            return bool(self.request.user.get_all_permissions())
        return self.request.user.has_module_perms(self.app_label)


def page_permissions(request):
    """Overrides the auth context processor's `perms` (listed after it)."""
    if not hasattr(request, "user"):
        return {}
    return {"perms": _PagePermissions(request)}
