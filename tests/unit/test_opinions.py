"""The opinion-group engine on planted synthetic votes and on three real Polis conversations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.metrics import adjusted_rand_score

from survey.features.opinions.cli import opinions, read_polis_votes
from survey.profiling.opinions import find_groups, vote_matrix

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"  # copied from ../shared/data/polis

# Three planted groups over twelve statements: +1 agree, -1 disagree.
# Statement 0 is a consensus (everyone agrees); statement 1 only group 0 agrees with.
LEANINGS = np.array(
    [
        [1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, 0],
        [1, -1, -1, 1, 1, 1, -1, -1, 1, -1, 0, 1],
        [1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1],
    ]
)


def planted(sizes=(40, 35, 30), noise=0.08, missing=0.1, seed=1, leanings=LEANINGS):
    """A vote matrix with planted groups, some noise and some statements not seen."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for group, size in enumerate(sizes):
        for _ in range(size):
            votes = leanings[group].astype(float)
            flip = rng.random(votes.size) < noise
            votes[flip] = rng.choice([-1.0, 0.0, 1.0], flip.sum())
            votes[rng.random(votes.size) < missing] = np.nan
            rows.append(votes)
            truth.append(group)
    ids = [f"p{i:03d}" for i in range(len(rows))]
    columns = [f"s{j:02d}" for j in range(leanings.shape[1])]
    return pd.DataFrame(rows, index=ids, columns=columns), pd.Series(truth, index=ids)


def ari(result, truth: pd.Series) -> float:
    ours = pd.Series(result.participants, dtype=object).reindex(truth.index)
    both = ours.notna() & truth.notna()
    return adjusted_rand_score(truth[both].astype(int), ours[both].astype(int))


def test_planted_groups_are_recovered():
    matrix, truth = planted()
    result = find_groups(matrix, min_group_size=10)
    assert result.k == 3
    assert ari(result, truth) >= 0.9
    assert sorted(g.size for g in result.groups) == pytest.approx([30, 35, 40], abs=3)


def test_planted_consensus_is_found():
    matrix, _ = planted()
    result = find_groups(matrix, min_group_size=10)
    consensus = {(c.statement, c.direction) for c in result.consensus}
    assert ("s00", "agree") in consensus
    assert not any(c.statement == "s01" for c in result.consensus)  # divisive, not consensus


def test_planted_distinguishing_statement_is_reported_for_its_group():
    matrix, truth = planted()
    result = find_groups(matrix, min_group_size=10)
    ours = pd.Series(result.participants)
    group = int(ours[truth[truth == 0].index].mode()[0])  # our number of planted group 0
    reps = next(g for g in result.groups if g.group == group).representative
    s01 = next(r for r in reps if r.statement == "s01")
    # The few in the group who did not agree are fewer than 10: the rate would give them away.
    assert s01.direction == "agree" and s01.rate is None
    every_rate = find_groups(matrix, min_group_size=1).groups[group].representative
    s01 = next(r for r in every_rate if r.statement == "s01")
    assert s01.rate > 0.8 and s01.rate_rest < 0.2
    others = [g for g in result.groups if g.group != group]
    assert all(("s01", "agree") not in {(r.statement, r.direction) for r in g.representative}
               for g in others)  # fmt: skip
    assert all(r.statement != "s00" for g in result.groups for r in g.representative)


def test_groups_smaller_than_the_minimum_are_hidden():
    leanings = np.vstack([LEANINGS, -LEANINGS[0]])
    matrix, truth = planted(sizes=(40, 35, 30, 6), leanings=leanings)
    result = find_groups(matrix, k=4, min_group_size=10)
    # The group of 6 and, as the sizes add up to all 111 participants, the smallest other one.
    assert result.k == 4 and result.hidden_groups == 2
    assert [g.size >= 35 for g in result.groups] == [True, True]
    small = truth[truth == 3].index
    assert all(result.participants[p] is None for p in small)
    assert not set(small) & set(result.coordinates)
    assert "not shown" in result.note()
    assert find_groups(matrix, k=4, min_group_size=1).hidden_groups == 0


def test_same_input_same_output_whatever_the_row_order():
    matrix, _ = planted(seed=7)
    first = find_groups(matrix, min_group_size=5).to_dict()
    again = find_groups(matrix.sample(frac=1, random_state=3), min_group_size=5).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_only_participants_with_enough_votes_are_clustered():
    matrix, _ = planted(missing=0.0)
    matrix.iloc[:5, 6:] = np.nan  # five participants saw only six statements
    result = find_groups(matrix, min_group_size=1)
    assert result.unclustered == 5
    assert all(result.participants[p] is None for p in matrix.index[:5])
    short = find_groups(matrix.iloc[:, :6], min_group_size=1)  # a deck of six: all six needed
    assert short.unclustered == 0


