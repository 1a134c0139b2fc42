"""The themes engine: planted topics come back as themes, k is chosen, tiny inputs give none."""

from __future__ import annotations

from collections import Counter

import pytest

from survey.profiling.synthetic_texts import planted_answers
from survey.profiling.themes import TOO_FEW, OpenAnswer, find_themes, words


def _answers(topics: int, per_topic: int, seed: int = 0):
    data = planted_answers(topics, per_topic, seed=seed)
    return [OpenAnswer(i, text) for i, _topic, text in data], {i: t for i, t, _ in data}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_four_planted_topics_give_four_themes_that_keep_each_topic_together(seed):
    answers, topic_of = _answers(4, 60, seed)
    found = find_themes(answers)
    assert found.k == 4 and found.chosen_by == "stability"
    assert len(found.themes) == 4
    for topic in set(topic_of.values()):
        members = {i for i, t in topic_of.items() if t == topic}
        best = max(len(members & set(theme.answer_ids)) for theme in found.themes)
        assert best / len(members) >= 0.8, topic
    for theme in found.themes:  # each theme's words come from one topic
        topics = Counter(topic_of[i] for i in theme.answer_ids)
        assert topics.most_common(1)[0][1] / theme.size >= 0.8
        assert theme.top_words and len(theme.representatives) == 3


def test_the_same_answers_give_the_same_themes():
    answers, _ = _answers(3, 40)
    assert find_themes(answers) == find_themes(list(reversed(answers)))


def test_a_given_k_is_used():
    answers, _ = _answers(4, 30)
    found = find_themes(answers, k=2)
    assert found.k == 2 and found.chosen_by == "given" and len(found.themes) == 2
    with pytest.raises(ValueError):
        find_themes(answers, k=9)


def test_representatives_are_only_answers_that_may_be_shown():
    answers, _ = _answers(2, 30)
    hidden = {a.id for a in answers if a.id % 2 == 0}
    found = find_themes([OpenAnswer(a.id, a.text, a.id not in hidden) for a in answers])
    quoted = [i for theme in found.themes for i in theme.representatives]
    assert quoted and not set(quoted) & hidden


def test_fewer_than_ten_answers_give_no_themes():
    answers, _ = _answers(2, 4)  # 8 answers
    found = find_themes(answers)
    assert found.k == 0 and found.themes == [] and found.reason == TOO_FEW
    assert find_themes([]).reason == TOO_FEW
    same = [OpenAnswer(i, "ja") for i in range(30)]  # nothing but stop words
    assert find_themes(same).reason == TOO_FEW


def test_equal_answers_do_not_break_the_engine():
    answers = [OpenAnswer(i, "meer bomen in het park" if i % 2 else "drempels") for i in range(40)]
    found = find_themes(answers)
    assert found.k == 2 and sorted(t.size for t in found.themes) == [20, 20]


def test_words_are_normalised_and_masked_personal_data_is_left_out():
    assert words("Bel [telefoon] over de Café-terrassen, 2 keer!") == [
        "bel",
        "cafe",
        "terrassen",
        "keer",
    ]
