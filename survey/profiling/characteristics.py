"""The "over jou" characteristics: the optional questions that tie profiles to CBS area figures.

Each characteristic is an engagement-module question (its `item`) whose option values are the
categories below, chosen so that CBS "Kerncijfers wijken en buurten" gives each category's
share of a buurt (see `survey.profiling.expected.margins`).
"""

from __future__ import annotations

CHARACTERISTICS: dict[str, tuple[str, ...]] = {
    "age_band": ("15-24", "25-44", "45-64", "65+"),
    "household": ("children", "no_children"),
    "tenure": ("own", "rent"),
}
