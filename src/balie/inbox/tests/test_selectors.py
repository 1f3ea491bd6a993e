"""Reads: inbox lists by status, assignee and words; one conversation only for its shop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from balie.customers.tests.factories import CustomerFactory
from balie.inbox import selectors
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_latest_message_first_and_only_the_shops_own(
    shop: Shop, other_shop: Shop
) -> None:
    # given
    now = timezone.now()
    older = ConversationFactory(shop=shop, last_message_at=now - dt.timedelta(hours=2))
    newer = ConversationFactory(shop=shop, last_message_at=now)
    ConversationFactory(shop=other_shop, last_message_at=now)

    # when
    listed = list(selectors.conversation_list(shop=shop))

    # then
    assert listed == [newer, older]


def test_the_list_filters_on_status_and_assignee(shop: Shop, agent: Membership) -> None:
    # given
    mine = ConversationFactory(shop=shop, assignee=agent)
    ConversationFactory(shop=shop, assignee=agent, status="resolved")
    nobodys = ConversationFactory(shop=shop)

    # when
    open_mine = list(selectors.conversation_list(shop=shop, status="open", assignee=agent))
    unassigned = list(selectors.conversation_list(shop=shop, unassigned=True))

    # then
    assert open_mine == [mine]
    assert unassigned == [nobodys]


def test_words_match_subject_reference_and_customer(shop: Shop) -> None:
    # given
    customer = CustomerFactory(shop=shop, first_name="Fenna", email="fenna@example.nl")
    by_customer = ConversationFactory(shop=shop, customer=customer, subject="Vraag")
    by_subject = ConversationFactory(shop=shop, subject="Kapotte pollepel")
    by_reference = ConversationFactory(shop=shop, reference="K7M2QX9A", subject="Iets")

    # when / then
    assert list(selectors.conversation_list(shop=shop, q="fenna")) == [by_customer]
    assert list(selectors.conversation_list(shop=shop, q="kapotte POLLEPEL")) == [by_subject]
    assert list(selectors.conversation_list(shop=shop, q="[#k7m2qx9a]")) == [by_reference]


def test_the_list_takes_one_query_with_customers_and_assignees(
    shop: Shop, agent: Membership, django_assert_num_queries: object
) -> None:
    # given
    ConversationFactory.create_batch(5, shop=shop, assignee=agent)

    # when / then
    with django_assert_num_queries(1):  # type: ignore[operator]
        for conversation in selectors.conversation_list(shop=shop):
            assert conversation.customer.email
            assert conversation.assignee is not None
            assert conversation.assignee.user.email


def test_another_shops_conversation_is_not_found(shop: Shop, other_shop: Shop) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop)

    # when / then
    with pytest.raises(Http404):
        selectors.access_conversation(shop=shop, conversation_id=theirs.pk)
    assert selectors.access_conversation(shop=other_shop, conversation_id=theirs.pk) == theirs


def test_settings_have_defaults_before_the_shop_changes_them(shop: Shop) -> None:
    # when
    settings = selectors.inbox_settings_get(shop=shop)

    # then
    assert settings.pk is None
    assert settings.thread_window_hours == 72
