"""The engagement module "Hoe doe jij mee?": the standard items of DESIGN.md, in full (ten
questions) or short (five), and the three optional "over jou" questions."""

from __future__ import annotations

from survey.extensions import db
from survey.models import Question, Survey
from survey.models._types import translation_status
from survey.profiling.characteristics import CHARACTERISTICS
from survey.profiling.profiles import load_profiles

# Who wrote each language's texts of this module (the shape of README's "Content in five
# languages"); every question it adds keeps it in its settings for the builder to show.
TRANSLATION_STATUS = {
    "nl": "source",
    "en": "translator",
    "tr": "needs_native_check",
    "pl": "needs_native_check",
    "ar": "needs_native_check",
}
OTHER_LANGUAGES = ("tr", "pl", "ar")  # the texts below: nl, en, then these in this order
AGREE = {
    "low": {
        "nl": "Helemaal oneens",
        "en": "Strongly disagree",
        "tr": "Hiç katılmıyorum",
        "pl": "Zdecydowanie się nie zgadzam",
        "ar": "لا أوافق أبدًا",
    },
    "high": {
        "nl": "Helemaal eens",
        "en": "Strongly agree",
        "tr": "Tamamen katılıyorum",
        "pl": "Zdecydowanie się zgadzam",
        "ar": "أوافق تمامًا",
    },
}


def _texts(nl: str, en: str, *others: str) -> dict:
    """{lang: text} of nl, en and the OTHER_LANGUAGES, in that order."""
    return {"nl": nl, "en": en, **dict(zip(OTHER_LANGUAGES, others, strict=True))}


def _scale(code: str, nl: str, en: str, *others: str) -> dict:
    return {
        "code": code,
        "item": code,
        "type": "scale",
        "text": _texts(nl, en, *others),
        "settings": {"min": 1, "max": 5, **AGREE},
    }


def _labelled(code: str, nl: str, en: str, *others, labels: list[tuple[str, ...]]) -> dict:
    options = [{"value": str(i), "text": _texts(*texts)} for i, texts in enumerate(labels)]
    return {
        "code": code,
        "item": code,
        "type": "scale",
        "text": _texts(nl, en, *others),
        "options": options,
        "settings": {"min": 0, "max": len(labels) - 1},
    }


