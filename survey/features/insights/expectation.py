"""What mix of profiles to expect in an area, and where that expectation comes from.

One rule, walking up from the area to the gemeente: at each level an officer's reference mix
comes first, then the level's own CBS figures (post-stratified, see profiling.expected). So a
reference entered for this very area always wins, and a buurt's own figures win over a
reference inherited from its wijk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from survey.features.areas.figures import figures_of
from survey.models import Area

if TYPE_CHECKING:
    import pandas as pd

    from survey.profiling.expected import Dependence

REFERENCE, FIGURES = "reference", "figures"


@dataclass
class Expectation:
    cells: dict | None = None  # {code: {share, low, high}} over every code of the mix
    source: str | None = None  # "reference", "figures" or None
    area: Area | None = None  # the area whose reference or figures it is
    year: int | None = None  # of the CBS figures

    @property
    def shares(self) -> dict | None:
        return {c: cell["share"] for c, cell in self.cells.items()} if self.cells else None


def dependence_of(params: dict) -> Dependence | None:
    """How profiles depend on the "over jou" answers, learnt when the model was fitted."""
    from survey.profiling.expected import Dependence

    return Dependence.from_json(params.get("expected"))


def expect(area: Area | None, dependence: Dependence | None, codes: list[str], profile_codes):
    """The area's expected mix by the rule above; an empty Expectation when none is known."""
    from survey.profiling import report as figures
    from survey.profiling.expected import margins

    node = area
    while node is not None:
        reference = figures.normalise(node.reference_mix, profile_codes)
        if reference is not None:
            cells = {c: dict.fromkeys(("share", "low", "high"), 0.0) for c in codes}
            for code, share in reference.items():
                cells[code] = {
                    "share": round(share, 4),
                    "low": round(share, 4),
                    "high": round(share, 4),
                }
            return Expectation(cells, REFERENCE, node)
        if node.figures and dependence is not None:
            cells = dependence.expected(margins(node.figures))
            if cells is not None:
                return Expectation(cells, FIGURES, node, node.figures_year)
        node = node.parent
    return Expectation()


def weights_for(respondents: pd.DataFrame, area: Area | None):
    """A weight per respondent of `area` raking them to its CBS age and household make-up
    (its own figures, else its nearest ancestor's), and the area the figures are of.

    None when no CBS figures cover the area or nobody answered the "over jou" questions.
    """
    from survey.profiling import weights as weighting
    from survey.profiling.expected import margins

    figures, _year, source = figures_of(area)
    if figures is None or respondents.empty:
        return None
    area_margins = margins(figures)
    if not weighting.targets(respondents, area_margins):
        return None
    if not respondents[list(weighting.WEIGHTED_ON)].notna().any(axis=None):
        return None
    return weighting.rake(respondents, area_margins), source, area_margins


def weighted(respondents: pd.DataFrame, area: Area | None, codes: list[str]) -> dict | None:
    """The area's profile mix weighted to its CBS age and household make-up.

    {shares: {code: share}, effective_n, representativeness: {score, by}, year, from}; None
    when `weights_for` has no weights.
    """
    from survey.profiling import weights as weighting

    found = weights_for(respondents, area)
    if found is None:
        return None
    w, source, area_margins = found
    shares = weighting.distribution(respondents["profile"], w)
    return {
        "shares": {c: round(shares.get(c, 0.0), 4) for c in codes},
        "effective_n": round(weighting.effective_n(w)),
        "representativeness": weighting.area_representativeness(respondents, area_margins),
        "year": source.figures_year,
        "from": source.name if source is not area else None,
    }
