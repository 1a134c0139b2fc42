"""Synthetic open answers with planted topics, for the tests and the benchmark of themes."""

from __future__ import annotations

import random

# Words of each planted topic; an answer draws from one topic and from the shared filler.
TOPICS = {
    "groen": "bomen groen park bloemen gras planten struiken tuin natuur vogels bankjes schaduw",
    "verkeer": "auto snelheid drempels fietspad verkeer oversteken parkeren hard rijden kruispunt "
    "zebrapad fietsers",
    "spelen": "kinderen speeltuin spelen glijbaan schommel trapveld voetbal klimrek zandbak "
    "jeugd skatebaan speelplek",
    "afval": "afval vuilnis zwerfvuil containers prullenbak hondenpoep vies schoon opruimen "
    "rommel glasbak plastic",
    "ontmoeten": "buurthuis ontmoeten koffie activiteiten buren samen feest eenzaam praten "
    "ouderen gezellig contact",
    "veilig": "veilig donker verlichting lantaarnpaal inbraak politie wijkagent camera avond "
    "bang licht hangjongeren",
    "wonen": "huizen huur woningen betaalbaar starters bouwen nieuwbouw woning wachtlijst "
    "ouderenwoning kopen sociale",
    "winkels": "winkels supermarkt bakker markt winkelcentrum boodschappen pinautomaat leegstand "
    "terras horeca apotheek kapper",
}
FILLER = [
    "buurt",
    "straat",
    "mensen",
    "idee",
    "beter",
    "zouden",
    "wijk",
    "gemeente",
    "prettig",
    "mooi",
    "fijn",
    "plek",
]
STOP = [
    "de",
    "het",
    "een",
    "en",
    "ik",
    "wil",
    "graag",
    "meer",
    "in",
    "op",
    "voor",
    "met",
    "dat",
    "is",
    "er",
]


def planted_answers(
    topics: int = 4, per_topic: int = 60, seed: int = 0
) -> list[tuple[int, str, str]]:
    """(id, topic, text) for `per_topic` answers of each of the first `topics` topics: three
    to five topic words, two to four shared filler words and some stop words, shuffled."""
    rng = random.Random(seed)
    names = list(TOPICS)[:topics]
    answers = []
    for name in names:
        vocabulary = TOPICS[name].split()
        for _ in range(per_topic):
            chosen = rng.sample(vocabulary, rng.randint(3, 5))
            chosen += rng.sample(FILLER, rng.randint(2, 4)) + rng.sample(STOP, 3)
            rng.shuffle(chosen)
            answers.append((name, " ".join(chosen).capitalize()))
    rng.shuffle(answers)
    return [(i, name, text) for i, (name, text) in enumerate(answers, start=1)]
