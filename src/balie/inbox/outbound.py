"""What Balie sends by itself, as channels see it on an outbound `Message`.

Agents' replies are ordinary outbound messages. Messages Balie sends without an agent are
stored with `is_automated=True` and one of these codes in `automated_reason`, so the channel
marks them as machine-made (email: `Auto-Submitted`), they never count as a first response,
and the loop guard recognises them. Inbound automated messages keep a Dutch reason there
instead (see `channels.email.automated`); the codes below never collide with those.
"""

from __future__ import annotations

# The acknowledgement of a new question, with the expected response time (RFC 3834:
# "auto-replied").
AUTO_REPLY = "auto_reply"
# The satisfaction survey after resolving (RFC 3834: "auto-generated", it answers nothing).
CSAT = "csat"
# A copy by email of chat replies the customer did not read in the chat (`assistant.chat`).
CHAT_COPY = "chat_copy"
OWN_AUTOMATED = frozenset({AUTO_REPLY, CSAT, CHAT_COPY})
