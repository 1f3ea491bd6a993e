"""`reply_send`: an agent answers the customer, on the conversation's own channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.channels.email import attachments as email_attachments
from balie.channels.email import sniff
from balie.inbox import errors, search, subjects
from balie.inbox.models import Attachment, Conversation, Direction, EventKind, Message
from balie.inbox.services import outbound, sla, trail
from balie.tenancy.models import ContactChannel, Membership, Shop

# What mail servers take: most refuse messages over 25-35 MB, and base64 adds a third.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
ATTACHMENTS_TOTAL_MAX_BYTES = 25 * 1024 * 1024
ATTACHMENTS_MAX_COUNT = 20
TEXT_MAX_CHARS = 100_000


@dataclass(frozen=True)
class _Upload:
    filename: str
    content_type: str
    content: bytes


def reply_send(
    *,
    shop: Shop,
    conversation: Conversation,
    author: Membership,
    text: str,
    attachments: Sequence[UploadedFile[bytes]] = (),
    now: dt.datetime | None = None,
) -> Message:
    """Send `text` (and files) by `author` to the conversation's customer; returns the
    queued outbound message.

    - Refused before anything is stored: no text and no files, text over 100,000 characters,
      a file over 25 MB or files over 25 MB together (`AttachmentRefused`, with the name and
      size in the message), a shop that cannot send on the channel (`ChannelNotConfigured`)
      or a customer without an address (`RecipientMissing`).
    - File types are sniffed from the bytes, names cleaned; files go to storage under random
      names (removed again when the transaction fails).
    - The first reply that is not automated sets `first_responded_at`. Writes a MESSAGE_SENT
      event and tells the agents live; the delivery is queued after the commit and retried
      by `outbound.message_deliver`. Locks the conversation row.
    """
    if conversation.shop_id != shop.pk or author.shop_id != shop.pk:
        raise ValueError("conversation and author must belong to the shop")
    now = now or timezone.now()
    text = text.strip()
    if len(text) > TEXT_MAX_CHARS:
        raise errors.ReplyTooLong(
            _("Je antwoord is te lang (meer dan %(max)s tekens).") % {"max": "100.000"},
            field="text",
        )
    if attachments and conversation.channel == ContactChannel.CHAT:
        raise errors.AttachmentRefused(
            _("In een chat kun je geen bijlagen sturen. Zet de link in je bericht."),
            field="attachments",
        )
    uploads = _read_uploads(attachments)
    if not text and not uploads:
        raise errors.ReplyEmpty(
            _("Schrijf eerst een antwoord of voeg een bijlage toe."), field="text"
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _send(
                shop=shop,
                conversation=conversation,
                author=author,
                text=text,
                uploads=uploads,
                now=now,
                stored=stored,
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _send(
    *,
    shop: Shop,
    conversation: Conversation,
    author: Membership,
    text: str,
    uploads: list[_Upload],
    now: dt.datetime,
    stored: list[str],
) -> Message:
    conversation = Conversation.objects.for_shop(shop).select_for_update().get(pk=conversation.pk)
    message = outbound.outbound_message_new(
        shop=shop,
        conversation=conversation,
        author=author,
        text=text,
        subject=subjects.reply_subject(conversation.subject, reference=conversation.reference),
        now=now,
    )
    search.message_indexed(message)
    rows = []
    for upload in uploads:
        row = Attachment(
            shop=shop,
            message=message,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.content),
        )
        row.file.save("attachment", ContentFile(upload.content), save=False)
        stored.append(str(row.file.name))
        rows.append(row)
    Attachment.objects.bulk_create(rows)
    conversation.first_responded_at = conversation.first_responded_at or now
    conversation.last_message_at = max(conversation.last_message_at, now)
    conversation.save(update_fields=["first_responded_at", "last_message_at", "updated_at"])
    sla.conversation_sla_refresh(conversation=conversation, now=now)
    trail.event(
        conversation,
        EventKind.MESSAGE_SENT,
        actor=author,
        message_id=message.pk,
        channel=message.channel,
        attachments=len(rows),
    ).save()
    trail.publish(
        conversation, "message.created", message_id=message.pk, direction=Direction.OUTBOUND
    )
    return message


def _read_uploads(files: Sequence[UploadedFile[bytes]]) -> list[_Upload]:
    """The files, checked by size before a byte is read; type sniffed, name cleaned."""
    if len(files) > ATTACHMENTS_MAX_COUNT:
        raise errors.AttachmentRefused(
            _("Je kunt hooguit %(count)d bijlagen tegelijk versturen.")
            % {"count": ATTACHMENTS_MAX_COUNT},
            field="attachments",
        )
    total = 0
    for file in files:
        size = file.size or 0
        name = file.name or ""
        if size > ATTACHMENT_MAX_BYTES:
            raise errors.AttachmentRefused(
                _("%(name)s is te groot om te versturen: %(reason)s.")
                % {
                    "name": name,
                    "reason": email_attachments.too_large_reason(
                        size=size, limit=ATTACHMENT_MAX_BYTES
                    ),
                },
                field="attachments",
            )
        total += size
    if total > ATTACHMENTS_TOTAL_MAX_BYTES:
        raise errors.AttachmentRefused(
            _("De bijlagen zijn samen te groot om te versturen: %(reason)s.")
            % {
                "reason": email_attachments.total_too_large_reason(
                    limit=ATTACHMENTS_TOTAL_MAX_BYTES
                )
            },
            field="attachments",
        )
    uploads: list[_Upload] = []
    for number, file in enumerate(files, start=1):
        file.seek(0)
        # Read one byte past the limit: a file whose declared size lied is still refused.
        content = file.read(ATTACHMENT_MAX_BYTES + 1)
        if len(content) > ATTACHMENT_MAX_BYTES:
            raise errors.AttachmentRefused(
                _("%(name)s is te groot om te versturen.") % {"name": file.name or ""},
                field="attachments",
            )
        if not content:
            raise errors.AttachmentRefused(
                _("%(name)s is leeg.") % {"name": file.name or ""}, field="attachments"
            )
        declared = file.content_type or sniff.OCTET_STREAM
        name = file.name or ""
        content_type = sniff.sniff_content_type(content, declared=declared, filename=name)
        uploads.append(
            _Upload(
                filename=email_attachments.clean_filename(
                    name, number=number, content_type=content_type
                ),
                content_type=content_type,
                content=content,
            )
        )
    if sum(len(upload.content) for upload in uploads) > ATTACHMENTS_TOTAL_MAX_BYTES:
        raise errors.AttachmentRefused(
            _("De bijlagen zijn samen te groot om te versturen: %(reason)s.")
            % {
                "reason": email_attachments.total_too_large_reason(
                    limit=ATTACHMENTS_TOTAL_MAX_BYTES
                )
            },
            field="attachments",
        )
    return uploads
