"""No escalation from the Administrator role, and a record of every change to a person's access.

The Administrator (staff, member of the Administrator group, not a superuser) is driven through
the admin's pages, by the forms as shown and by forged POSTs that carry what the forms leave out.
"""
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from citiesalliance import accounts, roles
from citiesalliance.models import AccountChange


@pytest.fixture
def admin_client(administrator):
    client = Client(raise_request_exception=False)
    client.force_login(administrator)  # force_login sets last_login: the administrator has signed in
    return client


@pytest.fixture
def superuser(make_user):
    return make_user(username="root", is_staff=True, is_superuser=True, email="root@example.org")


@pytest.fixture
def signed_in_manager(manager):
    Client().force_login(manager)  # the manager has used the account
    manager.refresh_from_db()
    assert manager.last_login is not None
    return manager


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def form_data(user, **overrides):
    """What the administrator's change form posts for `user`, as shown."""
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "groups": [g.pk for g in user.groups.all()]}
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def state(user):
    user.refresh_from_db()
    return (user.is_superuser, user.is_staff, user.is_active, user.email, user.password,
            sorted(user.groups.values_list("name", flat=True)), sorted(user.user_permissions.values_list("pk", flat=True)))


# --- the forms no longer offer it ----------------------------------------------------------------


def test_the_administrators_own_page_offers_no_privileged_field(admin_client, administrator):
    page = admin_client.get(change_url(administrator)).content.decode()
    assert 'name="username"' in page and 'name="groups"' in page
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in page, field


def test_a_group_page_is_read_only_for_the_administrator(admin_client):
    group = Group.objects.get(name=roles.MANAGER)
    response = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert response.status_code == 200
    assert 'name="permissions"' not in response.content.decode()


# --- and refuses it when posted anyway -------------------------------------------------------------


@pytest.mark.parametrize("forged", [
    {"is_superuser": "on"},
    {"is_staff": "on", "is_superuser": "on"},
    {"user_permissions": "PERM"},
])
def test_forged_privileged_fields_on_their_own_account_are_refused(admin_client, administrator, forged):
    perm = Permission.objects.get(codename="delete_user")
    forged = {k: (perm.pk if v == "PERM" else v) for k, v in forged.items()}
    before = state(administrator)
    response = admin_client.post(change_url(administrator), form_data(administrator, **forged))
    assert response.status_code == 403
    assert state(administrator) == before
    assert not administrator.has_perm("auth.delete_user")
    assert not AccountChange.objects.filter(person=administrator).exists()


def test_forged_staff_flag_on_someone_else_is_refused(admin_client, officer):
    before = state(officer)
    assert admin_client.post(change_url(officer), form_data(officer, is_staff="on")).status_code == 403
    assert state(officer) == before


def test_forged_superuser_on_a_new_account_is_refused(admin_client):
    from django.contrib.auth import get_user_model
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "mole", "password1": "a-Long-pass-4321", "password2": "a-Long-pass-4321",
        "usable_password": "true", "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="mole").exists()


def test_forged_group_permissions_are_refused(admin_client):
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    before = sorted(group.permissions.values_list("pk", flat=True))
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = admin_client.post(reverse("admin:auth_group_change", args=[group.pk]),
                                 {"name": group.name, "permissions": everything})
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before
    assert admin_client.post(reverse("admin:auth_group_add"), {"name": "Gods", "permissions": everything}
                             ).status_code == 403
    assert not Group.objects.filter(name="Gods").exists()


def test_the_service_refuses_it_too(administrator, officer):
    """Whatever a form lets through, the one write path says no."""
    for fields in ({"is_superuser": True}, {"is_staff": True},
                   {"user_permissions": Permission.objects.filter(codename="delete_user")}):
        if "is_staff" not in fields:  # they are staff already: setting it again changes nothing
            with pytest.raises(PermissionDenied):
                accounts.account_update(by=administrator, person=administrator, **fields)
        with pytest.raises(PermissionDenied):
            accounts.account_update(by=administrator, person=officer, **fields)
    with pytest.raises(PermissionDenied):
        accounts.account_create(by=administrator, username="mole2", password="a-Long-pass-4321", is_superuser=True)
    administrator.refresh_from_db()
    assert not administrator.is_superuser


# --- superusers are out of reach ---------------------------------------------------------------------


def test_a_superusers_account_cannot_be_changed_by_the_administrator(admin_client, superuser):
    before = state(superuser)
    page = admin_client.get(change_url(superuser))
    assert page.status_code == 200 and 'name="username"' not in page.content.decode()  # view only
    # Deactivate (no is_active), change the email, take the groups: each refused.
    for data in (form_data(superuser, is_active=None), form_data(superuser, email="me@evil.example"),
                 form_data(superuser, groups=[])):
        assert admin_client.post(change_url(superuser), data).status_code == 403
    assert admin_client.get(password_url(superuser)).status_code == 403
    response = admin_client.post(password_url(superuser), {"password1": "Taken-over-9876", "password2": "Taken-over-9876",
                                                           "usable_password": "true"})
    assert response.status_code == 403
    assert admin_client.post(reverse("admin:auth_user_delete", args=[superuser.pk]), {"post": "yes"}).status_code == 403
    assert state(superuser) == before
    with pytest.raises(PermissionDenied):
        accounts.account_update(by=superuser.__class__.objects.get(username="admin1"), person=superuser,
                                is_active=False)


