"""What shoppers of a Dutch kitchenware webshop write, in Dutch (je-vorm), English and German.

Each topic has subjects and sentences with `{order}` and `{product}` slots; `mail.py` draws
from them with a seeded `random.Random`, so the same seed gives the same mails.
"""

from __future__ import annotations

PRODUCTS = [
    "koekenpan keramisch 24 cm", "braadpan gietijzer 28 cm", "koksmes 20 cm", "santokumes",
    "messenblok bamboe", "springvorm 26 cm", "staafmixer", "waterkoker RVS", "pannenset 5-delig",
    "slijpsteen 1000/6000", "snelkookpan 6 liter", "wokpan carbonstaal", "broodrooster",
    "keukenweegschaal", "mengkom RVS", "bakmat siliconen", "espressopot", "melkopschuimer",
    "vleesthermometer", "snijplank eikenhout", "theepot glas", "pizzasteen", "vershoudbakjes",
]  # fmt: skip
FIRST_NAMES = [
    "Anouk", "Bram", "Daan", "Emma", "Fleur", "Sanne", "Lars", "Noor", "Ruben", "Sophie", "Thijs",
    "Lotte", "Jeroen", "Marieke", "Kees", "Ingrid", "Henk", "Wilma", "Joost", "Eva", "Mohammed",
    "Fatima", "Yusuf", "Priya", "Sem", "Julia", "Tim", "Femke", "Bas", "Iris", "Willem", "Nadia",
    "José", "Zoë", "Chloë", "Søren", "Ayşe", "Çağla", "Renée", "Geert", "Hanneke", "Koen",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "van der Meer", "Kaya", "Yılmaz", "El Amrani", "Özdemir", "Müller",
    "Schröder", "van 't Hof", "Ünal", "Boğaz", "Kuijpers", "Verhoeven", "Claes", "Peeters",
]  # fmt: skip
PROVIDERS = [
    "gmail.example", "hotmail.example", "outlook.example", "ziggo.example", "kpnmail.example",
    "xs4all.example", "live.example", "planet.example", "icloud.example", "telenet.example",
    "web.example", "gmx.example",
]  # fmt: skip

TOPICS = ("return", "delivery", "payment", "invoice", "warranty", "product")

SUBJECTS: dict[str, dict[str, list[str]]] = {
    "nl": {
        "return": ["Retour bestelling {order}", "Ik wil mijn {product} terugsturen",
                   "Retourlabel aanvragen", "Ruilen voor een andere maat", "Retour {order}"],
        "delivery": ["Waar blijft mijn pakket?", "Bestelling {order} nog niet ontvangen",
                     "Track & trace werkt niet", "Pakket beschadigd aangekomen",
                     "Levering {order} op verkeerd adres"],
        "payment": ["Betaling mislukt", "iDEAL-betaling twee keer afgeschreven",
                    "Terugbetaling retour {order}", "Achteraf betalen met Klarna",
                    "Vraag over betaling {order}"],
        "invoice": ["Factuur {order}", "Factuur op bedrijfsnaam", "Btw-nummer op factuur",
                    "Kopie factuur nodig", "Factuur klopt niet"],
        "warranty": ["Garantie {product}", "{product} kapot na twee weken",
                     "Defect aan mijn {product}", "Reclamatie bestelling {order}"],
        "product": ["Vraag over {product}", "Is de {product} geschikt voor inductie?",
                    "Wanneer is {product} weer op voorraad?", "Levertijd {product}"],
    },
    "en": {
        "return": ["Return order {order}", "How do I return my {product}?"],
        "delivery": ["Where is my parcel?", "Order {order} not delivered yet"],
        "payment": ["Payment failed", "Charged twice for order {order}"],
        "invoice": ["Invoice for order {order}", "Need an invoice with VAT number"],
        "warranty": ["{product} broken", "Warranty claim {order}"],
        "product": ["Question about the {product}", "Is the {product} dishwasher safe?"],
    },
    "de": {
        "return": ["Rücksendung Bestellung {order}", "Umtausch {product}"],
        "delivery": ["Wo bleibt mein Paket?", "Bestellung {order} nicht angekommen"],
        "payment": ["Zahlung fehlgeschlagen", "Doppelt abgebucht – Bestellung {order}"],
        "invoice": ["Rechnung {order}", "Rechnung mit USt-IdNr."],
        "warranty": ["Garantie für {product}", "{product} defekt"],
        "product": ["Frage zu {product}", "Ist die {product} für Induktion geeignet?"],
    },
}  # fmt: skip

