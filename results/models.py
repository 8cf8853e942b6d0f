from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from .levels import LEVEL_CHOICES, LEVELS_WITH_BUSINESS_LINE, Level


def _a(noun: str, *, capital: bool = False) -> str:
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {noun}"


code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_.-]*$",
    "Use capital letters, digits, '-', '_' or '.' (for example CORP-OUT-2).",
)


class BusinessLine(models.Model):
    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # When a row was last saved: the chains' stamp (results.stamps) reads its highest value, so a
    # rewording of the same length is seen too.
    changed_at = models.DateTimeField("last changed", auto_now=True, editable=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ResultsFramework(models.Model):
    class Kind(models.TextChoices):
        CORPORATE = "corporate", _("Corporate (the partnership)")
        SECRETARIAT = "secretariat", _("Secretariat")
        COUNTRY = "country", _("Country programme / client")

    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The fiscal years the framework covers (FY2013 = July 2012 to June 2013): no baseline, target
    # or measurement may fall outside them.
    first_fiscal_year = models.PositiveSmallIntegerField(default=2013)
    last_fiscal_year = models.PositiveSmallIntegerField(default=2020)
    changed_at = models.DateTimeField("last changed", auto_now=True, editable=False)  # see BusinessLine

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(first_fiscal_year__lte=models.F("last_fiscal_year")),
                                   name="framework_years_in_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("results:framework", args=[self.code])

    def covers_fiscal_year(self, fiscal_year: int) -> bool:
        return self.first_fiscal_year <= fiscal_year <= self.last_fiscal_year


class Result(MPTTModel):
    class Beneficiary(models.TextChoices):
        # The seeds: "clearly define our clients and our clients' client".
        CLIENTS = "clients", _("Clients: city and national governments")
        CLIENTS_CLIENT = "clients_client", _("Clients' clients: the urban poor")
        PARTNERSHIP = "partnership", _("The Cities Alliance partnership and Secretariat")

    framework = models.ForeignKey(ResultsFramework, on_delete=models.PROTECT, related_name="results")
    parent = TreeForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    statement = models.TextField()
    description = models.TextField(blank=True)
    business_line = models.ForeignKey(
        BusinessLine, on_delete=models.PROTECT, null=True, blank=True, related_name="results"
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Position among its siblings."))
    assumptions = models.TextField(
        blank=True, help_text=_("The assumptions that link this result to the result above it.")
    )
    beneficiary = models.CharField(
        "whose change", max_length=20, choices=Beneficiary.choices, blank=True
    )
    # When a row was last saved: the chains' stamp (results.stamps) reads its highest value, so a
    # rewording of the same length is seen too.
    changed_at = models.DateTimeField("last changed", auto_now=True, editable=False)

    class MPTTMeta:
        # "level" is the domain's ladder; mptt's own depth counter gets another name.
        level_attr = "mptt_level"
        order_insertion_by = ["order", "code"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework"], condition=Q(parent__isnull=True), name="one_root_per_framework"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=Level.IMPACT) & Q(level__lte=Level.ACTIVITY),
                name="result_level_on_ladder",
            ),
            # The root is the Impact and only the root is: the level rule's anchor.
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) & Q(level=Level.IMPACT))
                | (Q(parent__isnull=False) & Q(level__gt=Level.IMPACT)),
                name="result_root_is_impact",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.statement[:80]}"

    def get_absolute_url(self):
        return reverse("results:result", args=[self.code])

    @property
    def level_info(self):
        return Level(self.level).info

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        framework = self.framework if self.framework_id else None
        parent = self.parent if self.parent_id else None
        if self.code:
            self.code = self.code.strip().upper()
        if self.level is not None and self.level not in Level._value2member_map_:
            add("level", f"{self.level} is not a level on the ladder.")
        elif self.level is not None:
            level = Level(self.level)
            if parent is None:
                if level != Level.IMPACT:
                    add("parent", f"{_a(level.label, capital=True)} needs a parent result one level above it; "
                                  "only the Impact is the root of a framework.")
                elif framework is not None:
                    other_root = Result.objects.filter(framework=framework, parent__isnull=True)
                    if self.pk:
                        other_root = other_root.exclude(pk=self.pk)
                    other = other_root.first()
                    if other is not None:
                        add("parent", f"{framework} already has its Impact ({other.code}); "
                                      "a framework has exactly one root.")
            else:
                if framework is not None and parent.framework_id != framework.pk:
                    add("parent", _("The parent %(parent)s belongs to %(framework)s, not to %(other)s.") % {
                        "parent": parent.code, "framework": parent.framework, "other": framework})
                if self.pk and parent.pk == self.pk:
                    add("parent", "A result cannot be its own parent.")
                elif level != parent.level + 1:
                    expected = Level(parent.level + 1).label if parent.level < Level.ACTIVITY else None
                    if expected:
                        add("level", f"A child of {parent.code} ({Level(parent.level).label}) must be "
                                     f"{_a(expected)}, exactly one level below it, not "
                                     f"{_a(level.label)}.")
                    else:
                        add("parent", _("%(code)s is an Activity, the lowest level: it cannot have children.") % {
                            "code": parent.code})
            if self.business_line_id and level not in LEVELS_WITH_BUSINESS_LINE:
                add("business_line", "Only outputs and activities belong to a business line.")
            if self.pk:
                stored = Result.objects.filter(pk=self.pk).values("level", "framework_id").first()
                if stored and stored["level"] != self.level and self.get_children().exists():
                    add("level", "This result has children; change their level first or move them.")
                if stored and framework is not None and stored["framework_id"] != framework.pk:
                    add("framework", "A result stays in its framework; create it anew in the other one.")
        if errors:
            raise ValidationError(errors)


