"""Files to download with an article: manuals, size charts, care instructions."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from balie.channels.email.sniff import is_active_content, sniff_content_type
from balie.knowledge import errors
from balie.knowledge.models import Article, ArticleAttachment
from balie.tenancy.models import Shop

REFUSED_TYPES = frozenset({"application/x-msdownload", "application/x-ole-storage"})


def article_attachment_add(
    *, shop: Shop, article: Article, filename: str, content: bytes, declared_type: str = ""
) -> ArticleAttachment:
    """Keep a file with the article. The type comes from the bytes; files a browser would run
    (HTML, SVG, scripts) and programs are refused, as are files over
    `BALIE_KB_ATTACHMENT_MAX_BYTES`. The file is removed again if its row cannot be stored."""
    limit: int = settings.BALIE_KB_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise errors.AttachmentRefused(
            _("Het bestand is groter dan %(mb)s MB.") % {"mb": limit // 1_000_000}, field="file"
        )
    if not content:
        raise errors.AttachmentRefused(_("Het bestand is leeg."), field="file")
    name = filename.replace("\x00", "").replace("/", "_").replace("\\", "_").strip()[:200]
    name = name or "bijlage"
    content_type = sniff_content_type(content, declared=declared_type, filename=name)
    if is_active_content(content_type, name) or content_type in REFUSED_TYPES:
        raise errors.AttachmentRefused(
            _("Dit soort bestand kan niet bij een artikel: gebruik bijvoorbeeld een pdf."),
            field="file",
        )
    attachment = ArticleAttachment(
        shop=shop, article=article, filename=name, content_type=content_type, size=len(content)
    )
    attachment.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except BaseException:
        default_storage.delete(str(attachment.file.name))
        raise
    return attachment


@transaction.atomic
def article_attachment_delete(*, shop: Shop, attachment: ArticleAttachment) -> None:
    name = str(attachment.file.name)
    ArticleAttachment.objects.for_shop(shop).filter(pk=attachment.pk).delete()
    transaction.on_commit(lambda: default_storage.delete(name))