# --- no taking over someone's account ----------------------------------------------------------------


def test_the_administrator_cannot_set_a_used_account_password(admin_client, signed_in_manager):
    """The review's story: reset the manager's password, sign in as the manager, approve the import."""
    before = state(signed_in_manager)
    for response in (admin_client.get(password_url(signed_in_manager), follow=True),
                     admin_client.post(password_url(signed_in_manager), {
                         "password1": "Now-i-am-you-123", "password2": "Now-i-am-you-123", "usable_password": "true"},
                         follow=True)):
        # Back on the manager's page, saying why.
        assert response.redirect_chain == [(change_url(signed_in_manager), 302)]
        assert "has already signed in, so only they" in response.content.decode()
    assert state(signed_in_manager) == before
    assert not Client().login(username=signed_in_manager.username, password="Now-i-am-you-123")
    assert not signed_in_manager.account_changes.exists()


def test_the_reason_is_shown_on_that_persons_page_only(admin_client, signed_in_manager, officer):
    page = admin_client.get(change_url(signed_in_manager)).content.decode()
    assert "has already signed in" in page  # where the password button is
    # The form class is shared: the reason must not leak onto the next person's page.
    page = admin_client.get(change_url(officer)).content.decode()
    assert "has already signed in" not in page
    assert admin_client.get(password_url(officer)).status_code == 200  # never signed in: may be set


def test_the_administrator_cannot_redirect_a_used_accounts_reset_email(admin_client, signed_in_manager):
    before = state(signed_in_manager)
    response = admin_client.post(change_url(signed_in_manager), form_data(signed_in_manager, email="admin@evil.example"))
    assert response.status_code == 403
    assert state(signed_in_manager) == before


def test_the_administrator_sets_the_first_password_of_a_new_account_and_it_is_recorded(
        admin_client, administrator):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "newofficer", "password1": "First-pass-4321", "password2": "First-pass-4321",
        "usable_password": "true"})
    assert response.status_code == 302
    from django.contrib.auth import get_user_model
    person = get_user_model().objects.get(username="newofficer")
    assert person.check_password("First-pass-4321")
    # Not yet used: the administrator may set it again (e.g. a typo), and that is recorded too.
    response = admin_client.post(password_url(person), {"password1": "Second-pass-4321",
                                                        "password2": "Second-pass-4321", "usable_password": "true"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Second-pass-4321")
    records = list(person.account_changes.order_by("at", "pk").values_list("what", "changed_by__username", "how"))
    assert records == [("created", "admin1", "created in the admin"), ("password", "admin1", "created in the admin"),
                       ("password", "admin1", "set in the admin")]


def test_the_superuser_may_reset_a_used_account_and_it_is_recorded(superuser, signed_in_manager):
    client = Client()
    client.force_login(superuser)
    response = client.post(password_url(signed_in_manager), {
        "password1": "Reset-by-root-123", "password2": "Reset-by-root-123", "usable_password": "true"})
    assert response.status_code == 302
    signed_in_manager.refresh_from_db()
    assert signed_in_manager.check_password("Reset-by-root-123")
    change = signed_in_manager.account_changes.get(what="password")
    assert (change.changed_by, change.before, change.after) == (superuser, "set", "changed")
    assert "Reset-by-root" not in f"{change.before}{change.after}{change.how}"
    assert "pbkdf2" not in change.after and signed_in_manager.password not in change.after


# --- every change is recorded and shown ----------------------------------------------------------------


def test_roles_and_active_flag_changes_are_recorded_and_shown(admin_client, administrator, officer):
    manager_group = Group.objects.get(name=roles.MANAGER)
    response = admin_client.post(change_url(officer), form_data(
        officer, groups=[manager_group.pk, *officer.groups.values_list("pk", flat=True)], is_active=None))
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert not officer.is_active and officer.groups.filter(name=roles.MANAGER).exists()
    records = {c.what: c for c in officer.account_changes.all()}
    assert set(records) == {"groups", "active"}
    assert (records["groups"].before, records["groups"].after) == ("M&E officer", "M&E manager, M&E officer")
    assert (records["active"].before, records["active"].after) == ("yes", "no")
    assert all(c.changed_by == administrator for c in records.values())

    page = admin_client.get(change_url(officer)).content.decode()
    assert "Record of changes to roles, password and access" in page
    assert "Roles (groups)" in page and "M&amp;E manager, M&amp;E officer" in page and "admin1" in page
    assert "Active" in page


def test_saving_unchanged_records_nothing(admin_client, officer):
    assert admin_client.post(change_url(officer), form_data(officer)).status_code == 302
    assert not officer.account_changes.exists()


def test_the_superuser_grants_staff_and_it_is_recorded(superuser, officer):
    client = Client()
    client.force_login(superuser)
    response = client.post(change_url(officer), form_data(officer, is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    officer.refresh_from_db()
    assert officer.is_staff
    change = officer.account_changes.get(what="staff")
    assert (change.before, change.after, change.changed_by) == ("no", "yes", superuser)
