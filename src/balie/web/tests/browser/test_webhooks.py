"""An admin connects a webhook in a real browser, sends a test and reads the delivery log;
the receiver is a real HTTP server that verifies the signature."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from balie.tenancy.models import Membership
from balie.webhooks.models import WebhookEndpoint
from balie.webhooks.tests import receiver as receiver_module
from balie.webhooks.tests.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings: Settings) -> Iterator[Receiver]:
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = True  # it listens on 127.0.0.1 over http
    found = Receiver()
    server = receiver_module.start(found)
    yield found
    server.shutdown()
    server.server_close()


def test_an_admin_connects_a_webhook_and_sees_the_test_arrive(
    live_server: LiveServer,
    page: Page,
    admin_agent: Membership,
    receiver: Receiver,
    run_tasks: Callable[[], int],
    results_dir: Path,
) -> None:
    # given
    page.goto(f"{live_server.url}/app/login/")
    page.get_by_label("E-mailadres").fill("beheer@pollepel.nl")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()

    # when: add a webhook from the menu's settings
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Adres (URL)").fill(receiver.url)
    page.get_by_label("Omschrijving").fill("Koppeling met ons CRM")
    page.get_by_label("Nieuw gesprek").check()
    page.get_by_label("Nieuw bericht").check()
    page.get_by_role("button", name="Webhook toevoegen").click()

    # then: the secret, once
    secret = page.get_by_role("textbox", name="Geheime sleutel").input_value()
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret
    assert endpoint.events == ["conversation.created", "message.created"]
    receiver.secret = secret

    # when: a test ping, delivered by the worker
    page.get_by_role("button", name="Test versturen").click()
    expect(page.get_by_text("De test is verstuurd")).to_be_visible()
    run_tasks()
    page.reload()

    # then
    assert [request.verified for request in receiver.received] == [True]
    row = page.get_by_role("row").filter(has_text="webhook.test")
    expect(row).to_contain_text("Afgeleverd")
    expect(row).to_contain_text("200")
    expect(page.get_by_role("textbox", name="Geheime sleutel")).to_have_count(0)
    page.screenshot(path=str(results_dir / "webhooks-detail.png"), full_page=True)
