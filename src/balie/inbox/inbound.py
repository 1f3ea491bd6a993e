"""The one shape every channel adapter delivers into the inbox.

Email, chat, web forms, WhatsApp/Messenger/Instagram and call-back requests each convert their
outside format into an `InboundMessage`; `inbox.services.message_receive` takes it from there
(dedupe on `external_id`, threading, customer and conversation, attachments). Adapters never
write inbox rows themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    # Sniffed from the bytes where possible, not trusted from the sender.
    content_type: str
    content: bytes
    # Set when the attachment was refused (too large, dangerous type); content is then empty.
    rejected_reason: str = ""
    # The part's Content-ID without angle brackets, for inline images the HTML shows as
    # "cid:…" (the only images the sanitised HTML keeps); blank for ordinary attachments.
    content_id: str = ""
    # The name of a file in Django's default storage that already holds the content (written
    # ahead by an import's parse worker: `intake.files_store_ahead`); `content` is then empty
    # and `stored_size` its length.
    stored_as: str = ""
    stored_size: int = 0

    @property
    def size(self) -> int:
        return self.stored_size if self.stored_as else len(self.content)


@dataclass(frozen=True)
class InboundMessage:
    channel: str  # "email", "chat", "form", "whatsapp", …
    # The channel's own id for this message (an email's Message-ID); delivering the same id
    # twice stores the message once. Adapters make one up from a content hash when missing.
    external_id: str
    sender_address: str  # email address, phone number or channel user id
    sender_name: str = ""
    # The shop's own address on the channel this arrived at (the mailbox address, a WhatsApp
    # number id); a new conversation remembers it so replies leave from the same address.
    account: str = ""
    # Written by the shop itself (its own address as sender, as in an imported mailbox
    # history or a reply sent from another mail program): stored as outbound, threads the
    # same way, never re-opens a conversation. `sender_address` is then the shop's address
    # and `recipients[0]` the customer's.
    from_shop: bool = False
    subject: str = ""
    text: str = ""  # plain text as sent (quotes and signatures included)
    html: str = ""  # the sender's HTML, unsanitised; the inbox sanitises before storing
    sent_at: dt.datetime | None = None
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    attachments: tuple[InboundAttachment, ...] = ()
    # Auto-replies, bounces and mailer-daemons: stored, but never answered automatically.
    is_automated: bool = False
    automated_reason: str = ""
    language: str = ""  # as declared by the channel (Content-Language), if any
    # Problems the adapter found but survived (bad charset, broken MIME part), for agents.
    parse_warnings: tuple[str, ...] = ()
    raw: bytes | None = field(default=None, repr=False)  # the original, kept for audit
    # The original already in Django's default storage under this name (see
    # `InboundAttachment.stored_as`); `raw` is then None.
    raw_stored_as: str = ""
    # The team the channel hands new conversations to (a mailbox's team); None: the shop's
    # default team. An id of another shop's team is ignored.
    team_id: int | None = None
