"""The evaluation's data: the demo knowledge base, the questions, and filler articles.

Articles are the demo shop's (`src/balie/tenancy/demo/data/articles_*.jsonl`); questions are
`bench/assistant_data/questions_*.jsonl`, written apart from the articles' "other ways to ask"
(whoever wrote those did not see the questions), each marked dev or test. Tuning (the
confidence model, the threshold, the phrase weight, the baselines' thresholds) reads dev only.
Filler articles grow the knowledge base to 1,000 and 5,000 articles with what a kitchenware
shop also writes: care, size and use pages per product, which share words with the real
questions and so make retrieval harder, not easier.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "src/balie/tenancy/demo/data").glob("articles_*.jsonl"))
QUESTIONS = sorted((ROOT / "bench/assistant_data").glob("questions_*.jsonl"))


@dataclass(frozen=True)
class Question:
    text: str
    locale: str
    expected: str | None  # the article's key (a translation's key is its article's)
    split: str


def articles() -> list[dict[str, object]]:
    return [json.loads(line) for path in ARTICLES for line in path.read_text().splitlines()]


def article_key(record: dict[str, object]) -> str:
    return str(record.get("translation_of") or record["id"])


def questions(split: str) -> list[Question]:
    keys = {str(record["id"]): article_key(record) for record in articles()}
    found = []
    for path in QUESTIONS:
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if record["split"] != split:
                continue
            expected = record["expected"]
            found.append(
                Question(
                    text=record["question"],
                    locale=record["locale"],
                    expected=keys[expected] if expected else None,
                    split=split,
                )
            )
    return found


_PRODUCTS = {
    "Pannen": ["koekenpan", "braadpan", "wokpan", "steelpan", "kookpan", "grillpan", "soeppan",
               "hapjespan", "snelkookpan", "pannenkoekenpan"],
    "Messen": ["koksmes", "broodmes", "schilmesje", "santokumes", "vleesmes", "messenblok",
               "aanzetstaal", "slijpsteen"],
    "Bakken": ["springvorm", "cakevorm", "bakplaat", "taartvorm", "muffinvorm", "deegroller",
               "bakmat", "garde"],
    "Koffie en thee": ["percolator", "french press", "melkopschuimer", "theepot",
                       "koffiemolen", "espressokopjes"],
    "Keukengerei": ["snijplank", "vergiet", "rasp", "pollepel", "spatel", "keukenweegschaal",
                    "maatbeker", "knoflookpers", "dunschiller"],
    "Serveren en tafelen": ["serveerschaal", "dienblad", "kaasplank", "karaf", "slabestek"],
    "Opbergen": ["voorraadpot", "lunchbox", "vershouddoos", "broodtrommel"],
    "Elektrische apparaten": ["staafmixer", "blender", "waterkoker", "airfryer", "handmixer",
                              "keukenmachine", "broodrooster", "sapcentrifuge"],
}  # fmt: skip
_SIZES = ["16 cm", "20 cm", "24 cm", "28 cm", "32 cm", "klein", "groot", "XL", "mini", "duo"]
_MATERIALS = ["rvs", "gietijzer", "keramiek", "bamboe", "glas", "kunststof", "carbonstaal",
              "emaille", "koper", "silicone"]  # fmt: skip
_BRANDS = ["Pollepel", "Keukenhof", "Smaakmaker", "Vuurvast", "Hollandse Keuken", "Proef"]
_TEMPLATES = [
    ("Zo maak je de {p} schoon",
     "Spoel de {p} na gebruik af met warm water en een zachte borstel. Gebruik geen schuurspons: "
     "die beschadigt het {m}. Droog de {p} direct af en berg hem droog op."),
    ("Afmetingen en gewicht van de {p}",
     "De {p} {s} van {b} is gemaakt van {m}. Bekijk op de productpagina de maten, het gewicht en "
     "de inhoud. Twijfel je over de maat? Vergelijk met wat je nu gebruikt."),
    ("Eerste gebruik van de {p}",
     "Haal voor het eerste gebruik alle stickers en verpakking van de {p}. Was hem af met een "
     "beetje afwasmiddel. Lees de gebruiksaanwijzing van {b} voor je begint."),
    ("Onderdelen van de {p} bestellen",
     "Heb je een los onderdeel nodig voor je {p} van {b}, zoals een deksel, een greep of een "
     "ring? Veel onderdelen leveren we los. Zoek op het artikelnummer van je {p}."),
    ("Is de {p} geschikt voor de oven?",
     "De {p} van {m} kan tot 220 graden in de oven, zonder kunststof onderdelen. Gebruik altijd "
     "een ovenwant: het {m} wordt heet."),
    ("Gebruiksaanwijzing {p} {b}",
     "De gebruiksaanwijzing van de {p} {s} vind je als pdf bij het product. Daarin staan het "
     "gebruik, het onderhoud en de veiligheidsvoorschriften van {b}."),
    ("Waar wordt de {p} gemaakt?",
     "{b} laat de {p} maken in Europa. Het {m} komt van vaste leveranciers. Meer over hoe en "
     "waar het gemaakt wordt lees je op de merkpagina."),
    ("Tips voor het bewaren van je {p}",
     "Bewaar de {p} op een droge plek. Stapel je pannen of schalen? Leg er een doek tussen, dan "
     "krast het {m} niet. Zo gaat je {p} jaren mee."),
]  # fmt: skip


def fillers(count: int, *, seed: int = 20261201) -> list[dict[str, object]]:
    """`count` product pages as articles, deterministic for the seed."""
    rng = random.Random(seed)
    made: list[dict[str, object]] = []
    combinations = [
        (category, product, template)
        for category, products in _PRODUCTS.items()
        for product in products
        for template in _TEMPLATES
    ]
    number = 0
    while len(made) < count:
        category, product, (title, body) = combinations[number % len(combinations)]
        values = {"p": product, "s": rng.choice(_SIZES), "m": rng.choice(_MATERIALS),
                  "b": rng.choice(_BRANDS)}  # fmt: skip
        suffix = f" ({values['b']} {values['s']})" if number >= len(combinations) else ""
        made.append({
            "id": f"product-{number}",
            "title": title.format(**values) + suffix,
            "body": body.format(**values),
            "topic": "producten",
            "locale": "nl",
            "tags": [product, values["m"]],
            "categories": [category],
        })  # fmt: skip
        number += 1
    return made
