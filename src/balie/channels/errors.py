"""Domain errors of the channels, each with a machine code the API turns into problem JSON."""

from __future__ import annotations

from balie.core.errors import DomainError


class ChannelNotConfigured(DomainError):
    """The shop has no way (yet) to send on the conversation's channel, e.g. no mailbox with
    an SMTP server; an administrator can fix it in the settings."""

    code = "channel_not_configured"
    status = 409


class RecipientMissing(DomainError):
    """The customer has no address on the channel to send to."""

    code = "recipient_missing"
    status = 422


class MailboxInvalid(DomainError):
    """A mailbox setting that cannot work: a blank server, a port out of range, a team of
    another shop; `field` names it."""

    code = "mailbox_invalid"
    status = 422


class MailboxAddressTaken(DomainError):
    code = "mailbox_address_taken"
    status = 409


class MailboxConnectionFailed(DomainError):
    """Saving needs the IMAP server: Balie reads where new mail starts. The message says why
    signing in failed (see `channels.email.diagnosis`)."""

    code = "mailbox_connection_failed"
    status = 422
