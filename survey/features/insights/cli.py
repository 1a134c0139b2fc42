"""Commands: `flask --app app profiles fit|report|mix|reference`."""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from survey.core.errors import UserError
from survey.features.insights import report as insights_report
from survey.features.insights import service as insights

profiles_cli = AppGroup(
    "profiles", help="Engagement profiles: fit, report, mix per area and channel, reference mixes."
)


def _in_language(command):
    """Run a command in a request context, so the Dutch messages can be translated."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        lang = kwargs.get("lang", "nl")
        with current_app.test_request_context(f"/?lang={lang}"):
            return command(*args, **kwargs)

    return wrapped


def _survey(slug: str):
    try:
        return insights.find_survey(slug)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


@profiles_cli.command("fit")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@_in_language
def fit(slug: str) -> None:
    """Fit the profile model on all responses of a survey and store it."""
    survey = _survey(slug)
    try:
        stored = insights.fit_model([survey])
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    summary = stored.data_summary
    click.echo(
        f"Model version {stored.version} for {stored.scope}: k={stored.k}, "
        f"{summary['used']} respondents used, {summary['left_out']} left out "
        "(fewer than 5 engagement items: neither the short module nor 5 of the 10)."
    )
    for code, count in summary["clusters"].items():
        click.echo(f"  {code:<24} {count:>7}")
    click.echo(
        f"Stability: {summary['stability']:.2f} (mean adjusted Rand index of fits on "
        "bootstrap resamples; 1 is fully stable)."
    )
    if "short_agreement" in summary:
        click.echo(
            f"Korte module: {', '.join(summary['short_items'])}, komt in "
            f"{summary['short_agreement']:.0%} overeen met de volledige module "
            f"(n={summary['short_n']})."
        )
    expected = (stored.params.get("expected") or {}).get("n")
    if expected:
        click.echo(
            f"Expected mixes from CBS figures: learnt from {expected} respondents who answered "
            "the 'over jou' questions."
        )
    else:
        click.echo(
            "Expected mixes from CBS figures: not available (too few respondents answered the "
            "'over jou' questions); reference mixes still apply."
        )


@profiles_cli.command("report")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--lang", default="nl", show_default=True)
@_in_language
def report(slug: str, as_json: bool, lang: str) -> None:
    """Print the profile mix per area and channel, the gaps and the recommendations."""
    survey = _survey(slug)
    try:
        data = insights_report.report_json(survey, lang)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    model = data["model"]
    click.echo(f"Model version {model['version']} (k={model['k']}, n={model['n']})")
    for area in data["areas"]:
        if area["mix"] is None:
            click.echo(f"{area['name']}: not shown (n below the minimum group size)")
            continue
        shown = [(code, c["share"]) for code, c in area["mix"].items() if c["share"] is not None]
        top = sorted(shown, key=lambda kv: -kv[1])[:3]
        shares = ", ".join(f"{code} {share:.0%}" for code, share in top)
        hidden = len(area["mix"]) - len(shown)
        note = f" ({hidden} shares hidden: too few or could be worked out)" if hidden else ""
        click.echo(f"{area['name']} (n={area['n']}): {shares}{note}")
        if area["expected_source"]:
            expected = sorted(area["expected"].items(), key=lambda kv: -kv[1]["share"])[:3]
            listed = ", ".join(f"{code} {cell['share']:.0%}" for code, cell in expected)
            click.echo(f"  expected ({area['expected_source']}): {listed}")


@profiles_cli.command("mix")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--csv", "path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_in_language
def mix(slug: str, path: Path) -> None:
    """Write the profile mix per area and per channel to a CSV file (never a row per person;
    small groups hidden as on Inzichten; written to the Logboek)."""
    survey = _survey(slug)
    try:
        text = insights_report.mix_csv(survey)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    path.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {text.count(chr(10)) - 1} rows to {path}.")


@profiles_cli.command("reference")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_in_language
def reference(path: Path) -> None:
    """Import reference mixes per area from a CSV file with columns area,profile,share."""
    try:
        count = insights.import_reference_mixes(path.read_text(encoding="utf-8"))
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Reference mixes stored for {count} areas.")
