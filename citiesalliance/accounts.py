"""Writes to people's accounts: roles, password, access. Every change is checked and recorded.

The admin's user pages, the password change and reset pages all write through here. The rules:

- Only a superuser makes a superuser or staff member, grants individual permissions, or edits a
  superuser's account in any way (roles, password, active flag).
- No one takes over an account someone else has already used. An administrator who could set a
  manager's password could sign in as the manager and approve their own import. So once a person
  has signed in, only they (password change, or reset by email) or a superuser set their password,
  and only they or a superuser change the email address a reset is sent to. An administrator sets
  the first password of an account nobody has used yet (recorded, and visible on its page).
- Roles are given and taken by administrators (their job); each change is recorded.

Every change of groups, password, active flag, staff and superuser status, individual permissions
and email is an AccountChange row: who, when, what, before and after (never a password or its hash).
"""
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AccountChange

SUPERUSER_ONLY = ("is_superuser", "is_staff", "user_permissions")
EDITABLE = ("username", "first_name", "last_name", "email", "is_active", "groups") + SUPERUSER_ONLY
RECORDED = {  # field -> what the record calls it
    "groups": AccountChange.What.GROUPS, "is_active": AccountChange.What.ACTIVE,
    "is_staff": AccountChange.What.STAFF, "is_superuser": AccountChange.What.SUPERUSER,
    "user_permissions": AccountChange.What.PERMISSIONS, "email": AccountChange.What.EMAIL,
}


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def check_may_edit(*, by, person) -> None:
    if person is not None and person.is_superuser and not by.is_superuser:
        raise PermissionDenied(_("%(person)s is a superuser: only a superuser may change their account.")
                               % {"person": _who(person)})


def check_may_set_password(*, by, person) -> None:
    """Refuse a password that would let `by` act as `person` (see the module docstring)."""
    if by.pk == person.pk or by.is_superuser:
        return
    check_may_edit(by=by, person=person)
    if person.last_login is not None:
        raise PermissionDenied(
            _("%(person)s has already signed in, so only they (by changing it, or by a reset email) or a "
              "superuser may set a new password: whoever sets it could sign in as them.") % {"person": _who(person)})


def _check_fields(*, by, person, changes: dict) -> None:
    if by.is_superuser:
        return
    forbidden = sorted(f for f in SUPERUSER_ONLY if f in changes)
    if forbidden:
        raise PermissionDenied(_("Only a superuser may change %(fields)s.") % {"fields": ", ".join(forbidden)})
    if person is not None and "email" in changes and by.pk != person.pk and person.last_login is not None:
        raise PermissionDenied(_("%(person)s has already signed in: only they or a superuser may change the "
                                 "email address their password reset is sent to.") % {"person": _who(person)})


def _as_text(field: str, value) -> str:
    if field == "groups":
        return ", ".join(sorted(g.name for g in value)) or "(none)"
    if field == "user_permissions":
        return ", ".join(sorted(f"{p.content_type.app_label}.{p.codename}" for p in value)) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value or "")


def _current(person, field: str):
    if field == "groups":
        return list(person.groups.all())
    if field == "user_permissions":
        return list(person.user_permissions.select_related("content_type"))
    return getattr(person, field)


def _record(*, person, by, what, before="", after="", how="") -> AccountChange:
    change = AccountChange(person=person, changed_by=by if by is not None and by.is_authenticated else None,
                           what=what, before=before, after=after, how=how)
    change.full_clean()
    change.save()
    return change


def account_create(*, by, username: str, password: str | None, email: str = "", first_name: str = "",
                   last_name: str = "", groups=(), is_active: bool = True, is_staff: bool = False,
                   is_superuser: bool = False, how: str = "created in the admin"):
    """A new account. `password` None makes one that cannot sign in with a password (yet)."""
    wanted = {"is_staff": is_staff, "is_superuser": is_superuser}
    _check_fields(by=by, person=None, changes={k: v for k, v in wanted.items() if v})
    User = get_user_model()
    person = User(username=username, email=email, first_name=first_name, last_name=last_name,
                  is_active=is_active, is_staff=is_staff, is_superuser=is_superuser)
    if password is None:
        person.set_unusable_password()
    else:
        password_validation.validate_password(password, person)
        person.set_password(password)
    person.full_clean()
    with transaction.atomic():
        person.save()
        person.groups.set(groups)
        _record(person=person, by=by, what=AccountChange.What.CREATED, after=person.get_username(), how=how)
        # What differs from a plain new account: its roles, and any flag not at its default.
        initial = {"groups": bool(groups), "is_active": not is_active, "is_staff": is_staff,
                   "is_superuser": is_superuser}
        for field in (f for f, differs in initial.items() if differs):
            _record(person=person, by=by, what=RECORDED[field], after=_as_text(field, _current(person, field)),
                    how=how)
        _record(person=person, by=by, what=AccountChange.What.PASSWORD,
                after="set" if password is not None else "none (cannot sign in with a password)", how=how)
    return person


def account_update(*, by, person, how: str = "changed in the admin", **fields):
    """Change the given fields of `person`; refuses what `by` may not do; records what changed."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"account_update does not take {', '.join(sorted(unknown))}")
    User = get_user_model()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        check_may_edit(by=by, person=person)
        changes = {}
        for field, value in fields.items():
            old = _current(person, field)
            if field in ("groups", "user_permissions"):
                value = list(value)
                if {x.pk for x in value} != {x.pk for x in old}:
                    changes[field] = (old, value)
            elif value != old:
                changes[field] = (old, value)
        _check_fields(by=by, person=person, changes=changes)
        for field, (_old, value) in changes.items():
            if field not in ("groups", "user_permissions"):
                setattr(person, field, value)
        person.full_clean(exclude=["password"])
        person.save()
        for field, (old, value) in changes.items():
            if field == "groups":
                person.groups.set(value)
            elif field == "user_permissions":
                person.user_permissions.set(value)
            if field in RECORDED:
                _record(person=person, by=by, what=RECORDED[field], before=_as_text(field, old),
                        after=_as_text(field, value), how=how)
    return person


def account_set_password(*, by, person, password: str | None, how: str):
    """Set (or with None, disable) `person`'s password. `by` None: a reset by email, with its token."""
    if by is not None:
        check_may_set_password(by=by, person=person)
    if password is not None:
        password_validation.validate_password(password, person)
    with transaction.atomic():
        had_one = person.has_usable_password()
        if password is None:
            person.set_unusable_password()
        else:
            person.set_password(password)
        person.save(update_fields=["password"])
        _record(person=person, by=by, what=AccountChange.What.PASSWORD, how=how,
                before="set" if had_one else "none",
                after="changed" if password is not None else "none (password sign-in disabled)")
    return person


def account_history(*, person, limit: int = 100) -> list[AccountChange]:
    return list(AccountChange.objects.filter(person=person).select_related("changed_by")[:limit])


def programme_roles_recorded(*, by, person, before: str, after: str) -> AccountChange | None:
    """Record a change of `person`'s programme roles (results/programmes.py makes it), in the same
    record as their other roles."""
    if before == after:
        return None
    return _record(person=person, by=by, what=AccountChange.What.PROGRAMME_ROLES, before=before, after=after,
                   how="changed in the admin")
