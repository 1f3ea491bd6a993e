"""Deliveries against a real HTTP server that verifies signatures with `standardwebhooks`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
import standardwebhooks
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from balie.tenancy.models import Shop
from balie.webhooks import client, delivery, services, tasks
from balie.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from balie.webhooks.tests.conftest import CaptureCallbacks
from balie.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from balie.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

Run = Callable[[], int]


def _endpoint(shop: Shop, receiver: Receiver, **fields: object) -> WebhookEndpoint:
    fields.setdefault("url", receiver.url)
    endpoint: WebhookEndpoint = WebhookEndpointFactory(shop=shop, **fields)
    receiver.secret = endpoint.secret
    return endpoint


def _dispatch(
    endpoint: WebhookEndpoint, capture: CaptureCallbacks, data: dict[str, object] | None = None
) -> WebhookDelivery:
    with capture(execute=True):
        (created,) = services.webhook_event_dispatch(
            shop_id=endpoint.shop_id,
            event="conversation.updated",
            data=data or {"id": 1, "subject": "Retour van mijn pollepel"},
            endpoint_ids=[endpoint.pk],
        )
    return created


def test_a_delivery_is_signed_so_an_independent_library_verifies_it(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()

    # then
    (request,) = receiver.received
    assert request.verified, request.verify_error
    assert request.headers["webhook-id"] == str(sent.event_id)
    assert request.headers["user-agent"] == "Balie-Webhooks/1"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == sent.payload
    assert set(json.loads(request.body)) == {"type", "timestamp", "data"}
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_status, sent.response_body) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
        "ok",
    )
    assert sent.duration_ms is not None
    assert sent.next_attempt_at is None


def test_a_tampered_body_or_another_secret_does_not_verify(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    _dispatch(endpoint, django_capture_on_commit_callbacks, data={"id": 7, "status": "open"})
    deliver()
    (request,) = receiver.received
    tampered = request.body.replace(b'"open"', b'"closed"')
    other_secret = WebhookEndpointFactory.build().secret

    # when / then
    assert tampered != request.body
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(endpoint.secret).verify(tampered, request.headers)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(other_secret).verify(request.body, request.headers)
    standardwebhooks.Webhook(endpoint.secret).verify(request.body, request.headers)


def test_failed_attempts_are_retried_with_backoff_until_one_succeeds(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    time_passes: Callable[[], None],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver, consecutive_failures=3)
    receiver.answer(500, 503, 200)
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when: the first attempt
    deliver()

    # then: kept the answer and waits at least 5 seconds, with the task set for that moment
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_status) == (DeliveryStatus.PENDING, 1, 500)
    assert sent.response_body.startswith("kapot 500")
    assert len(sent.response_body) == delivery.RESPONSE_BODY_MAX
    assert "500" in sent.error
    assert sent.next_attempt_at is not None
    assert sent.last_attempt_at is not None
    assert sent.next_attempt_at - sent.last_attempt_at >= dt.timedelta(seconds=5)
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == sent.next_attempt_at
    assert deliver() == 0  # not due yet

    # when: the second attempt, 5 seconds later
    time_passes()
    deliver()

    # then: the next wait is 5 minutes
    sent.refresh_from_db()
    assert (sent.attempts, sent.response_status) == (2, 503)
    assert sent.next_attempt_at - sent.last_attempt_at >= dt.timedelta(minutes=5)  # type: ignore[operator]

    # when: the third attempt
    time_passes()
    deliver()

    # then
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_status, sent.error) == (
        DeliveryStatus.SUCCEEDED,
        3,
        200,
        "",
    )
    assert [request.verified for request in receiver.received] == [True, True, True]
    assert {request.headers["webhook-id"] for request in receiver.received} == {str(sent.event_id)}
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_the_retry_schedule_is_the_standard_one() -> None:
    # then
    delays = [delivery.retry_delay(attempts) for attempts in range(1, 8)]
    assert delays == [
        dt.timedelta(seconds=5),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
        dt.timedelta(hours=2),
        dt.timedelta(hours=5),
        dt.timedelta(hours=10),
        None,
    ]
    assert delivery.MAX_ATTEMPTS == 7


def test_after_the_last_attempt_the_delivery_fails_and_the_endpoint_counts_it(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    time_passes: Callable[[], None],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    receiver.answer(*[500] * delivery.MAX_ATTEMPTS)
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        time_passes()
        deliver()

    # then
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.next_attempt_at) == (
        DeliveryStatus.FAILED,
        delivery.MAX_ATTEMPTS,
        None,
    )
    assert len(receiver.received) == delivery.MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.is_active) == (1, True)


def test_an_endpoint_is_switched_off_after_50_failed_deliveries_in_a_row(
    shop: Shop, receiver: Receiver, deliver: Run
) -> None:
    # given: 49 failed before, and one more on its last attempt
    endpoint = _endpoint(shop, receiver, consecutive_failures=delivery.DISABLE_AFTER_FAILURES - 1)
    last = WebhookDeliveryFactory(endpoint=endpoint, attempts=delivery.MAX_ATTEMPTS - 1)
    WebhookDelivery.objects.filter(pk=last.pk).update(next_attempt_at=last.created_at)
    tasks.webhook_deliver.enqueue(delivery_id=last.pk)
    receiver.answer(500)

    # when
    deliver()

    # then
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (False, 50)
    assert "50 afleveringen op rij" in endpoint.disabled_reason
    last.refresh_from_db()
    assert last.status == DeliveryStatus.FAILED


def test_a_redirect_is_not_followed(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    receiver.answer("redirect")
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()

    # then
    assert [(request.method, request.path) for request in receiver.received] == [("POST", "/hook")]
    sent.refresh_from_db()
    assert (sent.status, sent.response_status) == (DeliveryStatus.PENDING, 302)
    assert "/elsewhere" in sent.error
    assert "niet gevolgd" in sent.error


def test_a_receiver_that_answers_too_late_is_a_failed_attempt(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given: a shorter limit than the real 10 seconds, so the test stays quick
    monkeypatch.setattr(client, "TIMEOUT_SECONDS", 0.5)
    endpoint = _endpoint(shop, receiver)
    receiver.answer("timeout")
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()

    # then
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_status) == (DeliveryStatus.PENDING, 1, None)
    assert "Geen antwoord binnen 0,5 seconden" in sent.error


def test_a_private_address_is_refused_before_any_request(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    settings: Settings,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given: saved while private addresses were allowed, then no longer
    endpoint = _endpoint(shop, receiver, url=receiver.url.replace("http:", "https:"))
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = False
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()

    # then
    assert receiver.received == []
    sent.refresh_from_db()
    assert sent.response_status is None
    assert "127.0.0.1" in sent.error
    assert "intern netwerk" in sent.error


def test_a_connection_refused_is_a_failed_attempt(
    shop: Shop, deliver: Run, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given: nothing listens on port 9 of the loopback address
    endpoint = WebhookEndpointFactory(shop=shop, url="http://127.0.0.1:9/hook")
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)

    # when
    deliver()

    # then
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_status) == (DeliveryStatus.PENDING, 1, None)
    assert "geweigerd" in sent.error


def test_two_tasks_for_the_same_attempt_send_it_once(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given: a second worker (or a repeated task) for the same delivery
    endpoint = _endpoint(shop, receiver)
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)
    tasks.webhook_deliver.enqueue(delivery_id=sent.pk)

    # when
    ran = deliver()

    # then
    assert ran == 2
    assert len(receiver.received) == 1
    results = sorted(
        str(result.return_value) for result in DBTaskResult.objects.filter(status="SUCCESSFUL")
    )
    assert results == ["skipped", "succeeded"]


def test_a_claimed_attempt_is_not_claimed_again(shop: Shop, receiver: Receiver) -> None:
    # given: another worker claimed it a moment ago and is still waiting for the answer
    endpoint = _endpoint(shop, receiver)
    claimed = WebhookDeliveryFactory(endpoint=endpoint, attempts=1)
    WebhookDelivery.objects.filter(pk=claimed.pk).update(
        next_attempt_at=claimed.created_at + delivery.CLAIM
    )

    # when
    outcome = delivery.webhook_delivery_attempt(delivery_id=claimed.pk)

    # then
    assert outcome == "skipped"
    assert receiver.received == []


def test_a_failed_delivery_can_be_sent_again_by_hand(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver, consecutive_failures=4)
    failed = WebhookDeliveryFactory(
        endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=delivery.MAX_ATTEMPTS
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_retry(shop=shop, delivery=failed)
    deliver()

    # then
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.SUCCEEDED, delivery.MAX_ATTEMPTS + 1)
    assert receiver.received[0].headers["webhook-id"] == str(failed.event_id)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_manual_retry_that_fails_again_is_not_counted_twice(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver, consecutive_failures=4)
    failed = WebhookDeliveryFactory(
        endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=delivery.MAX_ATTEMPTS
    )
    receiver.answer(500)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_retry(shop=shop, delivery=failed)
    deliver()

    # then: one attempt, no new schedule of retries, the count unchanged
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, delivery.MAX_ATTEMPTS + 1)
    assert len(receiver.received) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 4


def test_a_test_ping_is_one_attempt_and_never_counts_as_a_failure(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    receiver.answer(500)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        ping = services.webhook_test_send(shop=shop, endpoint=endpoint)
    deliver()

    # then
    ping.refresh_from_db()
    assert (ping.status, ping.attempts, ping.event) == (DeliveryStatus.FAILED, 1, "webhook.test")
    assert json.loads(receiver.received[0].body)["type"] == "webhook.test"
    assert receiver.received[0].verified
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_delivery_whose_endpoint_was_deleted_does_nothing(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    _dispatch(endpoint, django_capture_on_commit_callbacks)
    services.webhook_endpoint_delete(shop=shop, endpoint=endpoint)

    # when
    deliver()

    # then
    assert receiver.received == []
    assert DBTaskResult.objects.get().return_value == "skipped"


def test_a_delivery_to_an_endpoint_switched_off_meanwhile_fails_without_a_request(
    shop: Shop,
    receiver: Receiver,
    deliver: Run,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = _endpoint(shop, receiver)
    sent = _dispatch(endpoint, django_capture_on_commit_callbacks)
    services.webhook_endpoint_update(shop=shop, endpoint=endpoint, is_active=False)

    # when
    deliver()

    # then
    assert receiver.received == []
    sent.refresh_from_db()
    assert (sent.status, sent.error) == (DeliveryStatus.FAILED, "De webhook staat uit.")
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_stranded_delivery_is_resumed_by_the_sweep(
    shop: Shop, receiver: Receiver, deliver: Run
) -> None:
    # given: pending for ten minutes without a task (a worker died mid-attempt)
    endpoint = _endpoint(shop, receiver)
    stranded = WebhookDeliveryFactory(endpoint=endpoint, attempts=1)
    WebhookDelivery.objects.filter(pk=stranded.pk).update(
        next_attempt_at=stranded.created_at - dt.timedelta(minutes=10)
    )

    # when
    resumed = tasks.webhook_deliveries_resume.call()
    deliver()

    # then
    assert resumed == 1
    stranded.refresh_from_db()
    assert (stranded.status, stranded.attempts) == (DeliveryStatus.SUCCEEDED, 2)


def test_old_finished_deliveries_are_pruned_and_pending_ones_kept(shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    old = WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.SUCCEEDED)
    old_pending = WebhookDeliveryFactory(endpoint=endpoint)
    recent = WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.FAILED)
    long_ago = old.created_at - tasks.LOG_RETENTION - dt.timedelta(days=1)
    WebhookDelivery.objects.filter(pk__in=[old.pk, old_pending.pk]).update(created_at=long_ago)

    # when
    pruned = tasks.webhook_deliveries_prune.call()

    # then
    assert pruned == 1
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {old_pending.pk, recent.pk}
