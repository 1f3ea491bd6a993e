"""What the demo's customers ask and how the agents answer, in the Dutch of a webshop.

A `Script` is one kind of question: its topic, label and subjects, and the turns of the
conversation in order (customer, agent, internal note). `conversations.py` plays a script
up to where the conversation's status says it is (an open one ends with the customer, a
pending one with the agent) and fills the placeholders: {voornaam}, {order}, {product},
{vervoerder}, {track}, {bedrag}, {factuur}, {adres}, {maand} and {collega} (in a colleague's note: the handle
of the agent on the conversation, who is @mentioned).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "klant"
    AGENT = "agent"
    NOTE = "notitie"


class Needs(StrEnum):
    """Which of the customer's orders the question is about."""

    NOTHING = "nothing"  # a question before buying
    UNSHIPPED = "unshipped"  # placed, not yet on its way
    SHIPPED = "shipped"  # on its way
    DELIVERED = "delivered"  # delivered recently (returns, damage)
    OLDER = "older"  # delivered months ago (warranty)
    PAY_LATER = "pay_later"  # paid after delivery (invoices)


@dataclass(frozen=True)
class Script:
    topic: str
    tag: str
    subjects: tuple[str, ...]
    turns: tuple[tuple[Role, str], ...]
    needs: Needs = Needs.NOTHING
    priority: str = "normal"
    language: str = "nl"
    weight: int = 2
    complaint: bool = False


C, A, N = Role.CUSTOMER, Role.AGENT, Role.NOTE

