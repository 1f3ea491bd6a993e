"""About 60 help articles in Dutch, some in English, placed on the demo shop's pages.

The articles are data (`data/articles_*.jsonl`, the format `balie import_kb` reads) and go in
through the same import, so the demo also shows what an import gives.
"""

from __future__ import annotations

from pathlib import Path

from balie.knowledge import services
from balie.tenancy.demo.context import Demo

DATA = Path(__file__).parent / "data"
# slug -> (Dutch name, English name, description)
TOPICS = {
    "bestellen": ("Bestellen", "Ordering", "Bestellen, wijzigen en annuleren"),
    "betalen": ("Betalen", "Payment", "Betaalmethoden, achteraf betalen en facturen"),
    "bezorgen": ("Bezorgen", "Delivery", "Levertijd, verzendkosten en track & trace"),
    "retourneren": ("Retourneren", "Returns", "Terugsturen, ruilen en geld terug"),
    "garantie": ("Garantie", "Warranty", "Kapot of defect: zo regelen we het"),
    "producten": ("Producten", "Products", "Gebruik en onderhoud van pannen, messen en meer"),
    "account": ("Mijn account", "My account", "Inloggen, gegevens en privacy"),
    "klantenservice": ("Klantenservice", "Customer service", "Contact, klachten en reviews"),
}


def seed(demo: Demo) -> None:
    for position, (slug, (name, english, description)) in enumerate(TOPICS.items()):
        services.topic_save(
            shop=demo.shop,
            slug=slug,
            name=name,
            names={"en": english},
            description=description,
            position=position,
        )
    content = b"".join(path.read_bytes() for path in sorted(DATA.glob("articles_*.jsonl")))
    services.knowledge_import(shop=demo.shop, content=content, file_format="jsonl")
