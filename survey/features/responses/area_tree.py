"""The area tree the dashboard's figures are protected over: the whole survey, wijken, buurten.

A page filtered to a wijk or a buurt shows one node's row of tables protected over the whole
tree, so that the pages of a wijk and of its buurten cannot be subtracted from each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from survey.extensions import db
from survey.models import Area
from survey.profiling.disclosure import PARTITION, Row, hidden_row, protect_table_tree

ROOT = "all"  # the whole survey (within the other filters)
UNKNOWN = "unknown"  # responses without an area, or with the whole gemeente as area


@dataclass
class AreaTree:
    parent: dict  # node -> parent node
    names: dict  # area id -> name
    children: dict  # node -> child nodes, by name with UNKNOWN last
    page: object  # the node the page is about
    k: int

    def node(self, area_id) -> object:
        return area_id if area_id in self.parent else UNKNOWN

    def roll_up(self, per_area: Mapping) -> dict:
        """Counters per area id -> the same summed per node (each area counts in its ancestors)."""
        out = {node: Counter() for node in self.children}
        for area_id, counts in per_area.items():
            node = self.node(area_id)
            while node is not None:
                out[node].update(counts)
                node = self.parent.get(node)
        return out

    def protect(self, rows: Mapping, kind: str = PARTITION, hidden: bool = False) -> Row:
        """The page's row of one table given as node -> (cells, total)."""
        if hidden or self.page not in rows:
            return hidden_row(rows.get(ROOT, ({}, 0))[0])
        return protect_table_tree(rows, self.children, ROOT, self.k, kind)[self.page]

    def protect_all(self, rows: Mapping, kind: str = PARTITION) -> dict:
        return protect_table_tree(rows, self.children, ROOT, self.k, kind)

    def below_page(self) -> list[tuple[object, int]]:
        """(node, depth) of the rows the area breakdown lists: two levels under the page."""
        kids = self.children.get(self.page, [])
        if not kids:
            return [(self.page, 0)]
        return [
            (c, d) for kid in kids for c, d in [(kid, 0)] + [(g, 1) for g in self.children[kid]]
        ]


def area_tree(area_ids: Iterable, page_area_id: int | None, k: int) -> AreaTree:
    """The tree over the areas responses were given, and the node a page filtered to
    `page_area_id` is about."""
    areas = {a.id: a for a in db.session.scalars(select(Area))}
    parent: dict = {ROOT: None, UNKNOWN: ROOT}

    def add(area_id) -> None:
        area = areas.get(area_id)
        if area is None or area.level == "gemeente" or area_id in parent:
            return
        up = areas.get(area.parent_id)
        parent[area_id] = ROOT if up is None or up.level == "gemeente" else up.id
        add(area.parent_id)

    for area_id in [*area_ids, page_area_id]:
        add(area_id)
    page = page_area_id if page_area_id in parent else ROOT
    if page_area_id is not None and page_area_id not in areas:
        page = None  # an area that does not exist: no figures
    elif page_area_id in areas and areas[page_area_id].level == "gemeente":
        page = ROOT
    names = {a: areas[a].name for a in parent if a in areas}
    children: dict = {node: [] for node in parent}
    for node, up in parent.items():
        if up is not None:
            children[up].append(node)
    for kids in children.values():
        kids.sort(key=lambda n: (n == UNKNOWN, names.get(n, ""), str(n)))
    return AreaTree(parent, names, children, page, k)


def shown_areas(per_area: Mapping, k: int) -> dict:
    """The area a row-level view shows for each response area, given how many responses it
    lists per area (`listed_per_area`): area id -> the id shown, or None.

    A label names at least k of the listed responses: the rows of a buurt with fewer are shown
    under its wijk (with the wijk's own), and under no area when the wijk gathers fewer too.
    """
    return generalise(area_tree(per_area, None, k), per_area, k)


def generalise(tree: AreaTree, per_area: Mapping, k: int) -> dict:
    """Move the rows of every node holding fewer than k up to its parent, deepest first."""
    pooled = Counter()
    for area_id, n in per_area.items():
        pooled[tree.node(area_id)] += n

    def depth(node) -> int:
        return 0 if tree.parent[node] is None else 1 + depth(tree.parent[node])

    merged = set()
    for node in sorted(tree.parent, key=depth, reverse=True):
        if tree.parent[node] is not None and pooled[node] < k:
            pooled[tree.parent[node]] += pooled[node]
            merged.add(node)

    def label(node):
        while node in merged:
            node = tree.parent[node]
        return node if node in tree.names else None

    return {area_id: label(tree.node(area_id)) for area_id in per_area}
