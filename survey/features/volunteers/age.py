"""The 16+ check that opens the offers to help in a swipe deck: kept in the session only."""

from __future__ import annotations

from flask import session

ADULT = "adult_confirmed"  # the survey ids for which this browser confirmed 16 or older


def adult_confirmed(survey) -> bool:
    """Whether this resident confirmed, in this session, being 16 or older for this survey."""
    flag = session.get(ADULT)
    if isinstance(flag, list | dict | set | tuple):
        return survey.id in flag or str(survey.id) in flag
    return bool(flag)


def confirm_adult(survey) -> None:
    confirmed = session.get(ADULT)
    ids = list(confirmed) if isinstance(confirmed, list) else []
    session[ADULT] = sorted(set(ids) | {survey.id})
