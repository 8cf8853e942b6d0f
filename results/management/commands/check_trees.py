from django.core.management.base import BaseCommand, CommandError

from results.selectors import trees_problems
from results.services import trees_rebuild


class Command(BaseCommand):
    help = "Verify every results tree (nested-set numbers and level rules); --rebuild repairs them."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="Rebuild nested-set numbers from parent links, then check again.")

    def handle(self, *args, rebuild=False, **options):
        problems = trees_problems()
        for problem in problems:
            self.stdout.write(self.style.WARNING(problem))
        if problems and rebuild:
            self.stdout.write("Rebuilding the trees from their parent links...")
            trees_rebuild()
            problems = trees_problems()
            for problem in problems:
                self.stdout.write(self.style.ERROR(f"still: {problem}"))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the results trees.")
        self.stdout.write(self.style.SUCCESS("All results trees are consistent."))
