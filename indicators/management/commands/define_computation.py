"""Make a corporate indicator computed from programme indicators aligned to it (issue 18), or change
or remove its formula, as the manager named by --user (through indicators.services.computations,
whose rules and permission check apply):

    manage.py define_computation CORP-OUT-1-I1 --kind sum --contributing P1-IND3 P2-IND3 --user manager
    manage.py define_computation CORP-OUT-1-I2 --kind count_met --contributing P1-IND4 P2-IND4 --user manager
    manage.py define_computation CORP-OUT-1-I1 --remove --user manager
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators import services
from indicators.computation_selectors import formula_of
from indicators.models import Indicator


class Command(BaseCommand):
    help = "Define, change or remove the computation of a computed corporate indicator."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The computed indicator's code.")
        parser.add_argument("--kind", choices=["sum", "count_met"], default="sum")
        parser.add_argument("--contributing", nargs="*", default=[], help="Codes of the contributing indicators.")
        parser.add_argument("--note", default="", help="Why it is computed this way.")
        parser.add_argument("--remove", action="store_true", help="Its figures are entered by hand again.")
        parser.add_argument("--user", required=True, help="The manager making the change (username).")

    def handle(self, *args, code, kind, contributing, note, remove, user, **options):
        by = get_user_model().objects.filter(username=user).first()
        if by is None:
            raise CommandError(f"There is no user {user!r}.")
        indicator = Indicator.objects.filter(code__iexact=code).first()
        if indicator is None:
            raise CommandError(f"There is no indicator {code!r}.")
        try:
            if remove:
                services.computation_remove(indicator=indicator, by=by)
                self.stdout.write(self.style.SUCCESS(f"{indicator.code}: its figures are entered by hand again."))
                return
            computation = services.computation_define(indicator=indicator, kind=kind, contributing=contributing,
                                                      by=by, note=note)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{indicator.code} is computed: {formula_of(computation)}."))