SCRIPTS: list[Script] = [
    # --- retourneren -----------------------------------------------------------------
    Script(
        "retourneren",
        "retour",
        ("Retour aanmelden", "Product terugsturen", "Retour {order}"),
        (
            (
                C,
                "Ik wil graag de {product} uit bestelling {order} terugsturen. Hij is toch te "
                "groot voor onze kookplaat. Hoe werkt dat?",
            ),
            (
                A,
                "Wat jammer dat de {product} niet past. Je kunt hem binnen 30 dagen na "
                "levering gratis terugsturen.\n\nJe krijgt zo een aparte mail met het "
                "retourlabel. Plak het op de doos en lever hem in bij een PostNL-punt. Is de "
                "retour binnen, dan storten we het bedrag binnen 5 werkdagen terug.",
            ),
            (C, "Top, dank je wel! Het pakket is vandaag verstuurd."),
            (A, "Dank voor het laten weten. We mailen je zodra je retour binnen is."),
        ),
        needs=Needs.DELIVERED,
        weight=4,
    ),
    Script(
        "retourneren",
        "retour",
        ("Nog geen geld terug", "Terugbetaling retour {order}", "Waar blijft mijn geld?"),
        (
            (
                C,
                "Twee weken geleden heb ik de {product} teruggestuurd (bestelling {order}). "
                "Ik heb mijn geld nog steeds niet terug. Kunnen jullie even kijken?",
            ),
            (
                N,
                "@{collega} zie jij deze retour in het magazijn? Volgens de track & trace is "
                "hij vorige week bij ons bezorgd.",
            ),
            (
                A,
                "Sorry dat het zo lang duurt. Je retour is inmiddels verwerkt. Het bedrag van "
                "€ {bedrag} staat binnen 2 werkdagen op je rekening.",
            ),
            (C, "Het staat erop. Bedankt!"),
        ),
        needs=Needs.DELIVERED,
        weight=3,
        complaint=True,
    ),
    Script(
        "retourneren",
        "retour",
        ("Ruilen voor een andere maat", "Omruilen {product}"),
        (
            (
                C,
                "Kan ik de {product} omruilen voor een grotere maat? Mijn bestelnummer is {order}.",
            ),
            (
                A,
                "Ruilen kan zeker. Het snelst gaat het zo: bestel de andere maat gewoon in de "
                "webshop en stuur deze terug met het retourlabel dat je van ons krijgt. Het "
                "bedrag van de retour storten we terug zodra hij binnen is.",
            ),
            (C, "Duidelijk, dan doe ik dat."),
        ),
        needs=Needs.DELIVERED,
    ),
    Script(
        "retourneren",
        "retour",
        ("Retour na 30 dagen?", "Nog terugsturen?"),
        (
            (
                C,
                "In {maand} heb ik de {product} gekocht, maar ik gebruik hem eigenlijk nooit. "
                "Mag ik hem nog terugsturen?",
            ),
            (
                A,
                "De retourtermijn van 30 dagen is helaas voorbij, dus terugsturen kan niet "
                "meer. Is er iets mis met het product? Dan kijken we graag naar een oplossing "
                "onder de garantie.",
            ),
            (C, "Oké, jammer. Maar wel duidelijk."),
        ),
        needs=Needs.OLDER,
        weight=1,
    ),
    # --- bezorgen --------------------------------------------------------------------
    Script(
        "bezorgen",
        "bezorging",
        ("Waar blijft mijn pakket?", "Bestelling {order} nog niet ontvangen", "Levering"),
        (
            (
                C,
                "Ik heb een paar dagen geleden besteld ({order}), maar nog niets ontvangen. "
                "Waar blijft mijn pakket?",
            ),
            (
                A,
                "Je pakket is onderweg met {vervoerder}. Je kunt het volgen met code {track}. "
                "Volgens {vervoerder} komt het morgen.",
            ),
            (C, "Fijn, dank je!"),
        ),
        needs=Needs.SHIPPED,
        weight=6,
    ),
    Script(
        "bezorgen",
        "bezorging",
        ("Pakket bezorgd maar niet ontvangen", "Niet ontvangen: {order}"),
        (
            (
                C,
                "Volgens de track & trace is mijn pakket bezorgd, maar ik heb niets gekregen. "
                "Ook niet bij de buren. Wat nu?",
            ),
            (
                N,
                "@{collega} ik heb een onderzoek bij {vervoerder} aangevraagd. Wil jij het "
                "morgen nog even volgen?",
            ),
            (
                A,
                "Wat vervelend! We hebben bij {vervoerder} een onderzoek gestart. Dat duurt "
                "meestal 2 tot 3 werkdagen. Wordt het pakket niet gevonden, dan sturen we je "
                "bestelling opnieuw op.",
            ),
            (C, "Oké, ik wacht het af."),
            (
                A,
                "{vervoerder} kan het pakket niet vinden. We hebben je bestelling vandaag "
                "opnieuw verstuurd, zonder extra kosten. Je nieuwe code is {track}.",
            ),
            (C, "Super service, dank jullie wel!"),
        ),
        needs=Needs.DELIVERED,
        priority="high",
        weight=3,
        complaint=True,
    ),
    Script(
        "bezorgen",
        "bezorging",
        ("Beschadigd aangekomen", "{product} kapot ontvangen"),
        (
            (
                C,
                "Mijn bestelling {order} is vandaag aangekomen, maar de {product} is "
                "beschadigd. Er zit een flinke deuk in. De doos was ook ingedeukt.",
            ),
            (
                A,
                "Balen! Dat hoort natuurlijk niet. We sturen vandaag een nieuwe {product}, "
                "zonder kosten. De beschadigde hoef je niet terug te sturen.",
            ),
            (C, "Wat snel geregeld, bedankt!"),
        ),
        needs=Needs.DELIVERED,
        priority="high",
        weight=3,
        complaint=True,
    ),
    Script(
        "bezorgen",
        "bezorging",
        ("Adres wijzigen", "Verkeerd adres ingevuld", "Bezorgadres {order}"),
        (
            (
                C,
                "Ik heb net besteld ({order}), maar zie dat ik mijn oude adres heb ingevuld. "
                "Kan het nog naar {adres}?",
            ),
            (
                A,
                "Je bestelling was nog niet ingepakt, dus ik heb het adres aangepast naar "
                "{adres}. Je krijgt zo een nieuwe bevestiging.",
            ),
            (C, "Dank je, wat een opluchting."),
        ),
        needs=Needs.UNSHIPPED,
        priority="high",
        weight=2,
    ),
    Script(
        "bezorgen",
        "bezorging",
        ("Wanneer wordt mijn bestelling verstuurd?", "Verzending {order}"),
        (
            (
                C,
                "Wanneer wordt mijn bestelling {order} verstuurd? Ik wil hem graag voor het "
                "weekend hebben.",
            ),
            (
                A,
                "Je bestelling wordt vandaag ingepakt en gaat vanmiddag mee met {vervoerder}. "
                "Dan heb je hem morgen al in huis.",
            ),
            (C, "Perfect!"),
        ),
        needs=Needs.UNSHIPPED,
        weight=3,
    ),
    Script(
        "bezorgen",
        "bezorging",
        ("Bezorgen in België", "Verzendkosten België"),
        (
            (C, "Leveren jullie ook in België? En wat kost de verzending dan?"),
            (
                A,
                "Zeker! We bezorgen in heel België. De verzendkosten zijn € 6,95. Vanaf € 50 "
                "bezorgen we gratis. Meestal heb je je pakket binnen 2 werkdagen.",
            ),
            (C, "Goed om te weten, dank je."),
        ),
        weight=2,
    ),
    # --- betalen ---------------------------------------------------------------------
    Script(
        "betalen",
        "betaling",
        ("Betaald maar bestelling wacht op betaling", "Betaling {order}"),
        (
            (
                C,
                "Ik heb met iDEAL betaald, maar mijn bestelling {order} staat nog op 'wacht op "
                "betaling'. Het geld is wel van mijn rekening af.",
            ),
            (
                A,
                "Ik zie je betaling nu binnenkomen. Soms duurt het even voordat de bank het "
                "aan ons bevestigt. Je bestelling wordt vandaag ingepakt.",
            ),
            (C, "Fijn, dank je!"),
        ),
        needs=Needs.UNSHIPPED,
        weight=3,
    ),
    Script(
        "betalen",
        "betaling",
        ("Dubbel betaald", "Twee keer betaald voor {order}"),
        (
            (
                C,
                "Ik heb per ongeluk twee keer betaald voor bestelling {order}. Kan ik één "
                "bedrag terugkrijgen?",
            ),
            (N, "@{collega} dubbele betaling van € {bedrag} gezien. Kun jij er één terugboeken?"),
            (
                A,
                "Klopt, we zien twee betalingen van € {bedrag}. We hebben er één "
                "teruggeboekt. Het geld staat binnen 3 werkdagen weer op je rekening.",
            ),
            (C, "Prima, bedankt voor de snelle hulp."),
        ),
        needs=Needs.UNSHIPPED,
        priority="high",
        weight=2,
    ),
    Script(
        "betalen",
        "betaling",
        ("Betaalmethodes", "Betalen met creditcard?"),
        (
            (C, "Kan ik bij jullie ook met Klarna of met een creditcard betalen?"),
            (
                A,
                "Je kunt bij ons betalen met iDEAL, Bancontact, PayPal, creditcard en achteraf "
                "betalen. Klarna hebben we (nog) niet.",
            ),
            (C, "Oké, duidelijk."),
        ),
        weight=2,
    ),
    Script(
        "betalen",
        "betaling",
        ("Kortingscode werkt niet", "Code WELKOM10 ongeldig"),
        (
            (
                C,
                "Mijn kortingscode WELKOM10 werkt niet bij het afrekenen. Ik krijg de melding "
                "dat de code ongeldig is.",
            ),
            (
                A,
                "De code geldt vanaf € 50 aan producten. Je winkelmand zit daar nu net onder. "
                "Voeg je nog iets toe, dan werkt hij wel.",
            ),
            (C, "Ah, dat wist ik niet. Gelukt nu!"),
        ),
        weight=2,
    ),
    # --- facturen --------------------------------------------------------------------
    Script(
        "facturen",
        "factuur",
        ("Factuur op bedrijfsnaam", "Zakelijke factuur {order}"),
        (
            (
                C,
                "Kunnen jullie een factuur sturen van bestelling {order}? Graag op naam van "
                "mijn bedrijf, met de btw apart.",
            ),
            (
                A,
                "Natuurlijk. Welke bedrijfsnaam en welk adres moeten op de factuur? Een "
                "btw-nummer mag er ook bij.",
            ),
            (C, "Bedrijfsnaam: {bedrijf}. Zelfde adres als de bezorging."),
            (A, "De factuur staat in je mail. Je vindt hem ook terug onder Mijn account."),
            (C, "Ontvangen, dank!"),
        ),
        needs=Needs.DELIVERED,
        weight=2,
    ),
    Script(
        "facturen",
        "factuur",
        ("Herinnering terwijl ik al betaald heb", "Betalingsherinnering {factuur}"),
        (
            (
                C,
                "Ik kreeg een herinnering voor factuur {factuur}, maar ik heb vorige week al "
                "betaald. Klopt dat wel?",
            ),
            (
                A,
                "Sorry voor de verwarring. Je betaling en onze herinnering hebben elkaar "
                "gekruist. Alles staat nu goed, je hoeft niets meer te doen.",
            ),
            (C, "Gelukkig, dank je."),
        ),
        needs=Needs.PAY_LATER,
        priority="high",
        weight=3,
        complaint=True,
    ),
    Script(
        "facturen",
        "factuur",
        ("Achteraf betalen en deel retour", "Factuur {factuur} aanpassen"),
        (
            (
                C,
                "Ik heb achteraf betaald, maar ik stuur een deel terug. Moet ik nu toch het "
                "hele bedrag van de factuur betalen?",
            ),
            (
                A,
                "Nee hoor. Je betaalt alleen wat je houdt. Zodra je retour binnen is, passen "
                "we de factuur aan. Tot die tijd zetten we de betaaltermijn van 14 dagen "
                "stil.",
            ),
            (C, "Fijn, dat is duidelijk."),
        ),
        needs=Needs.PAY_LATER,
        weight=3,
    ),
    Script(
        "facturen",
        "factuur",
        ("Factuur kwijt", "Kopie factuur {order}"),
        (
            (
                C,
                "Ik kan de factuur van bestelling {order} niet meer vinden. Kunnen jullie hem "
                "opnieuw sturen?",
            ),
            (
                A,
                "Ik heb de factuur opnieuw naar je gemaild. Je kunt hem ook altijd downloaden "
                "onder Mijn account > Bestellingen.",
            ),
            (C, "Gevonden, bedankt."),
        ),
        needs=Needs.DELIVERED,
        weight=2,
    ),
    # --- garantie --------------------------------------------------------------------
    Script(
        "garantie",
        "garantie",
        ("Antiaanbaklaag laat los", "Garantie {product}"),
        (
            (
                C,
                "Ik heb de {product} sinds {maand}. De antiaanbaklaag laat nu op een paar "
                "plekken los. Valt dit onder de garantie?",
            ),
            (
                A,
                "Dat hoort niet, zeker niet zo snel. Wil je een paar foto's sturen van de "
                "plekken waar de laag loslaat? Dan kijken we of we hem vervangen.",
            ),
            (
                C,
                "Ik heb foto's gemaakt en via WhatsApp gestuurd. De laag laat vooral in het "
                "midden los.",
            ),
            (
                A,
                "Dank je, ze zijn binnen. Dit valt onder de garantie. We sturen je deze week "
                "een nieuwe {product}. De oude hoef je niet terug te sturen.",
            ),
            (C, "Top, bedankt!"),
        ),
        needs=Needs.OLDER,
        weight=3,
    ),
    Script(
        "garantie",
        "garantie",
        ("Handvat zit los", "{product} kapot"),
        (
            (C, "Het handvat van mijn {product} zit los. Ik heb hem pas een paar maanden."),
            (
                N,
                "@{collega} de leverancier vraagt altijd het batchnummer op het lemmet. Weet "
                "jij of we dat hier ook nodig hebben?",
            ),
            (
                A,
                "Vervelend! Wil je de {product} naar ons terugsturen met het retourlabel dat "
                "je van ons krijgt? We laten hem repareren of vervangen door de fabrikant. "
                "Dat duurt ongeveer 2 weken.",
            ),
            (C, "Oké, ik stuur hem morgen op."),
        ),
        needs=Needs.OLDER,
        weight=2,
    ),
    Script(
        "garantie",
        "garantie",
        ("Email van braadpan gebarsten", "Barst in {product}"),
        (
            (
                C,
                "Het email van mijn {product} is gebarsten. Ik heb hem pas een paar keer "
                "gebruikt, op inductie.",
            ),
            (
                A,
                "Dat is niet de bedoeling. Op welke stand had je de pan staan? Op de hoogste "
                "stand warmt gietijzer soms te snel op. We zoeken hoe dan ook een oplossing.",
            ),
            (C, "Op stand 7 van de 9. Gewoon om uien te fruiten."),
            (
                A,
                "Dank je. Dan hoort dit niet te gebeuren: we vervangen de pan. De nieuwe is "
                "binnen 2 werkdagen bij je.",
            ),
            (C, "Heel fijn, dank jullie wel."),
        ),
        needs=Needs.OLDER,
        priority="high",
        weight=1,
        complaint=True,
    ),
    Script(
        "garantie",
        "garantie",
        ("Onderdeel nodig", "Los onderdeel bestellen"),
        (
            (
                C,
                "Het deksel van mijn {product} sluit niet goed meer. Kan ik een los onderdeel "
                "bestellen?",
            ),
            (
                A,
                "Ja, dat kan. Omdat je {product} nog onder de garantie valt, sturen we het "
                "onderdeel gratis op. Je hebt het binnen 3 werkdagen.",
            ),
            (C, "Fijn!"),
        ),
        needs=Needs.OLDER,
        weight=2,
    ),
    # --- producten -------------------------------------------------------------------
    Script(
        "producten",
        "productvraag",
        ("Geschikt voor inductie?", "Vraag over {product}"),
        (
            (C, "Is de {product} geschikt voor inductie?"),
            (
                A,
                "Ja, de {product} werkt op alle warmtebronnen, ook op inductie. Alleen niet "
                "in de magnetron.",
            ),
            (C, "Dank je, dan bestel ik hem."),
        ),
        weight=5,
    ),
    Script(
        "producten",
        "productvraag",
        ("Mag het in de vaatwasser?", "Vaatwasser"),
        (
            (C, "Mag de {product} in de vaatwasser?"),
            (
                A,
                "Het kan, maar we raden het af. Met de hand afwassen houdt hem veel langer "
                "mooi. Warm water met een beetje afwasmiddel is genoeg.",
            ),
            (C, "Oké, goed om te weten."),
        ),
        weight=4,
    ),
    Script(
        "producten",
        "productvraag",
        ("Wanneer weer op voorraad?", "{product} uitverkocht"),
        (
            (C, "Wanneer is de {product} weer op voorraad?"),
            (
                A,
                "We verwachten hem over ongeveer twee weken weer binnen. Op de productpagina "
                "kun je je aanmelden, dan mailen we je zodra hij er is.",
            ),
            (C, "Gedaan, dank je."),
        ),
        weight=3,
    ),
    Script(
        "producten",
        "productvraag",
        ("Cadeauverpakking", "Als cadeau inpakken?"),
        (
            (
                C,
                "Kunnen jullie mijn bestelling als cadeau inpakken? Het is voor de verjaardag "
                "van mijn moeder.",
            ),
            (
                A,
                "Dat doen we graag. Kies bij het afrekenen voor 'Cadeauverpakking' (€ 2,50). "
                "Wil je er een kaartje bij? Typ je tekst dan in het opmerkingenveld.",
            ),
            (C, "Leuk, dat doe ik!"),
        ),
        weight=2,
    ),
    Script(
        "producten",
        "productvraag",
        ("Advies: welk mes?", "Koksmes of santoku?"),
        (
            (
                C,
                "Ik twijfel tussen het koksmes en de santoku. Wat raden jullie aan als je veel "
                "groenten snijdt?",
            ),
            (
                A,
                "Voor veel groenten is de santoku fijn: het blad is breed en plat, dus je "
                "snijdt snel en schept alles zo van de plank. Snijd je ook veel vlees, dan is "
                "het koksmes veelzijdiger.",
            ),
            (C, "Helder, dan wordt het de santoku."),
        ),
        weight=2,
    ),
    Script(
        "producten",
        "productvraag",
        ("Shipping to Germany?", "Question about the {product}"),
        (
            (C, "Hi, do you ship to Germany? I would like to order the {product}."),
            (
                A,
                "Hi! Sorry, for now we only ship to the Netherlands and Belgium. We hope to "
                "add Germany next year.",
            ),
            (C, "Okay, thanks for letting me know."),
        ),
        language="en",
        weight=1,
    ),
]