ITEMS: list[dict] = [
    _scale(
        "attachment",
        "Ik voel me verbonden met mijn buurt.",
        "I feel connected to my neighbourhood.",
        "Kendimi mahalleme bağlı hissediyorum.",
        "Czuję więź z moim osiedlem.",
        "أشعر بالارتباط بحيّي.",
    ),
    _scale(
        "local_network",
        "Veel familie of vrienden van mij wonen dichtbij.",
        "Many of my family or friends live nearby.",
        "Ailemden veya arkadaşlarımdan birçoğu yakında oturuyor.",
        "Wiele osób z mojej rodziny lub przyjaciół mieszka blisko.",
        "كثير من أهلي أو أصدقائي يسكنون قريبًا مني.",
    ),
    _scale(
        "trust",
        "Ik vertrouw de gemeente.",
        "I trust the municipality.",
        "Belediyeye güveniyorum.",
        "Ufam gminie.",
        "أثق بالبلدية.",
    ),
    _scale(
        "heard",
        "Als ik mijn mening geef, doet de gemeente daar iets mee.",
        "If I give my opinion, the municipality does something with it.",
        "Fikrimi söylediğimde belediye bununla bir şey yapıyor.",
        "Kiedy mówię, co myślę, gmina coś z tym robi.",
        "عندما أعطي رأيي، تفعل البلدية شيئًا به.",
    ),
    _scale(
        "knows_way",
        "Ik weet hoe ik iets voor elkaar krijg bij de gemeente.",
        "I know how to get things done at the municipality.",
        "Belediyede bir işi nasıl hallettireceğimi biliyorum.",
        "Wiem, jak załatwić sprawę w gminie.",
        "أعرف كيف أُنجز أموري في البلدية.",
    ),
    _scale(
        "think_along",
        "Ik geef graag mijn mening over plannen.",
        "I like to give my views on plans.",
        "Planlar hakkında fikrimi söylemeyi severim.",
        "Lubię mówić, co myślę o planach.",
        "أحب أن أعطي رأيي في الخطط.",
    ),
    _scale(
        "hands_on",
        "Ik help graag zelf mee.",
        "I like to help out myself.",
        "Kendim yardım etmeyi severim.",
        "Lubię osobiście pomagać.",
        "أحب أن أساعد بنفسي.",
    ),
    _labelled(
        "influence",
        "Hoeveel invloed wil je op plannen voor je buurt?",
        "How much say do you want in plans for your neighbourhood?",
        "Mahallenle ilgili planlarda ne kadar söz sahibi olmak istersin?",
        "Jaki wpływ chcesz mieć na plany dla twojego osiedla?",
        "ما مقدار التأثير الذي تريده في خطط حيّك؟",
        labels=[
            ("Geen", "None", "Hiç yok", "Żadnego", "لا شيء"),
            (
                "Op de hoogte blijven",
                "Stay informed",
                "Bilgi almak",
                "Być na bieżąco",
                "البقاء على اطّلاع",
            ),
            (
                "Mijn mening geven",
                "Give my opinion",
                "Fikrimi söylemek",
                "Wyrażać swoje zdanie",
                "إعطاء رأيي",
            ),
            ("Advies geven", "Give advice", "Tavsiye vermek", "Doradzać", "تقديم النصيحة"),
            (
                "Samen plannen maken",
                "Make plans together",
                "Birlikte plan yapmak",
                "Razem tworzyć plany",
                "وضع الخطط معًا",
            ),
            (
                "Mee beslissen",
                "Co-decide",
                "Birlikte karar vermek",
                "Współdecydować",
                "المشاركة في القرار",
            ),
        ],
    ),
    _labelled(
        "time",
        "Hoeveel tijd heb je per maand voor je buurt?",
        "How much time a month do you have for your neighbourhood?",
        "Ayda mahallen için ne kadar zamanın var?",
        "Ile czasu w miesiącu masz dla swojego osiedla?",
        "كم من الوقت لديك في الشهر لحيّك؟",
        labels=[
            ("Geen", "None", "Hiç yok", "Wcale", "لا وقت لديّ"),
            (
                "Minder dan 1 uur",
                "Under 1 hour",
                "1 saatten az",
                "Mniej niż 1 godzina",
                "أقل من ساعة",
            ),
            (
                "1 tot 4 uur",
                "1 to 4 hours",
                "1 ile 4 saat arası",
                "Od 1 do 4 godzin",
                "من ساعة إلى 4 ساعات",
            ),
            (
                "Meer dan 4 uur",
                "Over 4 hours",
                "4 saatten fazla",
                "Ponad 4 godziny",
                "أكثر من 4 ساعات",
            ),
        ],
    ),
    {
        "code": "channels",
        "item": "channels",
        "type": "multiple",
        "text": {
            "nl": "Hoe hoor je het liefst van plannen in je buurt?",
            "en": "How do you prefer to hear about plans in your neighbourhood?",
            "tr": "Mahallendeki planları en çok nasıl duymak istersin?",
            "pl": "Jak najchętniej dowiadujesz się o planach dla twojego osiedla?",
            "ar": "كيف تفضّل أن تسمع عن الخطط في حيّك؟",
        },
        "options": [
            {
                "value": "online",
                "text": _texts(
                    "Website of e-mail",
                    "Website or e-mail",
                    "Web sitesi veya e-posta",
                    "Strona internetowa lub e-mail",
                    "موقع إلكتروني أو بريد إلكتروني",
                ),
            },
            {
                "value": "social",
                "text": _texts(
                    "Sociale media",
                    "Social media",
                    "Sosyal medya",
                    "Media społecznościowe",
                    "وسائل التواصل الاجتماعي",
                ),
            },
            {
                "value": "print",
                "text": _texts(
                    "Brief, krant of poster",
                    "Letter, paper or poster",
                    "Mektup, gazete veya afiş",
                    "List, gazeta lub plakat",
                    "رسالة أو جريدة أو ملصق",
                ),
            },
            {
                "value": "in_person",
                "text": _texts("Persoonlijk", "In person", "Yüz yüze", "Osobiście", "شخصيًا"),
            },
        ],
    },
]
ITEM_CODES = tuple(item["code"] for item in ITEMS)
MODULE_HELP = {
    "nl": "Hoe doe jij mee? Deze vragen zijn niet verplicht.",
    "en": "How do you take part? These questions are optional.",
    "tr": "Nasıl katılıyorsun? Bu sorular zorunlu değil.",
    "pl": "Jak bierzesz udział? Te pytania nie są obowiązkowe.",
    "ar": "كيف تشارك؟ هذه الأسئلة ليست إلزامية.",
}
ABOUT_YOU_HELP = {
    "nl": "Over jou. We vragen dit om te zien of we alle soorten bewoners bereiken. "
    "Je hoeft deze vraag niet te beantwoorden.",
    "en": "About you. We ask this to see whether we reach all kinds of residents. "
    "You do not have to answer this question.",
    "tr": "Seninle ilgili. Bunu, her tür mahalle sakinine ulaşıp ulaşmadığımızı görmek için "
    "soruyoruz. Bu soruya cevap vermek zorunda değilsin.",
    "pl": "O tobie. Pytamy o to, aby sprawdzić, czy docieramy do wszystkich rodzajów "
    "mieszkańców. Nie musisz odpowiadać na to pytanie.",
    "ar": "أسئلة عنك. نسأل هذا لنعرف إن كنا نصل إلى كل أنواع السكان. "
    "ليس عليك أن تجيب عن هذا السؤال.",
}


