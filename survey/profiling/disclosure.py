"""The small-group rule: which counts of a table may be shown. Pure Python, written once.

A count below the survey's minimum group size k is never shown, and neither is anything a
reader could work out from what is shown on the same page: the shown cells, the shown
totals, and (for linked rows) the parent row the child rows add up to.

The guarantee, per equation "a shown total = the sum of some counts" (a row that splits its
total; a column of linked rows; the parent's total over its child rows): call U the counts in
it that are not shown (the hidden cells, and the unlisted rest of the total when it is not 0).
Then

- the sum of U is 0 or at least k (a reader can always compute that sum), and
- when U holds a hidden cell, U holds at least two counts (a hidden 0 counts: a reader cannot
  tell it is 0), so no hidden cell can be recovered on its own. A rest that is never printed
  may be recovered when it is at least k: it is a large group, and the page never claimed to
  hide it.

Decisions:

- Zero cells are shown as 0: an empty group reveals nobody. A zero is hidden only when it is
  forced (a value hidden in the parent row is hidden in every child row, zeros included, so a
  reader cannot see where the hidden value sits). Complementary cells are never zeros: hiding
  a zero adds nothing to the hidden sum.
- A row whose total is under k (but not 0) is hidden entirely: its total and all its cells,
  zeros too (a shown 0 beside hidden cells says what the few others answered).
- When the only way to protect a row would be to hide its one non-zero cell beside shown
  zeros (a forced cell that holds the whole total), the whole row is hidden.
- Complementary cells are the smallest shown ones (ties by key), which loses least.
- "overlap" rows (multiple choice: a person can be in several cells) have no equation between
  their cells; a cell is hidden also when n - count (the people who did not pick it) is under k.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
C = TypeVar("C", bound=Hashable)

PARTITION = "partition"  # the cells add up to the total (or to less: the rest is unlisted)
OVERLAP = "overlap"  # a person can be counted in several cells (multiple choice, ranking)
KINDS = (PARTITION, OVERLAP)


@dataclass(frozen=True)
class Row(Generic[K]):
    """A protected row: `None` means hidden (the total, or a cell)."""

    total: int | None
    cells: dict[K, int | None]

    @property
    def hidden(self) -> set[K]:
        return {key for key, count in self.cells.items() if count is None}


def small(count: int, k: int) -> bool:
    """A group that may not be shown: some people, but fewer than k."""
    return 0 < count < k


ROUND_TO = 5  # public counts are printed to the nearest multiple of this


def rounded(count: int | None, base: int = ROUND_TO) -> int | None:
    """A count as public pages print it: to the nearest multiple of `base`, never 0 for a
    count above 0 (a hidden count stays None). One answer more or less then rarely changes
    what is printed; percentages are worked out from the counts before rounding."""
    if count is None or count == 0:
        return count
    return max(base, base * round(count / base))


def hidden_row(cells: Iterable[K]) -> Row[K]:
    return Row(None, dict.fromkeys(cells))


def safe(hidden: Iterable[int], rest: int, k: int) -> bool:
    """Whether the unshown part of one equation (hidden cells and the rest) reveals nothing."""
    hidden = list(hidden)
    unknown = sum(hidden) + rest
    if unknown == 0:
        return True
    if unknown < k:
        return False
    return len(hidden) != 1 or rest > 0  # one hidden cell alone could be recovered


def protect(
    cells: Mapping[K, int],
    total: int,
    k: int,
    kind: str = PARTITION,
    forced_hidden: Iterable[K] = (),
) -> Row[K]:
    """Hide the small cells of one row and, for a partition, the cells that would give them away.

    `total` is the row's total as shown on the page (respondents for overlap rows); for a
    partition the cells may add up to less, the rest being counted but not listed.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    k = max(1, k)
    if total == 0:
        return Row(0, dict.fromkeys(cells, 0))  # nobody: nothing to hide
    if total < k:
        return hidden_row(cells)
    hidden = {key for key in forced_hidden if key in cells}
    for key, count in cells.items():
        if small(count, k) or (kind == OVERLAP and small(total - count, k)):
            hidden.add(key)
    if kind == PARTITION:
        rest = total - sum(cells.values())
        if rest < 0:
            raise ValueError("the cells of a partition add up to more than its total")
        while not safe((cells[key] for key in hidden), rest, k):
            shown = [key for key in cells if key not in hidden and cells[key] > 0]
            if not shown:
                return hidden_row(cells)
            hidden.add(_smallest(shown, cells.__getitem__))
    return Row(total, {key: None if key in hidden else count for key, count in cells.items()})


