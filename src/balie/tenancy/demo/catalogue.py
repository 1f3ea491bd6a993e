"""About 100 kitchen products in the categories a Dutch kitchenware shop uses."""

from __future__ import annotations

from balie.orders.models import Product
from balie.tenancy.demo.context import Demo
from balie.tenancy.demo.shop import WEBSITE_URL

# category -> (name, price in cents); sizes of one product are separate articles, as in shops.
CATALOGUE: dict[str, list[tuple[str, int]]] = {
    "Pannen": [
        ("Koekenpan keramisch 20 cm", 2995),
        ("Koekenpan keramisch 24 cm", 3495),
        ("Koekenpan keramisch 28 cm", 3995),
        ("Koekenpan gietijzer 26 cm", 5995),
        ("Hapjespan met deksel 28 cm", 5495),
        ("Wokpan carbonstaal 32 cm", 3995),
        ("Steelpan RVS 16 cm", 2795),
        ("Steelpan RVS 20 cm", 3295),
        ("Kookpan met deksel 20 cm", 3995),
        ("Kookpan met deksel 24 cm", 4795),
        ("Soeppan 7 liter", 6495),
        ("Braadpan gietijzer geëmailleerd 24 cm", 13995),
        ("Braadpan gietijzer geëmailleerd 28 cm", 16995),
        ("Grillpan gietijzer 26 cm", 4995),
        ("Pannenset RVS 5-delig", 14995),
        ("Pannenkoekenpan 28 cm", 2495),
        ("Snelkookpan 6 liter", 8995),
    ],
    "Messen": [
        ("Koksmes 20 cm", 6995),
        ("Santokumes 18 cm", 5995),
        ("Broodmes 22 cm", 3495),
        ("Schilmesje 9 cm", 1495),
        ("Officemes 12 cm", 1995),
        ("Fileermes flexibel 18 cm", 3995),
        ("Tomatenmes gekarteld", 1295),
        ("Messenblok bamboe met 5 messen", 12995),
        ("Magnetische messenstrip 40 cm", 2495),
        ("Slijpsteen 1000/6000", 3995),
        ("Aanzetstaal 25 cm", 2995),
        ("Keukenschaar RVS", 1995),
    ],
    "Bakken": [
        ("Springvorm 24 cm", 1695),
        ("Springvorm 26 cm", 1895),
        ("Cakevorm 30 cm", 1295),
        ("Taartvorm met losse bodem 28 cm", 1595),
        ("Muffinvorm 12 stuks", 1495),
        ("Bakplaat perforé", 1995),
        ("Deegroller beukenhout", 1495),
        ("Garde RVS 25 cm", 995),
        ("Pannenlikker siliconen", 695),
        ("Bakkwast siliconen", 595),
        ("Bakmat siliconen 40 x 30 cm", 1295),
        ("Spuitzak met 6 spuitmondjes", 1195),
        ("Mengkom RVS 3 liter", 1695),
        ("Maatbeker glas 1 liter", 995),
        ("Zeef RVS 20 cm", 1295),
        ("Taartplateau met stolp", 3495),
        ("Broodtrommel bamboe", 3995),
        ("Rijsmandje rond 22 cm", 1495),
    ],
    "Koffie en thee": [
        ("Cafetière 1 liter", 2995),
        ("Percolator 6 kopjes", 3495),
        ("Melkopschuimer elektrisch", 4995),
        ("Koffiemolen handmatig", 4495),
        ("Waterkoker RVS 1,7 liter", 4995),
        ("Theepot glas met filter 1,2 liter", 2495),
        ("Theeglazen dubbelwandig, set van 4", 2995),
        ("Koffiefilterhouder porselein", 1995),
        ("Koffiekopjes met schotel, set van 4", 2495),
        ("Thermoskan 1 liter", 3495),
    ],
    "Keukengerei": [
        ("Pollepel RVS", 1295),
        ("Pollepel beukenhout", 795),
        ("Schuimspaan RVS", 1195),
        ("Spatel olijfhout", 995),
        ("Keukentang siliconen 30 cm", 1295),
        ("Rasp RVS fijn", 1695),
        ("Vergiet RVS 24 cm", 1995),
        ("Snijplank eikenhout 40 x 25 cm", 3995),
        ("Snijplank kunststof, set van 3", 2495),
        ("Keukenweegschaal digitaal", 2495),
        ("Saladeslinger", 2295),
        ("Knoflookpers RVS", 1495),
        ("Citruspers", 1295),
        ("Dunschiller", 695),
        ("Blikopener", 995),
        ("Vleesthermometer digitaal", 1995),
        ("Kookwekker", 995),
        ("Pepermolen beukenhout 20 cm", 2495),
        ("Zoutmolen beukenhout 20 cm", 2495),
        ("Vijzel graniet", 2995),
    ],
    "Serveren en tafelen": [
        ("Dinerborden 27 cm, set van 6", 4995),
        ("Diepe borden 22 cm, set van 6", 4495),
        ("Ontbijtborden 21 cm, set van 6", 3495),
        ("Serveerschaal aardewerk 35 cm", 2995),
        ("Ovenschaal aardewerk 30 cm", 2795),
        ("Karaf glas 1 liter", 1995),
        ("Wijnglazen, set van 6", 3495),
        ("Waterglazen, set van 6", 2495),
        ("Bestekset 24-delig", 5995),
        ("Tafelkleed linnen 140 x 250 cm", 4995),
        ("Placemats, set van 4", 1995),
        ("Broodplank met mes", 2995),
    ],
    "Opbergen": [
        ("Voorraadpotten glas, set van 3", 2495),
        ("Vershoudbakjes glas, set van 5", 3495),
        ("Bewaardozen bamboe deksel, set van 4", 2995),
        ("Kruidenrek met 16 potjes", 3995),
        ("Broodzak linnen", 1295),
        ("Bijenwasdoeken, set van 3", 1695),
    ],
    "Elektrische apparaten": [
        ("Staafmixer met hakmolen", 4995),
        ("Handmixer 5 snelheden", 3995),
        ("Keukenmachine 4,5 liter", 24995),
        ("Blender 1,5 liter", 7995),
        ("Airfryer 5,5 liter", 11995),
        ("Sous-vide stick", 9995),
        ("Waterkoker glas met temperatuurregeling", 5995),
        ("Broodrooster 2 sleuven", 3995),
        ("Tosti-ijzer", 3495),
    ],
}


def seed(demo: Demo) -> None:
    products = []
    for category_number, (category, items) in enumerate(CATALOGUE.items(), start=1):
        for item_number, (name, price_cents) in enumerate(items, start=1):
            sku = f"PL-{category_number:02d}{item_number:03d}"
            products.append(
                Product(
                    shop=demo.shop,
                    sku=sku,
                    name=name,
                    category=category,
                    price_cents=price_cents,
                    url=f"{WEBSITE_URL}/p/{sku.lower()}",
                    # A few articles were sold but are no longer in the range.
                    is_active=demo.rng.random() > 0.04,
                )
            )
    demo.products = Product.objects.bulk_create(products)
