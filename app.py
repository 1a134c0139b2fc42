"""Entry point: `flask --app app ...` and `gunicorn app:app`."""

from survey import create_app

app = create_app()
