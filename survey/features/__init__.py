"""The features a user sees, one folder each: views, service(s), CLI commands and templates."""

from flask import Flask

from survey.features import (
    accounts,
    answering,
    areas,
    builder,
    channels,
    demo,
    doorcodes,
    feedback,
    following,
    insights,
    logbook,
    opinions,
    pwa,
    responses,
    results,
    retention,
    site,
    suspects,
    swipe,
    tallies,
    translations,
    volunteers,
)

FEATURES = (
    accounts,
    answering,
    swipe,
    builder,
    translations,
    channels,
    doorcodes,
    responses,
    suspects,
    results,
    feedback,
    following,
    volunteers,
    insights,
    opinions,
    areas,
    logbook,
    pwa,
    retention,
    tallies,
    site,
    demo,
)


def init_app(app: Flask) -> None:
    """Register every feature's blueprint and commands."""
    for feature in FEATURES:
        feature.init_app(app)