class Alignment(models.Model):
    class Relation(models.TextChoices):
        SHARES_IMPACT = "shares_impact", _("shares the common impact of")
        ALIGNS_TO = "aligns_to", _("aligns to")
        CONTRIBUTES_TO = "contributes_to", _("contributes to")
        SUPPORTS = "supports", _("is implemented in support of")

    source = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="alignments_out")
    target = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="alignments_in")
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.ALIGNS_TO)
    note = models.TextField(blank=True)
    # When a row was last saved: the chains' stamp (results.stamps) reads its highest value, so a
    # rewording of the same length is seen too.
    changed_at = models.DateTimeField("last changed", auto_now=True, editable=False)

    class Meta:
        ordering = ["source__tree_id", "source__lft", "target__tree_id", "target__lft"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="alignment_unique_edge"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="alignment_not_self"),
        ]

    def __str__(self):
        return f"{self.source.code} {self.get_relation_display()} {self.target.code}"

    def clean(self):
        if not (self.source_id and self.target_id):
            return
        source, target = self.source, self.target
        if source.framework_id == target.framework_id:
            raise ValidationError({"target": _(
                "%(source)s and %(target)s are both in %(framework)s: alignments join results of different "
                "frameworks; within a framework, use the tree.") % {
                    "source": source.code, "target": target.code, "framework": source.framework}})
        duplicate = Alignment.objects.filter(source=source, target=target)
        if self.pk:
            duplicate = duplicate.exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"target": _("%(source)s already aligns to %(target)s.") % {
                "source": source.code, "target": target.code}})
        cycle = framework_cycle_through(source.framework_id, target.framework_id, exclude_pk=self.pk)
        if cycle:
            names = " → ".join(cycle)
            raise ValidationError({"target": _(
                "This edge would close a cycle between frameworks (%(cycle)s); alignments must flow one way "
                "between any two frameworks.") % {"cycle": names}})


def framework_cycle_through(source_framework_id, target_framework_id, *, exclude_pk=None):
    """Return framework codes of the cycle a new edge source→target would close, or []."""
    edges = Alignment.objects.values_list("source__framework_id", "target__framework_id")
    if exclude_pk:
        edges = edges.exclude(pk=exclude_pk)
    graph: dict[int, set[int]] = {}
    for a, b in edges.distinct():
        graph.setdefault(a, set()).add(b)
    # Depth-first search from the new edge's target back to its source.
    stack = [(target_framework_id, [target_framework_id])]
    seen = set()
    while stack:
        node, path = stack.pop()
        if node == source_framework_id:
            codes = dict(ResultsFramework.objects.filter(pk__in=path).values_list("pk", "code"))
            return [codes[source_framework_id]] + [codes[p] for p in path]
        if node in seen:
            continue
        seen.add(node)
        for nxt in graph.get(node, ()):
            stack.append((nxt, path + [nxt]))
    return []


class ProgrammeRole(models.Model):
    """A person's role within one country programme, besides (or instead of) the organisation-wide
    roles (citiesalliance/roles.py): its officer records and submits the programme's figures, its
    manager reviews them. What each may do is in results/programme_rules.py. Given and taken by
    administrators in the admin through results/programmes.py, which records every change."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Programme officer"
        MANAGER = "manager", "Programme manager"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles")
    framework = models.ForeignKey(ResultsFramework, on_delete=models.CASCADE, related_name="programme_roles",
                                  limit_choices_to={"kind": ResultsFramework.Kind.COUNTRY},
                                  verbose_name=_("programme"))
    role = models.CharField(max_length=10, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework__order", "person__username"]
        constraints = [
            models.UniqueConstraint(fields=["person", "framework"], name="one_programme_role_per_programme"),
        ]

    def __str__(self):
        return _("%(person)s: %(role)s of %(framework)s") % {
            "person": self.person.get_username(), "role": self.get_role_display(), "framework": self.framework.code}

    def clean(self):
        if self.framework_id and self.framework.kind != ResultsFramework.Kind.COUNTRY:
            raise ValidationError({"framework": _(
                "%(framework)s is not a country programme: organisation-wide work is given by the "
                "organisation-wide roles (groups).") % {"framework": self.framework}})
