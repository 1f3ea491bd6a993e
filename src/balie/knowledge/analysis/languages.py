"""Guessing the language of a short shop question offline: nl, en, de or fr, with a confidence.

"waar is mijn pakket?", "where is my order", "wo ist meine Bestellung", "où est ma commande":
a shopper's question is a handful of words, too few for statistical detectors trained on
prose, but almost every one of them is a function word or a word of the shop's trade. So the
scorer looks words up in per-language lists written here (a word several languages share counts
a share to each), and only for words in no list falls back on letter sequences typical of each
language ("ij" and "aa" for Dutch, "sch" and "ung" for German, "eau" and "qu" for French) and on
letters that were accented before folding ("ü", "ß", "é", "ç").

The confidence is the winner's lead over the runner-up (as a share of its score), times how much
evidence there was (two clear words are enough). Empty text, emoji, digits or a single shared
word ("service") give a low confidence or none: the caller then searches every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from balie.knowledge.analysis import folding, tokens

_WORDS = {
    "nl": """
        aan adres al als annuleren bedankt ben bent bestellen besteld bestelling betalen betaling bezorgd
        bezorgen bezorging bij cadeaubon dag dan dank dat de deze die dit duurt een en er factuur
        garantie geen geld geleverd goedemorgen graag hallo heb hebben heeft het hij hoe hoi ik is je jij
        jouw jullie kan kapot kunnen kunt klantenservice korting kortingscode lang levering levertijd maar maat me met
        mij mijn moet naar niet nog nu of om ons onze ontvangen ook op over pakket retour retourneren ruilen te
        terug terugbetaling terugsturen uit uw van verzending verzendkosten voor waar waarom
        wanneer wat we wel welke wij wijzigen wil willen wordt zijn ze zij
    """,
    "en": """
        a address also an and are arrived at back be broken but can cancel card change code
        customer delivered delivery did didnt discount do does dont exchange for from gift has
        have hello hi how in invoice is it long money my need not of on or order package parcel
        pay payment please received refund return service shipping size still take thank thanks
        that the this to track tracking want warranty what when where which why will with yet you
        your
    """,
    "de": """
        aber adresse andern angekommen auch auf aus bei bestellen bestellt bestellung bezahlen
        bitte danke das dauert dem den der des die du ein eine es fur garantie geld geliefert
        grosse gutschein habe haben hallo ich ihr ist kann kaputt kein keine kundenservice lange
        lieferung lieferzeit mein meine meinen mit mochte muss nach nicht noch oder paket rabatt
        rechnung rucksendung schon sendung sie sind stornieren uber umtauschen und versand
        versandkosten von wann warum was welche wie will wir wird wo zahlung zu zuruck
        zurucksenden
    """,
    "fr": """
        adresse ai annuler argent arrive au aussi aux avec avez bonjour cadeau casse changer
        client code colis commande comment dans de deja des dois du echanger elle encore est et
        expedition facture frais garantie il je la le les livraison livre livree ma mais merci
        mes mon nous ou paiement par pas payer peux pour pourquoi prend puis quand que quel
        quelle quoi recu reduction rembourser remboursement retour retourner sera service suivi
        sur taille temps un une veux voudrais votre vous
    """,
}
# Letter sequences typical of a language, looked for in " word " (spaces mark the ends).
_SEQUENCES = {
    "nl": "ij aa uu oe ieu sch cht heid lijk ing_ en_ _ge _be _ver zen zij eel oor ui kk kt_",
    "en": "th wh sh ing_ ed_ ck ly_ ght tion w ay ea y_ _un",
    "de": "sch ch ung_ ei ie tz z eu au st pf hr ah eh _ge _be _ver en_",
    "fr": "eau ou oi ai qu tion_ ment ez_ es_ que_ aux_ ll eu ion iv _re",
}
# Letters that folding turns into plain ones but that were a strong hint before it.
_ACCENTED = {"de": "äöüß", "fr": "éèêàçùâîôûœ", "nl": "ëï"}

_WORD_WEIGHT = 1.0
_SEQUENCE_WEIGHT = 0.6  # what one word in no list can add at most, spread over the languages
_ACCENT_WEIGHT = 0.5
_ACCENT_MAX = 1.5  # a long French name must not outweigh the words around it
_EVIDENCE_FOR_FULL_CONFIDENCE = 2.0

LANGUAGES = tuple(_WORDS)


@dataclass(frozen=True, slots=True)
class Detection:
    """A language code and how sure, from 0 to 1; ("", 0.0) when nothing could be told."""

    language: str
    confidence: float


def detect(text: str) -> Detection:
    """The likeliest of `LANGUAGES` for a short text, bounded by the query caps in `tokens`."""
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for forms in tokens.words(text):
        _score_word(forms[0], scores)
    _score_accents(text[: tokens.MAX_QUERY_CHARS], scores)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    (language, best), (_, second) = ranked[0], ranked[1]
    if best <= 0:
        return Detection("", 0.0)
    lead = (best - second) / best
    evidence = min(1.0, best / _EVIDENCE_FOR_FULL_CONFIDENCE)
    confidence = round(lead * evidence, 3)
    return Detection(language, confidence) if confidence > 0 else Detection("", 0.0)


def _score_word(word: str, scores: dict[str, float]) -> None:
    languages = _LANGUAGES_OF_WORD.get(word)
    if languages:
        for language in languages:
            scores[language] += _WORD_WEIGHT / len(languages)
        return
    padded = f" {word} "
    hits = {
        language: sum(1 for sequence in sequences if sequence in padded)
        for language, sequences in _SEQUENCES_OF_LANGUAGE.items()
    }
    total = sum(hits.values())
    if total:
        for language, count in hits.items():
            scores[language] += _SEQUENCE_WEIGHT * count / total


def _score_accents(text: str, scores: dict[str, float]) -> None:
    lowered = text.lower()
    for language, letters in _ACCENTED.items():
        count = sum(lowered.count(letter) for letter in letters)
        scores[language] += min(_ACCENT_MAX, _ACCENT_WEIGHT * count)


def _languages_of_words(lists: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    languages: dict[str, list[str]] = {}
    for language, words in lists.items():
        for word in words.split():
            languages.setdefault(folding.fold(word), []).append(language)
    return {word: tuple(found) for word, found in languages.items()}


_LANGUAGES_OF_WORD = _languages_of_words(_WORDS)
_SEQUENCES_OF_LANGUAGE = {
    language: tuple(sequence.replace("_", " ") for sequence in sequences.split())
    for language, sequences in _SEQUENCES.items()
}
