"""An officer downloads a survey's texts as a PO file, reads the translation back and sees the
phone preview in that language."""

from __future__ import annotations

import io
import uuid

from babel.messages.pofile import read_po, write_po
from playwright.sync_api import expect

from tests.browser.test_builder import _add_question, _sign_in, laptop  # noqa: F401


def _translated(path) -> bytes:
    catalog = read_po(io.BytesIO(path.read_bytes()))
    for message in catalog:
        if message.id:
            message.string = f"EN {message.id}"
    out = io.BytesIO()
    write_po(out, catalog)
    return out.getvalue()


def test_download_translate_upload_and_preview(laptop, assert_accessible, tmp_path):  # noqa: F811
    title = f"Straatlicht {uuid.uuid4().hex[:6]}"
    _sign_in(laptop, assert_accessible)
    laptop.get_by_role("link", name="Nieuwe peiling").click()
    laptop.get_by_label("Leeg: een behoeftepeiling").check()
    laptop.get_by_label("Titel", exact=True).fill(title)
    laptop.get_by_role("button", name="Peiling maken").click()
    _add_question(laptop, "Open vraag", "Is de straat 's avonds licht genoeg?")
    laptop.locator("form.qform").get_by_role("button", name="Opslaan").click()

    laptop.get_by_role("link", name="Vertalingen").click()
    row = laptop.locator("#lang-en")
    expect(row.locator(".completeness")).to_have_text("0 van 2 (0%)")
    assert_accessible(laptop, "translations")
    with laptop.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    path = tmp_path / "en.po"
    download.value.save_as(path)
    translated = tmp_path / "en-vertaald.po"
    translated.write_bytes(_translated(path))

    row.get_by_label("PO-bestand (English)").set_input_files(str(translated))
    row.get_by_role("button", name="Inlezen").click()
    expect(laptop.locator("#import-report")).to_contain_text("2 vertalingen ingelezen")
    expect(laptop.locator("#lang-en .completeness")).to_have_text("2 van 2 (100%)")
    assert_accessible(laptop, "translations after import")

    laptop.get_by_role("link", name="Vragen").click()
    laptop.locator(".preview-languages").get_by_role("link", name="English").click()
    expect(laptop.locator("#preview")).to_contain_text("EN Is de straat 's avonds licht genoeg?")
    expect(laptop.locator("#preview .actions")).to_contain_text("Next")
    assert_accessible(laptop, "builder with the preview in English")
