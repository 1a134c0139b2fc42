"""QR codes as PNG and SVG (qrcode is loaded when a code is first made)."""

from __future__ import annotations

import io


def _qr(url: str):
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    """The QR code for a URL as a PNG image."""
    out = io.BytesIO()
    _qr(url).make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    """The QR code for a URL as one SVG path (scales to any print size)."""
    import qrcode.image.svg

    out = io.BytesIO()
    _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return out.getvalue()