def test_too_few_participants_give_no_groups_but_still_consensus():
    matrix, _ = planted(sizes=(1, 1, 0), noise=0, missing=0)
    result = find_groups(matrix, min_group_size=1)
    assert result.k == 0 and result.groups == []
    assert result.note().startswith("no groups")
    with pytest.raises(ValueError):
        find_groups(matrix, k=2)


def test_everyone_voting_alike_gives_one_opinion_and_no_groups():
    matrix = pd.DataFrame(1.0, index=range(30), columns=[f"s{i}" for i in range(8)])
    result = find_groups(matrix, min_group_size=1)
    assert result.k == 0 and len(result.consensus) == 8
    assert all(c.direction == "agree" for c in result.consensus)


def test_long_votes_become_a_matrix():
    votes = pd.DataFrame(
        {
            "participant": [1, 1, 2, 2, 3],
            "statement": ["a", "b", "a", "b", "a"],
            "vote": ["agree", "skip", "disagree", None, 1],
        }
    )
    m = vote_matrix(votes)
    assert m.loc[1].tolist() == [1.0, 0.0]
    assert m.loc[2, "a"] == -1.0 and np.isnan(m.loc[2, "b"]) and np.isnan(m.loc[3, "b"])


# --- Real Polis conversations (tests/data/polis, CC BY 4.0: see its README) ---


def polis(name: str) -> tuple[Path, pd.Series]:
    path = POLIS / name / "participants-votes.csv"
    if not path.exists():
        pytest.fail(f"Polis test data missing: {path.resolve()} (see tests/data/polis/README.md)")
    frame = pd.read_csv(path)
    return path, frame.set_index("participant")["group-id"]


def run_cli(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(opinions, ["--votes", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def polis_ari(data: dict, theirs: pd.Series) -> float:
    ours = pd.Series({int(p): g for p, g in data["participants"].items()}, dtype=object)
    both = theirs.notna() & ours.reindex(theirs.index).notna()
    return adjusted_rand_score(
        theirs[both].astype(int), ours.reindex(theirs.index)[both].astype(int)
    )


@pytest.mark.parametrize("name", ["brexit-consensus", "15-per-hour-seattle"])
def test_groups_agree_with_polis(name):
    path, theirs = polis(name)
    k = int(theirs.dropna().nunique())
    fixed = run_cli(path, "--k", str(k), "--min-group", "1")
    chosen = run_cli(path, "--min-group", "1")
    fixed_ari, chosen_ari = polis_ari(fixed, theirs), polis_ari(chosen, theirs)
    print(f"{name}: ARI with Polis {fixed_ari:.3f} (k={k} fixed), "
          f"{chosen_ari:.3f} (k={chosen['k']} chosen)")  # fmt: skip
    assert fixed["k"] == k and chosen["k"] == k
    assert fixed_ari >= 0.8 and chosen_ari >= 0.8
    assert all(g["representative"] for g in fixed["groups"])
    assert set(fixed) >= {"k", "participants", "groups", "consensus"}


def test_small_youth_conversation_says_groups_are_too_small():
    path, theirs = polis("london.youth.policing")
    data = run_cli(path)  # the default minimum group size of 10
    print(f"london.youth.policing: k={data['k']}, {data['note']}")
    assert data["k"] >= 2 and data["hidden_groups"] >= 1
    assert "fewer than 10" in data["note"]
    assert all(g["size"] >= 10 for g in data["groups"])
    shown = {g["group"] for g in data["groups"]}
    assert all(v is None or v in shown for v in data["participants"].values())
    assert len(data["participants"]) == len(theirs)
    assert data["consensus"], "a youth conversation with broad agreement has consensus"
    small = run_cli(path, "--min-group", "3")
    assert small["groups"] and all(g["representative"] for g in small["groups"])


def test_reads_both_polis_layouts():
    seattle, _ = polis("15-per-hour-seattle")  # no xid column
    youth, _ = polis("london.youth.policing")  # with an xid column
    assert read_polis_votes(seattle).shape == (339, 54)
    assert read_polis_votes(youth).shape[0] == 26
    assert list(read_polis_votes(youth).columns[:3]) == [1, 4, 5]