# Said at the start and the end of a customer's email, and under an agent's answer.
GREETINGS = ["Hoi,", "Hallo,", "Goedemiddag,", "Goedemorgen,", "Beste klantenservice,", ""]
CUSTOMER_CLOSINGS = [
    "Groet,\n{voornaam}",
    "Met vriendelijke groet,\n{voornaam} {achternaam}",
    "Alvast bedankt!\n{voornaam}",
    "Groetjes, {voornaam}",
    "{voornaam}",
]
PHONE_FOOTER = "Verstuurd vanaf mijn iPhone"
AGENT_OPENING = {"nl": "Hoi {voornaam},", "en": "Hi {voornaam},"}
AGENT_CLOSING = {
    "nl": "Groetjes,\n{agent}\nKookwinkel De Pollepel",
    "en": "Kind regards,\n{agent}\nKookwinkel De Pollepel",
}
COMPANY_NAMES = [
    "Lunchroom De Zoete Inval", "Cateringbedrijf Smaakvol", "Eetcafé Het Hoekje",
    "Bakkerij Van Dam", "Kookstudio Peper & Zout", "B&B De Linde",
]  # fmt: skip
CSAT_COMMENTS = {
    5: [
        "Snel en vriendelijk geholpen!",
        "Top service, dank jullie wel.",
        "Binnen een uur antwoord. Zo hoort het.",
    ],
    4: ["Goed geholpen, wel even moeten wachten.", "Prima, netjes opgelost."],
    3: ["Uiteindelijk opgelost, maar het duurde lang.", "Antwoord was wat kort."],
    2: ["Ik moest twee keer mailen voor een antwoord."],
    1: ["Nog steeds geen pakket en geen oplossing.", "Heel teleurstellend."],
}
