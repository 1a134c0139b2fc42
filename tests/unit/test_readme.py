"""The README's pictures: each one it shows is in the repository, small, and described."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MARKDOWN = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
HTML = re.compile(r"<img\s[^>]*>")


def _images() -> list[tuple[str, str]]:
    """(alt text, path) of every image in the README."""
    found = [(alt, path) for alt, path in MARKDOWN.findall(README)]
    for tag in HTML.findall(README):
        src = re.search(r'src="([^"]+)"', tag)
        alt = re.search(r'alt="([^"]*)"', tag)
        found.append((alt.group(1) if alt else "", src.group(1) if src else ""))
    return found


def test_every_image_in_the_readme_exists_is_small_and_has_an_alt_text():
    images = _images()
    assert len(images) >= 5, images
    for alt, path in images:
        file = ROOT / path
        assert file.is_file(), f"README shows {path}, which is missing"
        assert file.stat().st_size < 300 * 1024, f"{path} is over 300 KB"
        assert len(alt) > 20, f"{path} needs an alt text that says what it shows"