SENTENCES: dict[str, dict[str, list[str]]] = {
    "nl": {
        "return": [
            "Ik heb vorige week bestelling {order} ontvangen, maar de {product} valt tegen.",
            "Kan ik de {product} nog retourneren? De doos is nog dicht.",
            "Hoe kom ik aan een retourlabel? Ik zie het nergens in mijn account.",
            "Ik wil de {product} graag ruilen voor een grotere maat.",
            "Het pakket is gisteren teruggestuurd via PostNL, ik heb het verzendbewijs nog.",
            "Krijg ik ook de verzendkosten terug als ik alles retourneer?",
        ],
        "delivery": [
            "Volgens de track & trace is mijn pakket al drie dagen onderweg.",
            "Ik heb bestelling {order} nog steeds niet ontvangen, terwijl er 'bezorgd' staat.",
            "De bezorger heeft het pakket bij de buren afgegeven, maar die waren niet thuis.",
            "De doos was ingedeukt en de {product} is beschadigd.",
            "Kan het pakket ook naar een afhaalpunt worden gestuurd?",
            "Ik ben de hele week niet thuis, kunnen jullie de levering uitstellen?",
        ],
        "payment": [
            "Mijn iDEAL-betaling is mislukt, maar het geld is wel van mijn rekening af.",
            "Ik zie twee afschrijvingen van €{amount} voor dezelfde bestelling.",
            "Wanneer krijg ik het bedrag van mijn retour terug?",
            "Kan ik de bestelling ook achteraf betalen met Klarna?",
            "De betaling met mijn creditcard wordt steeds geweigerd.",
        ],
        "invoice": [
            "Kunnen jullie de factuur van bestelling {order} op mijn bedrijfsnaam zetten?",
            "Ik mis het btw-nummer op de factuur, dat heb ik nodig voor mijn administratie.",
            "Ik heb de factuur niet ontvangen, kunnen jullie hem nog een keer sturen?",
            "Op de factuur staat een ander bedrag dan ik heb betaald: €{amount}.",
        ],
        "warranty": [
            "Mijn {product} is na twee weken al kapot, de bodem is krom getrokken.",
            "Valt dit onder de garantie? Ik heb hem gewoon volgens de handleiding gebruikt.",
            "Het handvat van de {product} zit los. Ik stuur een foto mee.",
            "De coating laat los terwijl ik de pan pas een maand heb.",
            "Kan ik een nieuwe krijgen of moet ik hem eerst opsturen?",
        ],
        "product": [
            "Is de {product} geschikt voor inductie?",
            "Mag de {product} in de vaatwasser?",
            "Wanneer is de {product} weer op voorraad?",
            "Wat is het verschil tussen de {product} en de duurdere variant?",
            "Hebben jullie de {product} ook in het zwart?",
        ],
    },
    "en": {
        "return": ["I received order {order} but the {product} is not what I expected.",
                   "How can I get a return label?"],
        "delivery": ["The tracking says delivered, but I have not received order {order}.",
                     "My parcel has been stuck for four days."],
        "payment": ["My payment failed but the money was taken from my account.",
                    "I was charged €{amount} twice."],
        "invoice": ["Could you send me an invoice for order {order} with my VAT number?"],
        "warranty": ["The {product} broke after two weeks of normal use.",
                     "Is this covered by the warranty?"],
        "product": ["Is the {product} suitable for induction hobs?",
                    "When will the {product} be back in stock?"],
    },
    "de": {
        "return": ["Ich möchte die {product} aus Bestellung {order} zurückschicken.",
                   "Wie bekomme ich ein Rücksendeetikett?"],
        "delivery": ["Laut Sendungsverfolgung ist das Paket zugestellt, aber ich habe nichts erhalten.",
                     "Das Paket ist seit fünf Tagen unterwegs."],
        "payment": ["Die Zahlung ist fehlgeschlagen, der Betrag von €{amount} wurde trotzdem abgebucht."],
        "invoice": ["Können Sie mir eine Rechnung für Bestellung {order} schicken?"],
        "warranty": ["Die {product} ist nach zwei Wochen kaputtgegangen.",
                     "Fällt das unter die Garantie?"],
        "product": ["Ist die {product} für Induktion geeignet?",
                    "Wann ist die {product} wieder lieferbar?"],
    },
}  # fmt: skip

