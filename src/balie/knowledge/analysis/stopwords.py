"""Words that say nothing about which article a shopper wants, per language, already folded.

Short lists written for shop questions ("waar is mijn pakket", "how do I return my order"):
pronouns, articles, prepositions, auxiliaries, question words and greetings. Question words
are here because a knowledge base answers them all; the topic is in the other words. Negations
("niet", "not", "kein") are listed too: they rarely tell two articles apart.
"""

from __future__ import annotations

from collections.abc import Mapping

_DUTCH = """
aan al alle alleen als alstublieft aub ben bent bij dag dan dank dat de deze die dit doe doen
doet door dus een eens en er erg even geen graag had heb hebben hebt heeft hem het hier hij hoe
hoi hallo hun ik in is ja je jij jou jouw kan kun kunnen kunt maar me mee meer mij mijn moet
moeten mogelijk mag met na naar nee niet nog nu of om omdat ons onze ook op over te tot u uit
uw van veel voor waar waarom wanneer want was wat we wel welk welke wie wij wil willen wilt
word worden wordt ze zal zij zijn zo zou zouden
"""
_ENGLISH = """
about am an and any are as at be been but by can could did do does dont for from get got had
has have hello hey hi how if im in into is it its me my no not of on or our please so than
thanks that the their them then there these they this those to us was we were what when where
which who why will with would you your
"""
_GERMAN = """
aber alle als am an auch auf aus bei bin bist bitte da dann das dass dem den der des dich die
dir du ein eine einem einen einer er es fur gibt habe haben hallo hast hat ich ihr ihre im in
ist ja kann kein keine konnen mein meine meinem meinen meiner mich mir mit muss nach nein nicht
noch oder schon sein sie sind uber um und uns unser von vom war warum was wenn wer werden wie
wir wird wo zu zum zur
"""
_FRENCH = """
ai au aux avec avez avoir avons bonjour ce ces cet cette comment dans de des du elle elles en
est et etre il ils je la le les leur ma mais me merci mes moi mon ne nous on ont ou par pas
peut plus pour pourquoi puis quand que quel quelle qui quoi sa sans se ses son sont sur svp ta
te tes ton tu un une vos votre vous
"""

STOPWORDS: Mapping[str, frozenset[str]] = {
    "nl": frozenset(_DUTCH.split()),
    "en": frozenset(_ENGLISH.split()),
    "de": frozenset(_GERMAN.split()),
    "fr": frozenset(_FRENCH.split()),
}


def is_stopword(word: str, language: str) -> bool:
    """Whether the folded word is a stopword of the language ("" and others: none are)."""
    return word in STOPWORDS.get(language, frozenset())
