"""The knowledge base: topics, articles in one or more languages, their versions, files,
feedback and the places in the shop where they show.

An `Article` is the idea ("how do I return something"); each language is an
`ArticleTranslation` with its own title, Markdown body, status and counters, and every save of
one is an `ArticleVersion`. Searches and the assistant read published translations of
articles that are not internal; agents also see internal ones.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from balie.core.models import ShopScopedModel


class Topic(ShopScopedModel):
    """A shop-defined subject (retourneren, betalen, bezorgen…): the help center's sections."""

    slug = models.SlugField(_("korte naam"), max_length=60)
    name = models.CharField(_("naam"), max_length=80)
    # The name in the shop's other languages: {"en": "Returns"}.
    names = models.JSONField(_("naam in andere talen"), default=dict, blank=True)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        # "onderwerp" is also a conversation's subject: the context keeps the two apart.
        verbose_name = pgettext_lazy("kennisbank", "onderwerp")
        verbose_name_plural = pgettext_lazy("kennisbank", "onderwerpen")
        ordering = ("position", "name")
        constraints = [
            models.UniqueConstraint(fields=("shop", "slug"), name="knowledge_topic_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def name_in(self, locale: str) -> str:
        name = self.names.get(locale) if isinstance(self.names, dict) else None
        return name if isinstance(name, str) and name else self.name


class Article(ShopScopedModel):
    key = models.SlugField(
        _("sleutel"),
        max_length=80,
        help_text=_(
            "Vaste naam voor import, export en koppelingen, bijvoorbeeld retour-aanmelden."
        ),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    is_internal = models.BooleanField(
        _("alleen voor medewerkers"),
        default=False,
        help_text=_("Interne artikelen staan niet in het helpcentrum en de assistent."),
    )
    related = models.ManyToManyField("self", symmetrical=False, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")
        ordering = ("position", "key")
        constraints = [
            models.UniqueConstraint(fields=("shop", "key"), name="knowledge_article_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")


class ArticleTranslation(ShopScopedModel):
    """One language of an article; what the help center shows and the index reads."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    locale = models.CharField(_("taal"), max_length=8)
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("adres"), max_length=120, allow_unicode=False)
    body = models.TextField(_("tekst (Markdown)"), blank=True)
    # The body rendered and sanitised when saved (knowledge.markdown); never rendered per view.
    body_html = models.TextField(blank=True, editable=False)
    tags = models.JSONField(_("trefwoorden"), default=list, blank=True)
    # Other ways shoppers ask for this article; the search and the assistant read them.
    questions = models.JSONField(_("ook gevraagd als"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    view_count = models.PositiveIntegerField(_("weergaven"), default=0)
    helpful_count = models.PositiveIntegerField(_("geholpen"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("niet geholpen"), default=0)

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        ordering = ("article__position", "article__key", "locale")
        constraints = [
            models.UniqueConstraint(
                fields=("article", "locale"), name="knowledge_translation_locale_unique"
            ),
            models.UniqueConstraint(
                fields=("shop", "locale", "slug"), name="knowledge_translation_slug_unique"
            ),
        ]
        indexes = [models.Index(fields=("shop", "status", "locale"))]

    def __str__(self) -> str:
        return f"{self.title} ({self.locale})"

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleVersion(ShopScopedModel):
    """A translation as it was saved: history to compare and restore."""

    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst (Markdown)"), blank=True)
    tags = models.JSONField(_("trefwoorden"), default=list, blank=True)
    questions = models.JSONField(_("ook gevraagd als"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ArticleStatus.choices)
    author = models.ForeignKey(
        "tenancy.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ("translation", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("translation", "number"), name="knowledge_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.translation_id} v{self.number}"


def attachment_upload_to(instance: ArticleAttachment, filename: str) -> str:
    # A random name: the original is kept in `filename` and given back on download.
    return f"knowledge/{instance.shop_id}/{uuid.uuid4().hex}"


class ArticleAttachment(ShopScopedModel):
    """A file to download with an article (a manual as PDF)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ("article", "filename")

    def __str__(self) -> str:
        return self.filename


class ArticleFeedback(ShopScopedModel):
    """An answer to "Heeft dit je geholpen?", with an optional comment."""

    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="feedback"
    )
    helpful = models.BooleanField(_("geholpen"))
    comment = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.translation_id}: {'+' if self.helpful else '-'}"


class PageType(models.TextChoices):
    PRODUCT = "product", _("Productpagina")
    CART = "cart", _("Winkelwagen")
    CHECKOUT = "checkout", _("Afrekenen")
    ORDER_STATUS = "order_status", _("Bestelstatus")


class Placement(ShopScopedModel):
    """Where an article shows as a frequently asked question: on pages whose path matches a
    pattern (`/checkout*`), on a kind of page, or on pages of a product category. One of the
    three per row."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="placements")
    url_pattern = models.CharField(_("adrespatroon"), max_length=200, blank=True)
    page_type = models.CharField(
        _("soort pagina"), max_length=16, choices=PageType.choices, blank=True
    )
    category = models.CharField(_("productcategorie"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(url_pattern__gt="", page_type="", category="")
                    | Q(url_pattern="", page_type__gt="", category="")
                    | Q(url_pattern="", page_type="", category__gt="")
                ),
                name="knowledge_placement_one_rule",
            )
        ]

    def __str__(self) -> str:
        return self.url_pattern or self.page_type or self.category


# The confidence from which the assistant answers, chosen on the evaluation's dev split for the
# best out-of-scope F1 (bench/assistant_eval.py --fit); each shop may set its own.
DEFAULT_ANSWER_THRESHOLD = 0.5


class KnowledgeSettings(models.Model):
    """Per shop: what the search index depends on besides the articles, and the assistant's
    confidence threshold. `index_version` goes up with every change an index reads, so each
    process knows when its cached index is stale (knowledge.index)."""

    shop = models.OneToOneField(
        "tenancy.Shop", on_delete=models.CASCADE, related_name="knowledge_settings"
    )
    index_version = models.PositiveBigIntegerField(default=0)
    synonyms = models.TextField(
        _("synoniemen"),
        blank=True,
        help_text=_("Eén groep per regel, gescheiden door komma's: terugsturen, retourneren."),
    )
    answer_threshold = models.FloatField(
        _("drempel voor een antwoord"),
        default=DEFAULT_ANSWER_THRESHOLD,
        help_text=_(
            "Onder deze zekerheid (0 tot 1) vraagt de assistent door of geeft hij het gesprek "
            "aan een collega."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instellingen kennisbank")
        verbose_name_plural = _("instellingen kennisbank")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_threshold__gte=0, answer_threshold__lte=1),
                name="knowledge_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} v{self.index_version}"

    def synonym_groups(self) -> list[list[str]]:
        groups = []
        for line in self.synonyms.splitlines():
            words = [word.strip() for word in line.split(",") if word.strip()]
            if len(words) > 1:
                groups.append(words)
        return groups
