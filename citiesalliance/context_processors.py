from django.conf import settings

from .auth_backend import role_names
from .roles import role_label


def site(request):
    """Values every page template needs; `user_roles` is read only by a page that shows it."""
    return {"DEBUG": settings.DEBUG, "user_roles": lambda: [role_label(name) for name in role_names(request.user)]}
