"""Django's ModelBackend, with a person's permissions kept in the cache between requests (issue 17).

Every signed-in page checks permissions (citiesalliance/access.py), which costs ModelBackend two ORM
queries per request (the person's own permissions, their groups'). Here they are kept under a stamp
of the tables that grant them, read in one raw query: the number of rows and the highest id of the
group memberships, the groups' permissions and the individual permissions. Giving or removing a
role or a permission adds or removes a row there (ids are never reused: PostgreSQL sequences, SQLite
AUTOINCREMENT), so the stamp changes and the next request reads the permissions again: a removed
role is refused on the very next request, as before. The key also carries the flags read with the
user on every request (active, staff, superuser).
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import caches

from .page_cache import stamp_read, stamp_register


def _grants_parts() -> list[str]:
    user_model = get_user_model()
    from django.apps import apps

    # The programme roles (results.ProgrammeRole) grant access too: rows are only added or deleted.
    # Last, so that results.programmes reads their count ("0.0": nobody has one) from the stamp.
    tables = [Group.permissions.through._meta.db_table, user_model.groups.through._meta.db_table,
              user_model.user_permissions.through._meta.db_table,
              apps.get_model("results", "ProgrammeRole")._meta.db_table]
    return [f"(SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) FROM {table})" for table in tables]


stamp_register("grants", _grants_parts)


def _grants_stamp() -> str:
    return stamp_read("grants")


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if (obj is not None or not user_obj.is_active or user_obj.is_anonymous
                or not settings.PAGE_CACHE_SECONDS or hasattr(user_obj, "_perm_cache")):
            return super().get_all_permissions(user_obj, obj)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = f"perms:{user_obj.pk}:{user_obj.is_staff:d}{user_obj.is_superuser:d}"
        stamp = user_obj._grants_stamp = _grants_stamp()
        kept = cache.get(key)
        if kept is not None and kept[0] == stamp:
            user_obj._perm_cache = kept[1]  # where ModelBackend keeps them for the rest of the request
            return kept[1]
        permissions = super().get_all_permissions(user_obj, obj)
        cache.set(key, (stamp, permissions), settings.PAGE_CACHE_SECONDS)
        return permissions


def role_names(user) -> list[str]:
    """The names of the person's roles (their groups), for the navigation bar: kept under the same
    stamp as the permissions, read with the request's permission check, so a page does not query its
    groups again. (A group renamed in the admin shows under its new name once PAGE_CACHE_SECONDS
    have passed, or at once after any change of roles.)"""
    if not user.is_authenticated:
        return []
    if not settings.PAGE_CACHE_SECONDS:
        return list(user.groups.order_by("name").values_list("name", flat=True))
    cache = caches[settings.PAGE_CACHE_ALIAS]
    stamp = getattr(user, "_grants_stamp", None) or _grants_stamp()
    key = f"roles:{user.pk}"
    kept = cache.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    names = list(user.groups.order_by("name").values_list("name", flat=True))
    cache.set(key, (stamp, names), settings.PAGE_CACHE_SECONDS)
    return names


def organisation_permissions(user) -> set[str]:
    """The person's own and their groups' permissions (their organisation-wide roles), cached."""
    return CachedPermissionsBackend().get_all_permissions(user)


class ProgrammeRolesBackend:
    """Programme roles (results.ProgrammeRole) as permissions, after CachedPermissionsBackend.

    Without an object: the model permissions a programme role adds (results.programme_rules), so the
    pages' model-level checks let a programme officer in. With an object (a results.programme_rules
    Place, or anything with a framework): the rulebook answers for that framework, counting the
    organisation-wide roles too; every page and service asks that way about what it touches.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        from results import programme_rules, programmes

        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(programme_rules.programme_permissions(programmes.standing_of(user_obj)))

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None:
            return perm in self.get_all_permissions(user_obj)
        return False

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