def _about_you(
    code: str, nl: str, en: str, *others: str, labels: dict[str, tuple[str, ...]]
) -> dict:
    options = [{"value": value, "text": _texts(*labels[value])} for value in CHARACTERISTICS[code]]
    return {
        "code": code,
        "item": code,
        "type": "single",
        "text": _texts(nl, en, *others),
        "options": options,
    }


ABOUT_YOU: list[dict] = [
    _about_you(
        "age_band",
        "Hoe oud ben je?",
        "How old are you?",
        "Kaç yaşındasın?",
        "Ile masz lat?",
        "كم عمرك؟",
        labels={
            "15-24": ("15 tot 25 jaar", "15 to 24", "15-24 yaş", "15–24 lata", "من 15 إلى 24 سنة"),
            "25-44": ("25 tot 45 jaar", "25 to 44", "25-44 yaş", "25–44 lata", "من 25 إلى 44 سنة"),
            "45-64": ("45 tot 65 jaar", "45 to 64", "45-64 yaş", "45–64 lata", "من 45 إلى 64 سنة"),
            "65+": (
                "65 jaar of ouder",
                "65 or older",
                "65 yaş veya üstü",
                "65 lat lub więcej",
                "65 سنة أو أكثر",
            ),
        },
    ),
    _about_you(
        "household",
        "Wonen er kinderen bij je in huis?",
        "Do children live in your home?",
        "Evinde çocuk yaşıyor mu?",
        "Czy mieszkają z tobą dzieci?",
        "هل يعيش معك أطفال في البيت؟",
        labels={
            "children": ("Ja", "Yes", "Evet", "Tak", "نعم"),
            "no_children": ("Nee", "No", "Hayır", "Nie", "لا"),
        },
    ),
    _about_you(
        "tenure",
        "Heb je een koophuis of een huurhuis?",
        "Do you own or rent your home?",
        "Evin senin mi, yoksa kirada mı oturuyorsun?",
        "Masz własne mieszkanie czy wynajmujesz?",
        "هل البيت ملكك أم مستأجر؟",
        labels={
            "own": ("Koophuis", "I own it", "Ev benim", "Własne", "البيت ملكي"),
            "rent": ("Huurhuis", "I rent it", "Kiradayım", "Wynajmuję", "البيت مستأجر"),
        },
    ),
]
ABOUT_YOU_CODES = tuple(q["code"] for q in ABOUT_YOU)


def has_module(survey: Survey) -> bool:
    """Whether a survey asks any engagement item already (the full or the short module)."""
    return any(q.item in ITEM_CODES for q in survey.questions)


def add_engagement_module(
    survey: Survey, layer: str = "core", short: bool = False, short_items=None
) -> list[Question]:
    """Append the module to a survey: all ten items, or with `short` the five `short_items`
    (item codes; the shipped profiles.json list when None), then the "over jou" questions.
    Skips questions the survey has already. No commit.
    """
    if short and short_items is None:
        short_items = load_profiles().short_module
    chosen = [i for i in ITEMS if i["code"] in short_items] if short else ITEMS
    present = {q.code for q in survey.questions}
    position = max((q.position for q in survey.questions), default=0)
    added = []
    for spec, help_text in [
        *((i, MODULE_HELP) for i in chosen),
        *((q, ABOUT_YOU_HELP) for q in ABOUT_YOU),
    ]:
        if spec["code"] in present:
            continue
        position += 1
        question = Question(
            position=position,
            layer=layer,
            required=False,
            help=help_text,
            options=spec.get("options", []),
            settings=translation_status(spec.get("settings", {}), TRANSLATION_STATUS),
            code=spec["code"],
            item=spec["item"],
            type=spec["type"],
            text=spec["text"],
        )
        survey.questions.append(question)
        added.append(question)
    db.session.flush()
    return added
