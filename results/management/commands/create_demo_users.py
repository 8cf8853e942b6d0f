from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from citiesalliance import roles
from results import programmes
from results.models import ProgrammeRole, ResultsFramework

# Demo accounts exist only on a DEBUG (development) site; their passwords are printed at start.
DEMO_USERS = [
    ("officer", "Olivia", "Officer", roles.OFFICER, False),
    ("manager", "Manuel", "Manager", roles.MANAGER, False),
    ("committee", "Chidi", "Committee", roles.COMMITTEE, False),
    ("admin", "Ada", "Administrator", roles.ADMINISTRATOR, True),
]
# People with a role within one illustrative country programme only (no organisation-wide role):
# load_demo creates the programmes and gives them their roles.
PROGRAMME_DEMO_USERS = [
    ("bfa-officer", "Binta", "Ouédraogo", "BFA-OUA", ProgrammeRole.Role.OFFICER),
    ("bfa-manager", "Issa", "Kaboré", "BFA-OUA", ProgrammeRole.Role.MANAGER),
    ("moz-officer", "Marta", "Machava", "MOZ-MPM", ProgrammeRole.Role.OFFICER),
    ("moz-manager", "Jorge", "Cossa", "MOZ-MPM", ProgrammeRole.Role.MANAGER),
]


def demo_password(username: str) -> str:
    return f"{username}-demo"


class Command(BaseCommand):
    help = "Create one demo user per role (development only: refuses unless DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users with known passwords are only created when DEBUG is on.")
        User = get_user_model()
        for username, first, last, role, staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.is_staff = staff
            user.set_password(demo_password(username))
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        for username, first, last, code, role in PROGRAMME_DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.email = first, last, f"{username}@example.org"
            user.set_password(demo_password(username))
            user.save()
            user.groups.clear()
            framework = ResultsFramework.objects.filter(code=code).first()
            if framework is not None:  # else load_demo gives the role when it makes the programme
                programmes.programme_role_set(by=None, person=user, framework=framework, role=role)
        self.stdout.write("Demo users (development only; passwords are public):")
        for username, _first, _last, role, _staff in DEMO_USERS:
            self.stdout.write(f"  {role:<20} username {username:<10} password {demo_password(username)}")
        for username, _first, _last, code, role in PROGRAMME_DEMO_USERS:
            label = f"{ProgrammeRole.Role(role).label} {code}"
            self.stdout.write(f"  {label:<20} username {username:<10} password {demo_password(username)}")
