"""The one small-group rule: tables of counts, and checkers that try to recover what it hides.

The invariant, per equation "a shown total = the sum of some counts" with U its counts that are
not shown (hidden cells, and the unlisted rest when it is not 0):
  - sum(U) is 0 or at least k;
  - if U holds a hidden cell, U holds at least two counts (a hidden 0 counts as unknown).
The checkers below do not trust that reasoning: they ask which sums of unshown counts a
reader can work out from the page (every subset, for one row; by linear programming for
linked rows) and assert that none is a group of 1..k-1 and no hidden cell is pinned down.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from survey.profiling.disclosure import (
    OVERLAP,
    PARTITION,
    Linked,
    Row,
    protect,
    protect_completed,
    protect_linked,
    protect_table_tree,
    protect_tree,
    safe,
)

K = 10


def cells_of(counts: list[int]) -> dict[str, int]:
    return {chr(ord("a") + i): c for i, c in enumerate(counts)}


def shown(row: Row) -> list[int | None]:
    return list(row.cells.values())


# --- one row --------------------------------------------------------------------------------

CASES = [
    # counts, total, kind, forced, expected cells, expected total
    ([35, 3, 2], 40, PARTITION, (), [None, None, None], 40),  # 3+2 < k: 35 must go too
    ([12, 3, 20], 35, PARTITION, (), [None, None, 20], 35),
    ([12, 3, 4, 20], 39, PARTITION, (), [None, None, None, 20], 39),  # 3+4=7 < k
    ([12, 0, 20], 32, PARTITION, (), [12, 0, 20], 32),  # zeros reveal nobody
    ([40, 0, 0], 40, PARTITION, (), [40, 0, 0], 40),
    ([3, 0, 2], 5, PARTITION, (), [None, None, None], None),  # a total under k hides all
    ([0, 0], 0, PARTITION, (), [0, 0], 0),  # nobody: nothing to hide
    ([50, 40], 95, PARTITION, (), [50, None], 95),  # the unlisted 5 would show otherwise
    ([50, 40, 0], 90, PARTITION, (), [50, 40, 0], 90),
    ([50, 40, 20], 120, PARTITION, (), [50, 40, 20], 120),  # a rest of 10 may show
    ([30, 20], 50, PARTITION, ("a",), [None, None], 50),  # a forced cell needs a partner
    ([30, 0], 30, PARTITION, ("a",), [None, None], None),  # ... and has none: row hidden
    ([30, 0, 20], 50, PARTITION, ("b",), [30, None, 20], 50),  # a forced zero is harmless
    ([10, 3, 14, 9, 12, 0, 11], 59, PARTITION, (), [10, None, 14, None, 12, 0, 11], 59),
    ([10, 3, 14, 12], 39, PARTITION, (), [None, None, 14, 12], 39),  # one day of 3
    ([55, 50], 57, OVERLAP, (), [None, None], 57),  # 2 and 7 did not pick them
    ([55, 20, 57, 0], 57, OVERLAP, (), [None, 20, 57, 0], 57),  # all or none picked: shown
    ([4, 30], 40, OVERLAP, (), [None, 30], 40),  # no equation between the cells
    ([4, 30], 8, OVERLAP, (), [None, None], None),
]


@pytest.mark.parametrize("counts, total, kind, forced, cells, row_total", CASES)
def test_one_row(counts, total, kind, forced, cells, row_total):
    row = protect(cells_of(counts), total, K, kind, forced)
    assert (shown(row), row.total) == (cells, row_total)
    check_row(cells_of(counts), total, K, kind, row)


def test_k_of_one_hides_nothing_and_bad_input_is_refused():
    assert shown(protect(cells_of([1, 2]), 3, 1)) == [1, 2]
    assert shown(protect(cells_of([1, 2]), 3, 0)) == [1, 2]
    with pytest.raises(ValueError):
        protect(cells_of([5, 6]), 10, K)  # the cells are more than the total
    with pytest.raises(ValueError):
        protect(cells_of([5]), 10, K, kind="other")


def test_safe_says_what_a_reader_can_compute():
    assert safe([], 0, K) and safe([0, 0], 0, K)
    assert not safe([3], 0, K) and not safe([3, 4], 0, K) and not safe([], 4, K)
    assert not safe([35], 0, K)  # one hidden cell would be recovered
    assert safe([35, 3], 0, K) and safe([3], 12, K) and safe([], 12, K)


def determined_sums(values: dict[str, int], rest: int) -> list[tuple[tuple[str, ...], int]]:
    """Brute force for one row: every sum of unshown counts a reader can work out.

    The only equation is sum(unshown) = total - sum(shown), all counts at least 0. A subset's
    sum is then fixed only when it is all the unknowns, or when they add up to 0.
    """
    unknown = dict(values) | ({"(rest)": rest} if rest else {})
    names = list(unknown)
    whole = sum(unknown.values())
    found = []
    for size in range(1, len(names) + 1):
        for subset in combinations(names, size):
            if size == len(names) or whole == 0:
                found.append((subset, sum(unknown[n] for n in subset)))
    return found


def check_row(cells: dict, total: int, k: int, kind: str, row: Row) -> None:
    """Assert the invariant for one protected row."""
    k = max(1, k)
    if row.total is None:
        assert 0 < total < k or all(v is None for v in row.cells.values())
        assert all(v is None for v in row.cells.values())
        return
    assert row.total == total and not (0 < total < k)
    for key, value in row.cells.items():
        if value is not None:
            assert value == cells[key] and not (0 < value < k)
            if kind == OVERLAP:
                assert not (0 < total - value < k)
    if kind == OVERLAP:
        return  # no equation links the cells: each shown cell is safe on its own
    hidden = {key: cells[key] for key, v in row.cells.items() if v is None}
    rest = total - sum(cells.values())
    for subset, value in determined_sums(hidden, rest):
        if len(subset) == 1 and subset[0] != "(rest)":
            assert value == 0, f"hidden cell {subset[0]} = {value} can be recovered"
        assert not (0 < value < k), f"{subset} add up to {value}, under {k}"


@settings(max_examples=400, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=1, max_size=7),
    rest=st.integers(0, 15) | st.just(0),
    k=st.integers(1, 12),
    forced=st.sets(st.integers(0, 6), max_size=2),
    kind=st.sampled_from([PARTITION, OVERLAP]),
)
def test_no_small_group_can_be_recovered_from_a_row(counts, rest, k, forced, kind):
    cells = cells_of(counts)
    total = sum(counts) + rest if kind == PARTITION else max(counts) + rest
    forced_keys = {chr(ord("a") + i) for i in forced}
    row = protect(cells, total, k, kind, forced_keys)
    check_row(cells, total, k, kind, row)
    assert forced_keys & set(cells) <= row.hidden or row.total == 0


# --- a tree of counts -----------------------------------------------------------------------

VOORBEELDSTAD = {
    "stad": 320,
    "Centrum": 73,
    "Oude Haven": 8,
    "Marktkwartier": 65,
    "Noord": 101,
    "Bloemenbuurt": 11,
    "Molenwijk": 80,
    "Vogelzang": 10,
    "Zuid": 146,
    "Parkzicht": 70,
    "Spoorzijde": 76,
}
TREE = {
    "stad": ["Centrum", "Noord", "Zuid"],
    "Centrum": ["Oude Haven", "Marktkwartier"],
    "Noord": ["Bloemenbuurt", "Molenwijk", "Vogelzang"],
    "Zuid": ["Parkzicht", "Spoorzijde"],
}


def test_wijk_minus_buurt_does_not_give_a_small_buurt_away():
    shown_counts = protect_tree(VOORBEELDSTAD, TREE, "stad", K)
    # Centrum 73 - Marktkwartier 65 would be Oude Haven's 8: both buurten are hidden.
    assert shown_counts["Centrum"] == 73
    assert shown_counts["Oude Haven"] is None and shown_counts["Marktkwartier"] is None
    assert [shown_counts[b] for b in TREE["Noord"]] == [11, 80, 10]
    assert shown_counts["stad"] == 320


def test_a_hidden_wijk_hides_its_buurten():
    counts = {"stad": 60, "A": 52, "B": 8, "B1": 8, "A1": 30, "A2": 22}
    tree = {"stad": ["A", "B"], "A": ["A1", "A2"], "B": ["B1"]}
    shown_counts = protect_tree(counts, tree, "stad", K)
    assert shown_counts == dict.fromkeys(counts) | {"stad": 60}
    small = protect_tree({"stad": 6, "A": 6}, {"stad": ["A"]}, "stad", K)
    assert small == {"stad": None, "A": None}


@settings(max_examples=200, deadline=None)
@given(
    buurten=st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=3), min_size=1, max_size=3),
    direct=st.lists(st.integers(0, 12), min_size=3, max_size=3),
    k=st.integers(2, 12),
)
def test_every_level_of_a_tree_keeps_the_invariant(buurten, direct, k):
    counts, tree = {}, {"stad": []}
    for w, sizes in enumerate(buurten):
        wijk = f"W{w}"
        tree["stad"].append(wijk)
        tree[wijk] = [f"{wijk}B{b}" for b in range(len(sizes))]
        counts |= dict(zip(tree[wijk], sizes, strict=True))
        counts[wijk] = sum(sizes) + direct[w]
    counts["stad"] = sum(counts[w] for w in tree["stad"]) + direct[2]
    result = protect_tree(counts, tree, "stad", k)
    for node, kids in tree.items():
        if result[node] is None:
            assert all(result[c] is None for c in kids)
            continue
        row = Row(result[node], {c: result[c] for c in kids})
        check_row({c: counts[c] for c in kids}, counts[node], k, PARTITION, row)


# --- linked rows ----------------------------------------------------------------------------


def test_linked_rows_centrum():
    centrum = {"1": 0, "2": 15, "3": 20, "4": 25, "5": 13}
    oude_haven = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 2}
    markt = {key: centrum[key] - oude_haven[key] for key in centrum}
    result = protect_linked(
        centrum, 73, {"Oude Haven": (oude_haven, 8), "Marktkwartier": (markt, 65)}, K
    )
    assert shown(result.parent) == [0, 15, 20, 25, 13]
    # Oude Haven is too small; Marktkwartier alone would give it away row by row.
    assert result.children["Oude Haven"].total is None
    assert result.children["Marktkwartier"].total is None


def test_a_column_does_not_recover_a_complementary_cell():
    # Buurt A hides blauw 3 and groen 2, and so rood 35; buurt B shows rood 15. Then the
    # whole's rood 50 - 15 would give A's rood 35, and A's 40 - 35 the 5 of blauw and groen.
    whole = {"rood": 50, "blauw": 12, "groen": 11}
    a = {"rood": 35, "blauw": 3, "groen": 2}
    b = {"rood": 15, "blauw": 9, "groen": 9}
    result = protect_linked(whole, 73, {"A": (a, 40), "B": (b, 33)}, K)
    assert shown(result.parent) == [50, 12, 11]
    assert result.children["A"].cells == {"rood": None, "blauw": None, "groen": None}
    assert result.children["B"].cells["rood"] is None
    check_linked(whole, 73, {"A": (a, 40), "B": (b, 33)}, K, PARTITION, result)


def test_a_value_hidden_in_the_whole_is_hidden_in_every_child():
    whole = {"ja": 95, "nee": 5}
    children = {"A": ({"ja": 50, "nee": 0}, 50), "B": ({"ja": 45, "nee": 5}, 50)}
    result = protect_linked(whole, 100, children, K)
    assert shown(result.parent) == [None, None]
    # A's 50 and its hidden 0 add up to 50, but a reader cannot tell which holds what.
    assert result.children["A"] == Row(50, {"ja": None, "nee": None})
    assert result.children["B"] == Row(50, {"ja": None, "nee": None})
    check_linked(whole, 100, children, K, PARTITION, result)


def test_a_cell_forced_in_a_child_row_is_protected_in_its_column():
    # A lower level (B's own buurten) had to hide B's x: then A's x would give it away.
    whole = {"x": 60, "y": 50}
    children = {"A": ({"x": 30, "y": 20}, 50), "B": ({"x": 30, "y": 30}, 60)}
    result = protect_linked(whole, 110, children, K, forced_children={"B": ["x", "z"]})
    assert result.children["B"].cells["x"] is None
    assert result.children["A"].cells["x"] is None
    check_linked(whole, 110, children, K, PARTITION, result)


def test_the_rest_outside_the_published_children_is_zero_or_large():
    whole = {"x": 60, "y": 50}
    children = {
        "A": ({"x": 30, "y": 20}, 50),
        "B": ({"x": 25, "y": 25}, 50),
        "C": ({"x": 5, "y": 5}, 10),
    }
    result = protect_linked(whole, 110, children, K)
    assert result.children["A"].total == 50 and result.children["B"].total == 50
    assert result.children["C"].total == 10
    whole = {"x": 63, "y": 53}  # 6 people in no buurt: with C's 10, a rest of 16
    unknown = protect_linked(whole, 116, children, K)
    assert [unknown.children[c].total for c in "ABC"] == [50, 50, None]
    check_linked(whole, 116, children, K, PARTITION, unknown)


def test_multiple_choice_linked():
    whole = {"lezen": 29, "sport": 40}
    children = {"A": ({"lezen": 14, "sport": 20}, 25), "B": ({"lezen": 15, "sport": 20}, 25)}
    result = protect_linked(whole, 50, children, K, OVERLAP)
    assert result.children["A"].cells == {"lezen": 14, "sport": None}  # 5 did not do sport
    assert result.children["B"].cells == {"lezen": 15, "sport": None}
    check_linked(whole, 50, children, K, OVERLAP, result)
    fewer = {"A": ({"lezen": 14, "sport": 20}, 25), "B": ({"lezen": 16, "sport": 20}, 25)}
    result = protect_linked({"lezen": 30, "sport": 40}, 50, fewer, K, OVERLAP)
    # B's 9 who do not read are hidden; A's 14 readers would give them away (30 - 14).
    assert result.children["A"].cells["lezen"] is None
    check_linked({"lezen": 30, "sport": 40}, 50, fewer, K, OVERLAP, result)


def _bounds(objective, eq_rows, eq_values, upper) -> tuple[float, float]:
    low = linprog(objective, A_eq=eq_rows or None, b_eq=eq_values or None, bounds=upper)
    high = linprog([-c for c in objective], A_eq=eq_rows or None, b_eq=eq_values or None,
                   bounds=upper)  # fmt: skip
    assert low.status == 0 and high.status == 0
    return low.fun, -high.fun


def check_linked(parent, total, children, k, kind, result) -> None:
    """Assert that no hidden cell and no small sum can be worked out from the shown figures.

    Unknowns: the parent's hidden cells, the published children's hidden cells and the rest
    (per key). Equations: every shown total and every column. Bounds by linear programming:
    the matrices of one- and two-way tables give whole-number corners, so they are exact.
    """
    k = max(1, k)
    keys = list(parent)
    for row in (result.parent, *result.children.values()):
        assert all(v is None or not (0 < v < k) for v in row.cells.values())
    check_row(parent, total, k, kind, result.parent)
    if result.parent.total is None:
        assert all(row.total is None for row in result.children.values())
        return
    sizes = {c: n for c, (_cells, n) in children.items()}
    check_row(
        sizes, total, k, PARTITION, Row(total, {c: r.total for c, r in result.children.items()})
    )
    published = [c for c, row in result.children.items() if row.total is not None]
    for c in published:
        check_row(dict(children[c][0]), sizes[c], k, kind, result.children[c])
    rest_total = total - sum(sizes[c] for c in published)
    variables, values, upper = [], [], []

    def var(name, value, bound):
        variables.append(name)
        values.append(value)
        upper.append((0, bound))

    for key in keys:
        if result.parent.cells[key] is None:
            var(("parent", key), parent[key], total)
        for c in published:
            if result.children[c].cells[key] is None:
                var((c, key), children[c][0].get(key, 0), sizes[c])
        rest = parent[key] - sum(children[c][0].get(key, 0) for c in published)
        var(("rest", key), rest, rest_total)
    index = {name: i for i, name in enumerate(variables)}
    eq_rows, eq_values = [], []

    def equation(terms: dict, constant: int):  # sum of coefficient * unknown = constant
        row = [0.0] * len(variables)
        for name, coefficient in terms.items():
            row[index[name]] = coefficient
        if any(row):
            eq_rows.append(row)
            eq_values.append(constant)

    for key in keys:  # parent = children + rest, the unknowns on the left
        terms = {("rest", key): 1}
        constant = 0 if ("parent", key) in index else parent[key]
        if ("parent", key) in index:
            terms[("parent", key)] = -1
        for c in published:
            if (c, key) in index:
                terms[(c, key)] = 1
            else:
                constant -= children[c][0].get(key, 0)
        equation(terms, constant)
    if kind == PARTITION:
        for c in published:
            terms = {(c, key): 1 for key in keys if (c, key) in index}
            equation(terms, sizes[c] - sum(v for v in result.children[c].cells.values() if v))
        equation({("rest", key): 1 for key in keys}, rest_total)
        terms = {("parent", key): 1 for key in keys if ("parent", key) in index}
        equation(terms, total - sum(v for v in result.parent.cells.values() if v))
    families = [[name] for name in variables]
    for key in keys:
        families.append([n for n in variables if n[1] == key])
    for c in ("parent", "rest", *published):
        families.append([n for n in variables if n[0] == c])
    for family in families:
        if not family:
            continue
        objective = [1.0 if name in family else 0.0 for name in variables]
        low, high = _bounds(objective, eq_rows, eq_values, upper)
        true = sum(values[index[n]] for n in family)
        assert low - 1e-6 <= true <= high + 1e-6
        if high - low > 1e-6:
            continue
        if len(family) == 1 and family[0][0] != "rest":
            assert true == 0, f"hidden cell {family[0]} = {true} can be recovered"
        assert not (0 < true < k), f"{family} add up to {true}, under {k}"
        if kind == OVERLAP and len(family) == 1:
            size = rest_total if family[0][0] == "rest" else sizes.get(family[0][0], total)
            assert not (0 < size - true < k), f"{family}: {size - true} did not pick it"


@settings(max_examples=120, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(0, 25), min_size=3, max_size=3), min_size=2, max_size=4),
    outside=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    k=st.integers(3, 12),
)
def test_linked_rows_reveal_no_small_group(rows, outside, k):
    keys = ["x", "y", "z"]
    children = {f"B{i}": (dict(zip(keys, r, strict=True)), sum(r)) for i, r in enumerate(rows)}
    parent = {key: sum(r[i] for r in rows) + outside[i] for i, key in enumerate(keys)}
    total = sum(parent.values())
    result = protect_linked(parent, total, children, k)
    check_linked(parent, total, children, k, PARTITION, result)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 12)),
        min_size=2,
        max_size=3,
    ),
    k=st.integers(3, 12),
)
def test_linked_multiple_choice_reveals_no_small_group(rows, k):
    keys = ["x", "y"]
    children = {
        f"B{i}": ({"x": x, "y": y}, max(x, y) + extra) for i, (x, y, extra) in enumerate(rows)
    }
    parent = {key: sum(cells[key] for cells, _n in children.values()) for key in keys}
    total = sum(n for _cells, n in children.values())
    result = protect_linked(parent, total, children, k, OVERLAP)
    check_linked(parent, total, children, k, OVERLAP, result)


@settings(max_examples=40, deadline=None)
@given(
    buurten=st.lists(
        st.lists(st.lists(st.integers(0, 20), min_size=2, max_size=2), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    k=st.integers(3, 10),
    kind=st.sampled_from([PARTITION, OVERLAP]),
)
def test_a_table_over_a_tree_keeps_every_level_safe(buurten, k, kind):
    rows, tree = {}, {"stad": []}
    for w, cells in enumerate(buurten):
        wijk = f"W{w}"
        tree["stad"].append(wijk)
        tree[wijk] = [f"{wijk}B{b}" for b in range(len(cells))]
        for name, (x, y) in zip(tree[wijk], cells, strict=True):
            rows[name] = ({"x": x, "y": y}, x + y if kind == PARTITION else max(x, y) + 2)
        rows[wijk] = _sum_rows([rows[b] for b in tree[wijk]])
    rows["stad"] = _sum_rows([rows[w] for w in tree["stad"]])
    out = protect_table_tree(rows, tree, "stad", k, kind)
    check_row(*rows["stad"], k, kind, out["stad"])
    for node, kids in tree.items():
        result = Linked(out[node], {kid: out[kid] for kid in kids})
        check_linked(*rows[node], {kid: rows[kid] for kid in kids}, k, kind, result)


def _sum_rows(rows):
    return {key: sum(cells[key] for cells, _n in rows) for key in ("x", "y")}, sum(
        n for _cells, n in rows
    )


def test_a_tree_table_for_centrum():
    centrum_buurten = {"Oude Haven": ({"ja": 5, "nee": 3}, 8), "Markt": ({"ja": 40, "nee": 25}, 65)}
    noord = {"Molen": ({"ja": 50, "nee": 30}, 80), "Vogel": ({"ja": 12, "nee": 10}, 22)}
    rows = dict(centrum_buurten) | noord
    rows["Centrum"] = _sum(centrum_buurten)
    rows["Noord"] = _sum(noord)
    rows["stad"] = _sum({"Centrum": rows["Centrum"], "Noord": rows["Noord"]})
    tree = {
        "stad": ["Centrum", "Noord"],
        "Centrum": ["Oude Haven", "Markt"],
        "Noord": ["Molen", "Vogel"],
    }
    out = protect_table_tree(rows, tree, "stad", K)
    assert out["Centrum"].total == 73 and out["Centrum"].cells == {"ja": 45, "nee": 28}
    assert out["Oude Haven"].total is None and out["Markt"].total is None
    assert out["Molen"].cells == {"ja": 50, "nee": 30}


def _sum(rows):
    cells = {key: sum(c[key] for c, _n in rows.values()) for key in ("ja", "nee")}
    return cells, sum(n for _c, n in rows.values())


# --- completed counts beside a breakdown's started counts ---------------------------------


def status_of(**keys: tuple[int, int]) -> dict[tuple[str, str], int]:
    """(key, status) cells from key=(completed, open)."""
    return {
        (key, status): n
        for key, (done, rest) in keys.items()
        for status, n in (("completed", done), ("open", rest))
    }


def completed(started: dict, counts: dict) -> dict:
    """protect_completed with the status row protected from the same counts, as the page does."""
    return protect_completed(started, protect(counts, sum(counts.values()), K), counts, K)


def test_completed_counts_are_shown_where_everything_beside_them_is():
    counts = status_of(a=(20, 10), b=(15, 15))
    assert completed({"a": 30, "b": 30}, counts) == {"a": 20, "b": 15}


def test_a_hidden_open_cell_hides_that_key_s_completed_count():
    counts = status_of(a=(20, 10), b=(22, 3), c=(30, 10))
    status = protect(counts, sum(counts.values()), K)
    assert status.hidden == {("b", "open"), ("a", "open")}  # 3, and its smallest partner
    # started - completed would print the open 3 (and the open 10 that hides it)
    assert completed({"a": 30, "b": 25, "c": 40}, counts) == {"a": None, "b": None, "c": 30}


def test_a_hidden_started_count_hides_its_completed_count():
    counts = status_of(a=(20, 10), b=(10, 10), c=(10, 10))
    assert completed({"a": 30, "b": None, "c": None}, counts) == {"a": 20, "b": None, "c": None}


def test_one_key_left_unshown_hides_the_whole_column():
    # the page prints the completed total: total - a would give b's 10 back on its own
    counts = status_of(a=(20, 10), b=(10, 10))
    assert completed({"a": 30, "b": None}, counts) == {"a": None, "b": None}


def test_a_small_completed_count_given_away_by_the_totals_hides_every_one():
    # b's completed 3 is hidden with its open 10; 43 completed - a's 40 would still give it
    counts = status_of(a=(40, 30), b=(3, 10))
    status = protect(counts, sum(counts.values()), K)
    assert status.hidden == {("b", "completed"), ("b", "open")}
    assert completed({"a": 70, "b": 13}, counts) == {"a": None, "b": None}


@pytest.mark.parametrize("cells", [True, False], ids=["with-cells", "without-cells"])
def test_a_hidden_status_row_hides_every_completed_count(cells):
    counts = status_of(a=(20, 10), b=(15, 15))
    hidden = Row(None, dict.fromkeys(counts if cells else ()))  # the page may not be shown
    assert protect_completed({"a": 30, "b": 30}, hidden, counts, K) == {"a": None, "b": None}