def _smallest(keys: Iterable[K], value: Callable[[K], int]) -> K:
    return min(keys, key=lambda key: (value(key), str(key)))


def protect_tree(
    counts: Mapping[C, int], children: Mapping[C, list[C]], root: C, k: int
) -> dict[C, int | None]:
    """Counts of a tree (e.g. the whole survey, its wijken, their buurten), protected level by
    level: each node's children split its count (what is left is an unlisted rest), and a
    hidden node hides all its children."""
    shown: dict[C, int | None] = {root: counts[root] if not small(counts[root], k) else None}
    todo = [root]
    while todo:
        node = todo.pop()
        kids = children.get(node, [])
        if shown[node] is None:
            row = hidden_row(kids)
        else:
            row = protect({c: counts[c] for c in kids}, counts[node], k)
        shown.update(row.cells)
        todo.extend(kids)
    return shown


@dataclass(frozen=True)
class Linked(Generic[K, C]):
    parent: Row[K]
    children: dict[C, Row[K]]  # a hidden child row has total None


def protect_linked(
    parent: Mapping[K, int],
    total: int,
    children: Mapping[C, tuple[Mapping[K, int], int]],
    k: int,
    kind: str = PARTITION,
    forced_hidden: Iterable[K] = (),
    forced_children: Mapping[C, Iterable[K]] | None = None,
    hidden_children: Iterable[C] = (),
) -> Linked[K, C]:
    """A parent row with the child rows that split it (a wijk and its buurten; the whole
    survey and its buurten), shown on one page or on pages a reader can put side by side.

    Each child is `(cells, total)`. A child row is shown only where its total may be: the
    child totals split the parent's total. The children not shown and the people in no child
    form an unlisted rest. Besides every row, each column (one key over the children and the
    rest) and the rest's own row keep the guarantee of this module.

    `forced_children` hides keys in some child rows from the start: cells that a lower level
    of a tree (a child with rows of its own) had to hide; `hidden_children` whole child rows.
    """
    k = max(1, k)
    keys = list(parent)
    cells = {c: {key: child[0].get(key, 0) for key in keys} for c, child in children.items()}
    sizes = {c: child[1] for c, child in children.items()}
    forced = set(forced_hidden)
    dropped: set[C] = set(hidden_children)  # children whose whole row is hidden
    forced_children = forced_children or {}
    extra: dict[C, set[K]] = {c: set(forced_children.get(c, ())) & set(keys) for c in children}
    while True:  # hiding only grows, so this ends
        whole = protect(parent, total, k, kind, forced)
        if whole.total is None:
            return Linked(whole, {c: hidden_row(keys) for c in children})
        shown = protect(sizes, total, k, PARTITION, dropped).cells
        rows = {
            c: protect(cells[c], sizes[c], k, kind, whole.hidden | extra[c])
            for c in children
            if shown[c] is not None
        }
        if any(row.total is None for row in rows.values()):
            dropped |= {c for c, row in rows.items() if row.total is None}
            continue
        fix = _Columns(parent, total, whole, cells, sizes, rows, k, kind).next_fix()
        if fix is None:
            return Linked(whole, {c: rows.get(c) or hidden_row(keys) for c in children})
        child, key = fix
        if child is None:
            forced.add(key)  # no child cell can help: hide the parent's cell
        else:
            extra[child].add(key)


