"""Two workers delivering the same message at the same moment: it goes out once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import services
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Membership, Shop


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_attempt_send_the_message_once(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox, smtp_server: SmtpServer
) -> None:
    # given a queued reply
    conversation = services.message_receive(
        shop=shop, inbound=inbound_email(), history=True
    ).conversation
    message = services.reply_send(shop=shop, conversation=conversation, author=agent, text="Hoi!")
    workers = 4
    start = threading.Barrier(workers)

    def deliver(_number: int) -> str:
        start.wait()
        try:
            return services.message_deliver(shop=shop, message_id=message.pk, attempt=0)
        finally:
            connection.close()

    # when they all try at once
    with ThreadPoolExecutor(workers) as pool:
        outcomes = sorted(pool.map(deliver, range(workers)))

    # then exactly one sent it
    assert outcomes == ["sent"] + ["skipped"] * (workers - 1)
    assert len(smtp_server.received) == 1
