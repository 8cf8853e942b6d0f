"""Writes to the results chains. Every tree write goes through here, serialised.

django-mptt keeps nested-set numbers (lft/rght/tree_id) that concurrent writers corrupt, so each
write takes one global tree lock inside its transaction: an advisory lock on PostgreSQL; on SQLite
the IMMEDIATE transaction mode set in settings already makes writers queue.
"""
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from .models import Alignment, BusinessLine, Result, ResultsFramework

TREE_LOCK_KEY = 0x5E5_7EE  # arbitrary constant naming "the results trees" lock


def _lock_trees() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])


def framework_create(*, code: str, name: str, kind: str, description: str = "", order: int = 0) -> ResultsFramework:
    framework = ResultsFramework(code=code.strip().upper(), name=name.strip(), kind=kind,
                                 description=description, order=order)
    framework.full_clean()
    framework.save()
    return framework


FRAMEWORK_FIELDS = ("name", "kind", "description", "order", "first_fiscal_year", "last_fiscal_year")


def framework_update(*, framework: ResultsFramework, **changes) -> ResultsFramework:
    """Change a framework's own fields (its name, the fiscal years it covers, ...); unchanged, it
    writes nothing."""
    unknown = set(changes) - set(FRAMEWORK_FIELDS)
    if unknown:
        raise TypeError(f"framework_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        fresh = ResultsFramework.objects.select_for_update().get(pk=framework.pk)
        changed = {k: v for k, v in changes.items() if getattr(fresh, k) != v}
        if not changed:
            return fresh
        for field, value in changed.items():
            setattr(fresh, field, value)
        fresh.full_clean()
        fresh.save(update_fields=[*changed, "changed_at"])  # auto_now moves only when named here
    return fresh


def business_line_create(*, code: str, name: str, description: str = "", order: int = 0) -> BusinessLine:
    line = BusinessLine(code=code.strip().upper(), name=name.strip(), description=description, order=order)
    line.full_clean()
    line.save()
    return line


def result_create(
    *,
    framework: ResultsFramework,
    level: int,
    code: str,
    statement: str,
    parent: Result | None = None,
    description: str = "",
    business_line: BusinessLine | None = None,
    order: int = 0,
    assumptions: str = "",
    beneficiary: str = "",
    statement_fr: str = "",
    statement_es: str = "",
    statement_pt: str = "",
) -> Result:
    """`statement` is the English statement; statement_fr/_es/_pt its translations (blank: none)."""
    with transaction.atomic():
        _lock_trees()
        if parent is not None:
            parent.refresh_from_db()  # nested-set numbers may have moved while we waited
        result = Result(
            framework=framework, parent=parent, level=level, code=(code or "").strip().upper(),
            statement_en=(statement or "").strip(), description=description,
            **_translations(statement_fr=statement_fr, statement_es=statement_es, statement_pt=statement_pt),
            business_line=business_line, order=order, assumptions=assumptions,
            beneficiary=beneficiary,
        )
        result.full_clean()
        result.save()
    return result


# The statement's translations (results/translation.py); "statement" itself is the English text.
STATEMENT_TRANSLATIONS = ("statement_fr", "statement_es", "statement_pt")
UPDATABLE_FIELDS = ("code", "statement", "description", "business_line", "order", "assumptions",
                    "beneficiary", "level", *STATEMENT_TRANSLATIONS)


def _translations(**texts) -> dict:
    """Stored translations: stripped, and None where there is none (the reader then gets English)."""
    return {field: (text or "").strip() or None for field, text in texts.items()}


def stored_field(field: str) -> str:
    """The stored column a service field writes: "statement" is the English one, whatever language
    the person editing reads the site in (django-modeltranslation would otherwise write theirs)."""
    return "statement_en" if field == "statement" else field


def result_update(*, result: Result, **changes) -> Result:
    """Change a result's own fields. Moving it in the tree is result_move's job."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"result_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        _lock_trees()
        fresh = Result.objects.select_for_update().get(pk=result.pk)
        changed = False
        for field, value in changes.items():
            if field == "code":
                value = (value or "").strip().upper()
            elif field == "statement":
                value = (value or "").strip()
            elif field in STATEMENT_TRANSLATIONS:
                value = _translations(**{field: value})[field]
            field = stored_field(field)
            changed = changed or getattr(fresh, field) != value
            setattr(fresh, field, value)
        if not changed:  # saved unchanged: nothing written (not even its last-changed time)
            return fresh
        fresh.full_clean()
        fresh.save()
    return fresh


def result_move(*, result: Result, parent: Result, order: int | None = None) -> Result:
    """Give a result a new parent (same framework, one level up) and/or a new place among siblings."""
    with transaction.atomic():
        _lock_trees()
        fresh = Result.objects.select_for_update().get(pk=result.pk)
        new_parent = Result.objects.get(pk=parent.pk) if parent is not None else None
        if new_parent is not None and fresh.pk != new_parent.pk and new_parent.is_descendant_of(fresh):
            raise ValidationError({"parent": _("%(parent)s lies below %(code)s; a result cannot move under its own "
                                               "descendant.") % {"parent": new_parent.code, "code": fresh.code}})
        if fresh.parent_id == (new_parent.pk if new_parent else None) and (order is None or fresh.order == order):
            return fresh  # saved unchanged: nothing moves, nothing is written
        fresh.parent = new_parent
        if order is not None:
            fresh.order = order
        fresh.full_clean()
        fresh.save()  # mptt moves the node (and its subtree) to its place by parent and order
    return fresh


def result_delete(*, result: Result) -> None:
    with transaction.atomic():
        _lock_trees()
        fresh = Result.objects.select_for_update().get(pk=result.pk)
        children = list(fresh.get_children().values_list("code", flat=True))
        if children:
            raise ValidationError(_("%(code)s still has results below it (%(children)s): move or delete them "
                                    "first.") % {"code": fresh.code, "children": ", ".join(children)})
        blockers = _delete_blockers(fresh)
        if blockers:
            raise ValidationError(_("%(code)s cannot be deleted: %(blockers)s.") % {"code": fresh.code, "blockers": blockers})
        fresh.delete()


def _delete_blockers(result: Result) -> str:
    """Other apps' data that would be lost with the result (indicators and their figures)."""
    indicators = getattr(result, "indicators", None)
    if indicators is not None and indicators.exists():
        codes = ", ".join(indicators.values_list("code", flat=True)[:5])
        return f"it has indicators ({codes}); move or delete them first"
    return ""


def alignment_create(*, source: Result, target: Result, relation: str = Alignment.Relation.ALIGNS_TO,
                     note: str = "") -> Alignment:
    with transaction.atomic():
        _lock_trees()  # the cycle check reads the whole edge set: no concurrent edge may slip in
        alignment = Alignment(source=source, target=target, relation=relation, note=note)
        alignment.full_clean()
        alignment.save()
    return alignment


def alignment_update(*, alignment: Alignment, **changes) -> Alignment:
    allowed = {"source", "target", "relation", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"alignment_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        _lock_trees()
        fresh = Alignment.objects.select_for_update().get(pk=alignment.pk)
        if all(getattr(fresh, field) == value for field, value in changes.items()):
            return fresh  # saved unchanged: nothing written
        for field, value in changes.items():
            setattr(fresh, field, value)
        fresh.full_clean()
        fresh.save()
    return fresh


def alignment_delete(*, alignment: Alignment) -> None:
    with transaction.atomic():
        _lock_trees()
        Alignment.objects.filter(pk=alignment.pk).delete()


def trees_rebuild() -> None:
    """Recompute every tree's nested-set numbers from the parent links (the source of truth)."""
    with transaction.atomic():
        _lock_trees()
        Result.objects.rebuild()


def chains_load(*, data: dict) -> dict:
    """Create or bring up to date the frameworks, results and alignments described by `data`.

    Idempotent: keyed by codes; an unchanged file changes nothing. All or nothing.
    """
    summary = {"frameworks": 0, "results": 0, "alignments": 0, "business_lines": 0,
               "created": 0, "updated": 0}

    def upsert(model, lookup: dict, values: dict):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            summary["created"] += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if not changed:
                return obj
            for k, v in changed.items():
                setattr(obj, k, v)
            summary["updated"] += 1
        obj.full_clean()
        obj.save()
        return obj

    with transaction.atomic():
        _lock_trees()
        for line in data.get("business_lines", []):
            upsert(BusinessLine, {"code": line["code"]},
                   {"name": line["name"], "order": line.get("order", 0),
                    "description": line.get("description", "")})
            summary["business_lines"] += 1

        def load_result(framework, item, parent):
            values = {
                "framework": framework, "parent": parent, "level": item["level"],
                "statement_en": item["statement"], "description": item.get("description", ""),
                "order": item.get("order", 0), "assumptions": item.get("assumptions", ""),
                "beneficiary": item.get("beneficiary", ""),
            }
            # A result the file gives no business line keeps the one a manager set on the site.
            if "business_line" in item:
                values["business_line"] = (BusinessLine.objects.get(code=item["business_line"])
                                           if item["business_line"] else None)
            result = upsert(Result, {"code": item["code"]}, values)
            summary["results"] += 1
            for child in item.get("children", []):
                load_result(framework, child, result)

        for fw in data.get("frameworks", []):
            framework = upsert(ResultsFramework, {"code": fw["code"]}, {
                "name": fw["name"], "kind": fw["kind"], "order": fw.get("order", 0),
                "description": fw.get("description", ""),
            })
            summary["frameworks"] += 1
            for item in fw.get("results", []):
                load_result(framework, item, None)

        edges = list(data.get("alignments", []))
        fan = data.get("supports_all_outputs")
        if fan:
            edges += [{"source": s, "target": t, "relation": fan["relation"], "note": fan["note"]}
                      for s in fan["sources"] for t in fan["targets"]]
        codes = {r.code: r for r in Result.objects.all()}
        for edge in edges:
            missing = [c for c in (edge["source"], edge["target"]) if c not in codes]
            if missing:
                raise ValidationError(_("Alignment names unknown result code(s): %(codes)s.") % {"codes": ", ".join(missing)})
            upsert(Alignment, {"source": codes[edge["source"]], "target": codes[edge["target"]]},
                   {"relation": edge.get("relation", Alignment.Relation.ALIGNS_TO),
                    "note": edge.get("note", "")})
            summary["alignments"] += 1
    return summary


def result_place(*, result: Result, target: Result, position: str) -> Result:
    """Drop `result` beside ("left"/"right") or under ("last-child") `target`, as the admin's drag does.

    Sibling `order` values are renumbered to match, so the tree order and the order field agree.
    """
    if position not in ("left", "right", "last-child"):
        raise ValidationError({"position": _("Unknown position %(position)s.") % {"position": repr(position)}})
    with transaction.atomic():
        _lock_trees()
        fresh = Result.objects.select_for_update().get(pk=result.pk)
        target = Result.objects.get(pk=target.pk)
        parent = target if position == "last-child" else target.parent
        if parent is None:
            raise ValidationError({"parent": _("Only the Impact can be a root, and a framework has one.")})
        if parent.pk == fresh.pk or parent.is_descendant_of(fresh):
            raise ValidationError({"parent": _("%(code)s cannot move under itself.") % {"code": fresh.code}})
        siblings = list(
            Result.objects.filter(parent=parent).exclude(pk=fresh.pk).order_by("lft")
        )
        if position == "last-child":
            index = len(siblings)
        else:
            index = next(i for i, s in enumerate(siblings) if s.pk == target.pk)
            index += 1 if position == "right" else 0
        for number, sibling in enumerate(siblings[:index] + [None] + siblings[index:], start=1):
            if sibling is None:
                fresh.order = number
            elif sibling.order != number:
                Result.objects.filter(pk=sibling.pk).update(order=number)  # same relative order: no move
        fresh.parent = parent
        fresh.full_clean()
        fresh.save()
    return fresh
