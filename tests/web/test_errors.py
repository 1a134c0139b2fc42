"""An unexpected error shows a calm page in the user's language, never a stack trace."""

from __future__ import annotations

from survey import create_app


def _failing_app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,  # as in production: the error handler answers
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'errors.sqlite3'}",
        }
    )

    @app.get("/kapot")
    def broken():
        raise RuntimeError("a bug with a secret detail")

    return app


def test_an_unexpected_error_is_a_calm_dutch_page(tmp_path):
    client = _failing_app(tmp_path).test_client()
    result = client.get("/kapot")
    body = result.get_data(as_text=True)
    assert result.status_code == 500
    assert "Er ging bij ons iets mis" in body and '<html lang="nl"' in body
    assert "secret detail" not in body and "Traceback" not in body
    assert "Internal Server Error" not in body


def test_an_unexpected_error_in_htmx_is_a_fragment_in_the_chosen_language(tmp_path):
    client = _failing_app(tmp_path).test_client()
    result = client.get("/kapot?lang=en", headers={"HX-Request": "true"})
    body = result.get_data(as_text=True)
    assert result.status_code == 500
    assert "Something went wrong on our side" in body
    assert "<html" not in body and "secret detail" not in body
