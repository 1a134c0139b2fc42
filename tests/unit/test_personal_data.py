"""Personal data in open answers: what is found and masked, and what is left alone."""

from __future__ import annotations

import pytest

from survey.profiling.personal_data import find, has_personal_data, kinds, mask

FOUND = [
    # (text, the masked text)
    ("Mail me op jan.jansen@example.nl graag", "Mail me op [e-mail] graag"),
    ("a.b-c+d@buurt-mail.co.uk", "[e-mail]"),
    ("Bel mij op 06-12345678", "Bel mij op [telefoon]"),
    ("Bel mij op 0612345678.", "Bel mij op [telefoon]."),
    ("06 12 34 56 78 na zes uur", "[telefoon] na zes uur"),
    ("Bereikbaar op +31 6 1234 5678", "Bereikbaar op [telefoon]"),
    ("+31612345678", "[telefoon]"),
    ("+31 (0)6 12345678", "[telefoon]"),
    ("0031612345678 of mailen", "[telefoon] of mailen"),
    ("kantoor 020-1234567", "kantoor [telefoon]"),
    ("010 123 45 67", "[telefoon]"),
    ("0111-123456 (Zierikzee)", "[telefoon] (Zierikzee)"),
    ("Ik woon op 1234 AB 12", "Ik woon op [adres]"),
    ("1234AB 12a, de hoek", "[adres], de hoek"),
    ("1234ab 7", "[adres]"),
    ("1234 AB 12-2 boven", "[adres] boven"),
    ("Dorpsstraat 12, 1234 AB Voorbeeldstad", "Dorpsstraat [adres] Voorbeeldstad"),
    ("Stort op NL91 ABNA 0417 1643 00 aub", "Stort op [rekening] aub"),
    ("NL91ABNA0417164300", "[rekening]"),
    ("nl91abna0417164300", "[rekening]"),
    ("DE89 3704 0044 0532 0130 00", "[rekening]"),
    ("mijn bsn is 111222333", "mijn bsn is [bsn]"),
    ("BSN 123456782.", "BSN [bsn]."),
    ("Ik ben Jan en ik wil helpen", "Ik ben [naam] en ik wil helpen"),
    ("Mijn naam is Fatma Yilmaz.", "Mijn naam is [naam]."),
    ("ik heet Özlem", "ik heet [naam]"),
    ("mijn buurman Piet Jansen maakt lawaai", "mijn buurman [naam] maakt lawaai"),
    ("Mijn buurvrouw Anna de Vries helpt", "Mijn buurvrouw [naam] helpt"),
    ("Buurman Kees zegt het ook", "Buurman [naam] zegt het ook"),
    ("vraag buurvrouw Els", "vraag buurvrouw [naam]"),
    (
        "Ik ben Anna, bel 0612345678 of anna@example.org",
        "Ik ben [naam], bel [telefoon] of [e-mail]",
    ),
]

NOT_FOUND = [
    "In 2024 kwamen er 10 bomen bij",
    "Meer groen, minder auto's",
    "Postcode 1234 AB is een mooie buurt",
    "2024 en 12 bomen",
    "Ik ben het eens met de rest",
    "ik ben blij met de speeltuin",
    "Ik ben Nederlander en woon hier al 30 jaar",
    "mijn buurman is aardig",
    "de buurvrouw van nummer 3",
    "Bus 12 rijdt om 17:45",
    "100000 euro voor het plein",
    "123456789",  # nine digits that fail the 11-test
    "000000000",
    "Bel 112 bij brand",
    "een @ is geen adres",
    "mail@localhost",
    "van 09.00 tot 17.00 uur",
    "",
]


@pytest.mark.parametrize(("text", "masked"), FOUND)
def test_found_and_masked(text, masked):
    assert has_personal_data(text)
    assert mask(text) == masked


@pytest.mark.parametrize("text", NOT_FOUND)
def test_left_alone(text):
    assert find(text) == []
    assert not has_personal_data(text)
    assert mask(text) == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jan@example.nl", "email"),
        ("06-12345678", "phone"),
        ("1234 AB 12", "address"),
        ("NL91 ABNA 0417 1643 00", "iban"),
        ("111222333", "bsn"),
        ("ik ben Jan", "name"),
    ],
)
def test_kind_and_span(text, kind):
    [(found_kind, start, end)] = find(text)
    assert found_kind == kind
    assert (start, end) == ((7, 10) if kind == "name" else (0, len(text)))


@pytest.mark.parametrize(
    "text",
    [
        "NL91 ABNA 0417 1643 01",  # one digit off: the mod-97 check fails
        "NL00 ABNA 0417 1643 00",
        "GB00 WEST 1234 5698 7654 32",
    ],
)
def test_iban_needs_its_check(text):
    assert "iban" not in kinds(text)


def test_an_iban_is_not_also_a_phone_number():
    """The IBAN's digits "0417 1643 00" look like a phone number; the IBAN wins."""
    assert find("NL91 ABNA 0417 1643 00") == [("iban", 0, 22)]


def test_kinds_each_once_in_a_fixed_order():
    text = "Ik ben Jan, 06-12345678, 06-87654321, jan@example.nl"
    assert kinds(text) == ["email", "phone", "name"]
    assert kinds(None) == []
    assert mask(None) is None
