"""Reads of the results chains, each with a fixed number of queries whatever the tree's size."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .levels import LADDER, Level
from .models import Alignment, Result, ResultsFramework


def framework_list(*, visible: Q | None = None):
    """`visible`: a filter to the frameworks the reader may see (results.programmes), None for all."""
    qs = ResultsFramework.objects.annotate(result_count=Count("results", distinct=True)).order_by("order", "name")
    return qs if visible is None else qs.filter(visible)


CHAIN_GROUPS = (("Results chains", False), ("Country programmes", True))


def framework_groups(frameworks) -> list[tuple[str, list[ResultsFramework]]]:
    """The frameworks grouped as the chains pages list them: the organisation's chains (corporate,
    Secretariat), then the country programmes; a group with no framework is left out."""
    frameworks = list(frameworks)
    groups = []
    for title, programmes in CHAIN_GROUPS:
        members = [f for f in frameworks if (f.kind == ResultsFramework.Kind.COUNTRY) == programmes]
        if members:
            groups.append((title, members))
    return groups


def framework_get(*, code: str) -> ResultsFramework:
    return get_object_or_404(ResultsFramework, code__iexact=code)


@dataclass
class TreeNode:
    result: Result
    children: list["TreeNode"] = field(default_factory=list)
    alignments_out: int = 0
    alignments_in: int = 0


def framework_tree(*, framework: ResultsFramework) -> list[TreeNode]:
    """The framework's results as nested nodes, in tree order. Two queries in all."""
    results = list(
        Result.objects.filter(framework=framework)
        .select_related("business_line")
        .annotate(
            n_out=Count("alignments_out", distinct=True),
            n_in=Count("alignments_in", distinct=True),
        )
        .order_by("tree_id", "lft")
    )
    nodes = {r.pk: TreeNode(result=r, alignments_out=r.n_out, alignments_in=r.n_in) for r in results}
    roots = []
    for r in results:
        node = nodes[r.pk]
        if r.parent_id in nodes:
            nodes[r.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


def result_get(*, code: str) -> Result:
    return get_object_or_404(
        Result.objects.select_related("framework", "business_line", "parent"), code__iexact=code
    )


def result_detail(*, result: Result, visible_ids: set[int] | None = None) -> dict:
    ancestors = list(result.get_ancestors().select_related("framework"))
    children = list(result.get_children().select_related("business_line"))
    # Both directions in one query (an alignment never joins a result to itself).
    edges = list(Alignment.objects.select_related("source__framework", "target__framework")
                 .filter(Q(source=result) | Q(target=result)))
    if visible_ids is not None:  # an edge to a programme the reader may not see is not shown
        edges = [e for e in edges if e.source.framework_id in visible_ids and e.target.framework_id in visible_ids]
    return {
        "ancestors": ancestors,
        "children": children,
        "alignments_out": [e for e in edges if e.source_id == result.pk],
        "alignments_in": [e for e in edges if e.target_id == result.pk],
    }


def result_choices(*, framework: ResultsFramework | None = None):
    qs = Result.objects.select_related("framework").order_by("framework__order", "tree_id", "lft")
    if framework is not None:
        qs = qs.filter(framework=framework)
    return qs


def visible_framework_ids(visible: Q | None) -> set[int] | None:
    return None if visible is None else set(ResultsFramework.objects.filter(visible).values_list("pk", flat=True))


def alignment_list(*, visible_ids: set[int] | None = None):
    qs = Alignment.objects.select_related("source__framework", "target__framework")
    if visible_ids is not None:
        qs = qs.filter(source__framework_id__in=sorted(visible_ids), target__framework_id__in=sorted(visible_ids))
    return qs.order_by(
        "source__framework__order", "source__tree_id", "source__lft", "target__lft"
    )


@dataclass
class AlignmentMap:
    """Two frameworks side by side, a row per level, and the edges between them."""
    left: ResultsFramework
    right: ResultsFramework
    rows: list[tuple[str, list[Result], list[Result]]]
    edges: list[Alignment]


def alignment_map(*, left: ResultsFramework, right: ResultsFramework) -> AlignmentMap:
    results = list(
        Result.objects.filter(framework__in=[left, right]).order_by("level", "tree_id", "lft")
    )
    by_level = defaultdict(lambda: ([], []))
    for r in results:
        by_level[r.level][0 if r.framework_id == left.pk else 1].append(r)
    rows = [(LADDER[Level(lvl)].label, *by_level[lvl]) for lvl in sorted(by_level)]
    edges = list(
        Alignment.objects.filter(
            Q(source__framework=left, target__framework=right)
            | Q(source__framework=right, target__framework=left)
        ).select_related("source", "target")
    )
    return AlignmentMap(left=left, right=right, rows=rows, edges=edges)


def trees_problems() -> list[str]:
    """Every inconsistency in the stored trees, in words. Empty means healthy.

    Checks the nested-set numbers against the parent links (what mptt corrupts under concurrent
    or bulk writes) and the domain's rules (one Impact root per framework, one tree per framework).
    """
    problems: list[str] = []
    rows = list(
        Result.objects.order_by("tree_id", "lft").values(
            "pk", "code", "framework_id", "framework__code", "parent_id", "level",
            "tree_id", "lft", "rght", "mptt_level",
        )
    )
    by_pk = {r["pk"]: r for r in rows}
    children_count = defaultdict(int)
    for r in rows:
        if r["parent_id"]:
            children_count[r["parent_id"]] += 1
    roots_per_framework = defaultdict(list)
    trees_per_framework = defaultdict(set)
    seen_bounds = defaultdict(set)
    for r in rows:
        code = r["code"]
        trees_per_framework[r["framework__code"]].add(r["tree_id"])
        if r["lft"] >= r["rght"]:
            problems.append(f"{code}: lft {r['lft']} is not below rght {r['rght']}.")
        for bound in (r["lft"], r["rght"]):
            if bound in seen_bounds[r["tree_id"]]:
                problems.append(f"{code}: nested-set number {bound} is used twice in tree {r['tree_id']}.")
            seen_bounds[r["tree_id"]].add(bound)
        # A node's interval holds exactly its descendants: width = 2 * (descendants) + 1.
        parent = by_pk.get(r["parent_id"])
        if r["parent_id"] is None:
            roots_per_framework[r["framework__code"]].append(code)
            if r["mptt_level"] != 0:
                problems.append(f"{code}: root has depth {r['mptt_level']}, expected 0.")
        elif parent is None:
            problems.append(f"{code}: parent {r['parent_id']} does not exist.")
        else:
            if parent["tree_id"] != r["tree_id"]:
                problems.append(f"{code}: in tree {r['tree_id']} but its parent {parent['code']} is in tree {parent['tree_id']}.")
            elif not (parent["lft"] < r["lft"] and r["rght"] < parent["rght"]):
                problems.append(f"{code}: interval [{r['lft']}, {r['rght']}] lies outside its parent {parent['code']}'s [{parent['lft']}, {parent['rght']}].")
            if r["mptt_level"] != parent["mptt_level"] + 1:
                problems.append(f"{code}: depth {r['mptt_level']} but its parent {parent['code']} has depth {parent['mptt_level']}.")
            if parent["framework_id"] != r["framework_id"]:
                problems.append(f"{code}: its parent {parent['code']} belongs to another framework.")
            if r["level"] != parent["level"] + 1:
                problems.append(f"{code}: level {r['level']} is not one below its parent {parent['code']}'s {parent['level']}.")
    # Interval widths must match subtree sizes.
    subtree = defaultdict(int)
    for r in reversed(rows):
        size = 1 + subtree[r["pk"]]
        if r["rght"] - r["lft"] + 1 != 2 * size:
            problems.append(f"{r['code']}: interval width {r['rght'] - r['lft'] + 1} does not fit its {size - 1} descendants.")
        if r["parent_id"]:
            subtree[r["parent_id"]] += size
    for framework_code, roots in roots_per_framework.items():
        if len(roots) > 1:
            problems.append(f"Framework {framework_code} has {len(roots)} roots ({', '.join(roots)}); it must have one Impact.")
    for framework_code, trees in trees_per_framework.items():
        if len(trees) > 1:
            problems.append(f"Framework {framework_code} is spread over trees {sorted(trees)}.")
    return problems