@dataclass
class _Columns:
    """The equations across linked rows: per key, parent = children + rest; and the rest's row."""

    parent: Mapping
    total: int
    whole: Row
    cells: dict
    sizes: dict
    rows: dict
    k: int
    kind: str

    def __post_init__(self):
        self.rest_total = self.total - sum(self.sizes[c] for c in self.rows)
        self.rest = {
            key: self.parent[key] - sum(self.cells[c][key] for c in self.rows)
            for key in self.parent
        }

    def hidden(self, key) -> list:
        return [c for c in self.rows if self.rows[c].cells[key] is None]

    def column_safe(self, key, rest_known: bool) -> bool:
        hidden = self.hidden(key)
        rest = 0 if rest_known else self.rest[key]
        if not safe((self.cells[c][key] for c in hidden), rest, self.k):
            return False
        if self.kind == OVERLAP:  # the people who did not pick the key, likewise
            others = (self.sizes[c] - self.cells[c][key] for c in hidden)
            rest = 0 if rest_known else self.rest_total - self.rest[key]
            return safe(others, rest, self.k)
        return True

    def next_fix(self):
        """The next (child, key) to hide, (None, key) for a parent cell, or None when safe."""
        open_keys = [key for key in self.parent if self.whole.cells[key] is not None]
        for key in open_keys:
            if not self.column_safe(key, rest_known=self.rest_total == 0):
                return self.hide_in_column(key)
        if self.kind == OVERLAP or self.rest_total == 0:
            return None
        # The rest's cells add up to rest_total; a column without hidden cells gives its rest.
        known = [key for key in open_keys if not self.hidden(key)]
        unknown = [key for key in self.parent if key not in known]
        left = sum(self.rest[key] for key in unknown)
        if small(left, self.k):
            return self.widen(known)
        if len(unknown) == 1 or left == 0:  # those rest cells are known too
            for key in unknown:
                if key in open_keys and not self.column_safe(key, rest_known=True):
                    return self.widen(known) or self.hide_in_column(key)
        return None

    def widen(self, known: list):
        """Hide a cell in a column whose rest is known, so that rest becomes unknown."""
        fixes = [self.hide_in_column(key) for key in known if self.rest[key] > 0]
        fixes.sort(key=lambda fix: (fix[0] is None, -self.rest[fix[1]], str(fix[1])))
        return fixes[0] if fixes else None  # a parent cell only when no child cell will do

    def hide_in_column(self, key):
        shown = [c for c in self.rows if self.rows[c].cells[key] is not None]
        candidates = [c for c in shown if self.cells[c][key] > 0]
        if self.kind == OVERLAP:
            candidates = [c for c in shown if self.sizes[c] > self.cells[c][key] or c in candidates]
        if not candidates:
            return None, key
        return _smallest(candidates, lambda c: self.cells[c][key]), key


def protect_table_tree(
    rows: Mapping[C, tuple[Mapping[K, int], int]],
    children: Mapping[C, list[C]],
    root: C,
    k: int,
    kind: str = PARTITION,
) -> dict[C, Row[K]]:
    """One table over a tree (the whole survey, its wijken, their buurten), every node's row
    linked with its children's as in protect_linked, so that pages about different nodes
    cannot be subtracted from each other. `rows` holds `(cells, total)` for every node."""
    keys = {key for cells, _total in rows.values() for key in cells}
    rows = {
        node: ({key: cells.get(key, 0) for key in keys}, n) for node, (cells, n) in rows.items()
    }
    forced: dict[C, set[K]] = {node: set() for node in rows}
    dropped: dict[C, set[C]] = {node: set() for node in rows}
    parent_of = {kid: node for node, kids in children.items() for kid in kids}
    while True:  # hiding only grows, so this ends
        out = {root: protect(*rows[root], k, kind, forced[root])}
        grown, todo = False, [root]
        while todo and not grown:
            node = todo.pop(0)
            kids = children.get(node, [])
            todo.extend(kids)
            if not kids:
                continue
            if out[node].total is None:
                out |= {kid: hidden_row(rows[kid][0]) for kid in kids}
                continue
            linked = protect_linked(
                *rows[node],
                {kid: rows[kid] for kid in kids},
                k,
                kind,
                out[node].hidden,
                {kid: forced[kid] for kid in kids},
                dropped[node],
            )
            if linked.parent != out[node]:  # this level needs more hidden in the node's row
                grown = True
                if linked.parent.total is None and node in parent_of:
                    dropped[parent_of[node]].add(node)
                elif linked.parent.total is None:
                    return {n: hidden_row(rows[n][0]) for n in rows}
                forced[node] |= linked.parent.hidden
            out |= linked.children
        if not grown:
            return out


def protect_completed(
    started: Mapping[K, int | None],
    status: Row[tuple[K, str]],
    counts: Mapping[tuple[K, str], int],
    k: int,
) -> dict[K, int | None]:
    """key -> the completed count of a breakdown (days, channels) that may be shown beside
    its started count, else None.

    `started` is each key's started count as the page shows it (None: hidden); `status` the
    page's protected row of (key, "completed") and (key, "open") cells, `counts` those cells
    unprotected. A key's completed count is shown only where its completed and open cells and
    its started count all are, so no subtraction gives a small open group. The counts not
    shown must then keep the page's completed and open totals' equations safe, or no key's is.
    """
    if status.total is None:
        return dict.fromkeys(started)
    out: dict[K, int | None] = {}
    for key, n in started.items():
        done, rest = status.cells.get((key, "completed"), 0), status.cells.get((key, "open"), 0)
        out[key] = done if None not in (n, done, rest) else None
    unshown = [key for key in started if out[key] is None]
    for state in ("completed", "open"):
        if not safe((counts.get((key, state), 0) for key in unshown), 0, k):
            return dict.fromkeys(started)
    return out
