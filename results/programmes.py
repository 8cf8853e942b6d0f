"""Programme roles: read a person's standing once per request, ask the rulebook about an object's
framework, give and take roles (recorded like every change of a person's access).

The rules themselves are pure (results/programme_rules.py); this module brings them the facts.
A person's programme roles are kept in the cache with their permissions, under the same stamp of the
tables that grant access (citiesalliance/auth_backend.py, which counts this table too): a role given
or taken is seen on the very next request.
"""
from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q

from citiesalliance.page_cache import stamp_read

from . import programme_rules as rulebook
from .models import ProgrammeRole, ResultsFramework

COUNTRY = ResultsFramework.Kind.COUNTRY


def _roles_read(user) -> tuple[frozenset[int], frozenset[int]]:
    rows = list(ProgrammeRole.objects.filter(person_id=user.pk).values_list("framework_id", "role"))
    return (frozenset(f for f, r in rows if r == ProgrammeRole.Role.OFFICER),
            frozenset(f for f, r in rows if r == ProgrammeRole.Role.MANAGER))


def _roles_of(user) -> tuple[frozenset[int], frozenset[int]]:
    stamp = getattr(user, "_grants_stamp", None) or stamp_read("grants")
    if stamp.rsplit("-", 1)[-1].startswith("0."):
        # The stamp's last part counts the programme roles (citiesalliance.auth_backend): there are
        # none, so nobody's need reading (a site without programme roles pays no query for them).
        return frozenset(), frozenset()
    if not settings.PAGE_CACHE_SECONDS:
        return _roles_read(user)
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"programme-roles:{user.pk}"
    kept = cache.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    roles = _roles_read(user)
    cache.set(key, (stamp, roles), settings.PAGE_CACHE_SECONDS)
    return roles


def standing_of(user) -> rulebook.Standing:
    """The person's facts for the rulebook, read once per request (kept on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return rulebook.Standing()
    kept = getattr(user, "_programme_standing", None)
    if kept is not None:
        return kept
    from citiesalliance.auth_backend import organisation_permissions  # the backend imports this module

    officer_of, manager_of = _roles_of(user)
    standing = rulebook.Standing(permissions=frozenset(organisation_permissions(user)), officer_of=officer_of,
                                 manager_of=manager_of, is_superuser=user.is_superuser)
    user._programme_standing = standing
    return standing


def place_of(framework) -> rulebook.Place:
    return rulebook.Place(framework_id=framework.pk, is_programme=framework.kind == COUNTRY)


def place_of_framework_id(framework_id: int) -> rulebook.Place | None:
    kind = ResultsFramework.objects.filter(pk=framework_id).values_list("kind", flat=True).first()
    return None if kind is None else rulebook.Place(framework_id=framework_id, is_programme=kind == COUNTRY)


def may(user, action: str, place: rulebook.Place) -> bool:
    return rulebook.may(standing_of(user), action, place)


def everywhere(user, action: str) -> bool:
    """Whether `user` may do `action` in every framework (an organisation-wide role), so no object
    needs looking up."""
    return rulebook.organisation_wide(standing_of(user), action)


def frameworks_filter(user, action: str = rulebook.SEE, *, field: str = "") -> Q | None:
    """A filter to the frameworks `user` may do `action` in, on `field` (the path to a framework, e.g.
    "result__framework"; "" for frameworks themselves); None when that is every framework."""
    if everywhere(user, action):
        return None
    standing = standing_of(user)
    ids = f"{field}_id__in" if field else "pk__in"
    kind = f"{field}__kind" if field else "kind"
    if action == rulebook.SEE:
        mine = Q(**{ids: sorted(standing.programmes)})
        return mine | ~Q(**{kind: COUNTRY}) if standing.has_programme_role else mine
    allowed = standing.programmes if action in (rulebook.SEE_WORKING, rulebook.ENTER) else standing.manager_of
    return Q(**{ids: sorted(allowed)})


# ---------------------------------------------------------------------------------------------
# writes: administrators give and take programme roles (the admin calls these)


def programme_role_set(*, by, person, framework, role: str) -> ProgrammeRole:
    """Give `person` `role` in the programme `framework` (replacing another role they held there)."""
    from citiesalliance.accounts import programme_roles_recorded

    with transaction.atomic():
        before = programme_roles_text(person)
        existing = ProgrammeRole.objects.select_for_update().filter(person=person, framework=framework).first()
        if existing is not None and existing.role == role:
            return existing
        if existing is not None:
            # Delete and add, never update in place: the grants stamp counts rows and their ids.
            existing.delete()
        granted = ProgrammeRole(person=person, framework=framework, role=role)
        granted.full_clean()
        granted.save()
        programme_roles_recorded(by=by, person=person, before=before, after=programme_roles_text(person))
    return granted


def programme_role_remove(*, by, programme_role: ProgrammeRole) -> None:
    from citiesalliance.accounts import programme_roles_recorded

    person = programme_role.person
    with transaction.atomic():
        before = programme_roles_text(person)
        ProgrammeRole.objects.filter(pk=programme_role.pk).delete()
        programme_roles_recorded(by=by, person=person, before=before, after=programme_roles_text(person))


def programme_roles_text(person) -> str:
    rows = ProgrammeRole.objects.filter(person=person).select_related("framework").order_by("framework__code")
    return ", ".join(f"{r.get_role_display()} of {r.framework.code}" for r in rows) or "(none)"


def framework_ids(user, action: str) -> frozenset[int] | None:
    """The frameworks `user` may do `action` in (a worklist's, a review queue's); None for all."""
    if everywhere(user, action):
        return None
    standing = standing_of(user)
    if action in (rulebook.SEE_WORKING, rulebook.ENTER):
        return standing.programmes
    if action in (rulebook.REVIEW_MEASUREMENT, rulebook.APPROVE_TARGET, rulebook.REVIEW_PROPOSAL):
        return standing.manager_of
    raise ValueError(f"framework_ids does not answer {action!r}: use frameworks_filter")