FOLLOW_UPS: dict[str, list[str]] = {
    "nl": [
        "Bedankt voor je snelle reactie!", "Ik heb het retourlabel ontvangen, dank je.",
        "Helaas is het probleem nog niet opgelost.", "Hierbij nog de foto die je vroeg.",
        "Het ordernummer is {order}, dat was ik vergeten te vermelden.",
        "Ik heb nog steeds niets gehoord, kunnen jullie even kijken?",
        "Top, dan wacht ik het af.", "Sorry, ik bedoelde de {product}, niet de andere.",
        "Is er al nieuws over mijn bestelling?", "Prima, zo doen we het.",
    ],
    "en": ["Thanks for the quick reply!", "Any news on this?", "Here is the photo you asked for."],
    "de": ["Vielen Dank für die schnelle Antwort!", "Gibt es schon Neuigkeiten?"],
}  # fmt: skip

SHOP_REPLIES = [
    "Hoi {first},\n\nBedankt voor je bericht. Ik heb een retourlabel voor je aangemaakt; je vindt "
    "het als bijlage bij deze mail. Zodra we het pakket binnen hebben, storten we het bedrag "
    "binnen 5 werkdagen terug.\n\nGroetjes,\nLisa\nKlantenservice De Pollepel",
    "Hoi {first},\n\nVervelend dat je pakket nog niet is aangekomen. Ik heb navraag gedaan bij "
    "PostNL en laat je binnen twee werkdagen weten wat er aan de hand is.\n\nGroetjes,\nMark\n"
    "Klantenservice De Pollepel",
    "Hoi {first},\n\nIk zie je betaling inderdaad twee keer staan. De tweede betaling is "
    "vandaag teruggeboekt; het kan 1 tot 3 werkdagen duren voor je het ziet.\n\nGroetjes,\nLisa",
    "Hoi {first},\n\nKun je een foto van het defect sturen? Dan regel ik een vervangend "
    "exemplaar onder garantie.\n\nGroetjes,\nSamira\nKlantenservice De Pollepel",
]  # fmt: skip

GREETINGS = {
    "nl": ["Hoi", "Hallo", "Beste klantenservice,", "Goedemiddag,", "Goedemorgen,", "Hey,", ""],
    "en": ["Hi,", "Hello,", "Dear customer service,"],
    "de": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,"],
}
CLOSINGS = {
    "nl": ["Groetjes,", "Met vriendelijke groet,", "Alvast bedankt!", "Gr.", "Mvg,", "Dank je!"],
    "en": ["Kind regards,", "Thanks,", "Best,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Danke!"],
}
DEVICE_SIGNATURES = [
    "Verzonden vanaf mijn iPhone", "Verstuurd vanaf mijn Samsung Galaxy-smartphone.",
    "Sent from my iPhone", "Von meinem iPad gesendet", "Verzonden met Outlook voor Android",
]  # fmt: skip
QUOTE_HEADERS = {
    "nl": "Op {date} schreef Klantenservice De Pollepel <{shop}>:",
    "en": "On {date}, Klantenservice De Pollepel <{shop}> wrote:",
    "de": "Am {date} schrieb Klantenservice De Pollepel <{shop}>:",
}
AUTO_REPLIES = {
    "nl": ("Automatisch antwoord: {subject}",
           "Ik ben tot en met {until} afwezig en lees mijn e-mail niet. Je bericht wordt niet "
           "doorgestuurd. Voor dringende zaken kun je bellen met 06-12345678."),
    "en": ("Automatic reply: {subject}",
           "I am out of the office until {until} with no access to email."),
    "de": ("Abwesenheitsnotiz: {subject}",
           "Ich bin bis einschließlich {until} nicht im Büro und habe keinen Zugriff auf E-Mails."),
}  # fmt: skip
