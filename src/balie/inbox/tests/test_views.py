"""The agent workspace pages: the inbox views, a conversation and what agents do there."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.core.tests.corpora import CORPORA, require
from balie.inbox import services
from balie.inbox.inbound import InboundAttachment
from balie.inbox.models import Attachment, Conversation, Notification
from balie.inbox.tests.factories import ConversationFactory, MessageFactory, inbound_email
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory, office_hours

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_inbox_lists_the_shops_open_conversations_newest_first(
    agent_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    now = timezone.now()
    ConversationFactory(shop=shop, subject="Oudere vraag", last_message_at=now - dt.timedelta(1))
    ConversationFactory(shop=shop, subject="Nieuwe vraag", last_message_at=now)
    ConversationFactory(shop=shop, subject="Al opgelost", status="resolved")
    ConversationFactory(shop=other_shop, subject="Vraag bij een andere winkel")

    # when
    html = page(agent_client, "/app/inbox/?view=all")

    # then
    assert html.index("Nieuwe vraag") < html.index("Oudere vraag")
    assert "Al opgelost" not in html
    assert "andere winkel" not in html


def test_each_view_holds_what_its_name_says(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    team = TeamFactory(shop=shop, name="Retouren")
    team.members.add(agent)
    ConversationFactory(shop=shop, subject="Voor mij", assignee=agent)
    ConversationFactory(shop=shop, subject="Voor niemand")
    ConversationFactory(
        shop=shop, subject="Voor het team", team=team, assignee=MembershipFactory(shop=shop)
    )
    ConversationFactory(
        shop=shop, subject="Bijna te laat", sla_due_at=timezone.now() + dt.timedelta(minutes=20)
    )

    # when
    mine = page(agent_client, "/app/inbox/")
    unassigned = page(agent_client, "/app/inbox/?view=unassigned")
    teams = page(agent_client, "/app/inbox/?view=team")
    breaching = page(agent_client, "/app/inbox/?view=breaching")

    # then
    assert "Voor mij" in mine
    assert "Voor niemand" not in mine
    assert "Voor niemand" in unassigned
    assert "Voor mij" not in unassigned
    assert "Voor het team" in teams
    assert "Voor niemand" not in teams
    assert "Bijna te laat" in breaching
    assert "Voor mij" not in breaching
    assert "nog 20 minuten" in breaching or "nog 19 minuten" in breaching


def test_the_list_filters_by_status_channel_priority_and_tag(
    agent_client: Client, shop: Shop
) -> None:
    # given
    tagged = ConversationFactory(shop=shop, subject="Met label")
    services.conversation_tag(shop=shop, conversation=tagged, actor=None, add=["retour"])
    ConversationFactory(shop=shop, subject="Dringend", priority="urgent")
    ConversationFactory(shop=shop, subject="Wachtend", status="pending")
    ConversationFactory(shop=shop, subject="Via chat", channel="chat")

    # when / then
    assert "Met label" in page(agent_client, "/app/inbox/?view=all&tag=retour")
    assert "Dringend" not in page(agent_client, "/app/inbox/?view=all&tag=retour")
    assert "Dringend" in page(agent_client, "/app/inbox/?view=all&priority=urgent")
    assert "Wachtend" in page(agent_client, "/app/inbox/?view=all&status=pending")
    assert "Wachtend" in page(agent_client, "/app/inbox/?view=all&status=any")
    assert "Via chat" not in page(agent_client, "/app/inbox/?view=all&channel=email")


def test_search_finds_words_in_messages_and_returns_only_the_rows_for_htmx(
    agent_client: Client, shop: Shop
) -> None:
    # given
    services.message_receive(
        shop=shop, inbound=inbound_email(subject="Vraag", text="Mijn gietijzeren pan roest")
    )
    services.message_receive(
        shop=shop, inbound=inbound_email(sender_address="ander@x.nl", subject="Iets anders")
    )

    # when
    response = agent_client.get(
        "/app/inbox/?view=all&q=gietijzer&partial=rows", headers={"HX-Request": "true"}
    )

    # then
    html = response.content.decode()
    assert "Vraag" in html
    assert "Iets anders" not in html
    assert "<html" not in html  # only the rows


def test_bad_filter_values_fall_back_to_the_default_view(agent_client: Client, shop: Shop) -> None:
    # given
    ConversationFactory(shop=shop, subject="Gewoon open")

    # when
    for query in (
        "view=nope",
        "status=<script>",
        "team=abc",
        "page=-3",
        "page=999999999",
        "q=" + "x" * 5000,
    ):
        response = agent_client.get(f"/app/inbox/?{query}")

        # then
        assert response.status_code == 200, query
        assert b"<script>" not in response.content


def test_the_list_takes_the_same_number_of_queries_for_five_or_fifty_rows(
    agent_client: Client, shop: Shop, agent: Membership, django_assert_max_num_queries: object
) -> None:
    # given
    for _ in range(5):
        services.message_receive(shop=shop, inbound=inbound_email(sender_address=f"{_}@x.nl"))
    page(agent_client, "/app/inbox/?view=all")  # warm the session and permissions
    ConversationFactory.create_batch(45, shop=shop, assignee=agent)

    # when / then: session, sign-in checks, choices, the page with previews, tags, the view
    # counts and the layout's bell; none of them per row
    with django_assert_max_num_queries(18):  # type: ignore[operator]
        page(agent_client, "/app/inbox/?view=all")


def test_each_row_shows_its_own_tags_in_order_and_escaped(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given two conversations, one with three tags (one of them looks like HTML), one without
    tagged = services.message_receive(
        shop=shop, inbound=inbound_email(sender_address="a@x.nl", subject="Met labels")
    ).conversation
    services.message_receive(
        shop=shop, inbound=inbound_email(sender_address="b@x.nl", subject="Zonder labels")
    )
    services.conversation_tag(
        shop=shop, conversation=tagged, actor=agent, add=["retour", "<b>vip</b>", "Actie"]
    )

    # when
    html = page(agent_client, "/app/inbox/?view=all")

    # then
    rows = html.split('<li class="conversation-row')[1:]
    with_tags = next(row for row in rows if "Met labels" in row)
    without = next(row for row in rows if "Zonder labels" in row)
    assert re.findall(r'badge--tag">([^<]*)<', with_tags) == [
        "&lt;b&gt;vip&lt;/b&gt;",
        "Actie",
        "retour",
    ]
    assert "badge--tag" not in without


def test_the_conversation_shows_messages_notes_events_and_the_customer(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            text="Waar is mijn pakket?\n\nOp 1 dec. 2026 om 10:00 schreef Winkel <w@x.nl>:\n> Oud",
            html="<p>Waar is <b>mijn</b> pakket?</p><script>alert('x')</script>",
        ),
    )
    conversation = received.conversation
    services.note_add(shop=shop, conversation=conversation, author=agent, text="Even nakijken")
    services.conversation_set_priority(
        shop=shop, conversation=conversation, priority="high", actor=agent
    )

    # when
    html = page(agent_client, f"/app/inbox/{conversation.pk}/")

    # then
    assert "Waar is mijn pakket?" in html
    assert "Eerdere berichten en handtekening" in html  # the quote is folded away
    assert "Even nakijken" in html
    assert "zette de prioriteit op hoog" in html
    assert conversation.customer.email in html
    # the HTML version only inside a sandboxed frame, escaped, without its script
    assert 'sandbox=""' in html
    assert "<script>alert" not in html
    assert "alert(&#x27;x&#x27;)" not in html


def test_another_shops_conversation_is_not_found(agent_client: Client, other_shop: Shop) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop)

    # when / then
    assert agent_client.get(f"/app/inbox/{theirs.pk}/").status_code == 404
    assert (
        agent_client.post(f"/app/inbox/{theirs.pk}/status/", {"status": "closed"}).status_code
        == 404
    )


def test_script_in_a_message_is_shown_as_text(agent_client: Client, shop: Shop) -> None:
    # given
    payloads = require(CORPORA / "xss").glob("*.txt")
    lines = [line for path in payloads for line in path.read_text(errors="replace").splitlines()]
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(subject="<img src=x onerror=alert(1)>", text="\n".join(lines[:300])),
    )

    # when
    html = page(agent_client, f"/app/inbox/{received.conversation.pk}/")

    # then
    assert "<img src=x onerror" not in html
    assert "onerror=alert(1)>" not in html.replace("&gt;", ">").split("<title>")[0]


def test_opening_a_conversation_marks_its_notifications_read(
    client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    colleague = MembershipFactory(shop=shop, user__email="bram@pollepel.nl")
    conversation = ConversationFactory(shop=shop)
    services.note_add(shop=shop, conversation=conversation, author=agent, text="@bram kijk even")
    client.force_login(colleague.user)
    assert "bell__count" in page(client, "/app/meldingen/")

    # when
    page(client, f"/app/inbox/{conversation.pk}/")

    # then
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_viewer_can_read_but_not_change(shop: Shop, client: Client) -> None:
    # given
    viewer = MembershipFactory(shop=shop, role=Role.VIEWER)
    conversation = ConversationFactory(shop=shop)
    client.force_login(viewer.user)

    # when
    html = page(client, f"/app/inbox/{conversation.pk}/")
    response = client.post(f"/app/inbox/{conversation.pk}/status/", {"status": "closed"})

    # then
    assert "Notitie opslaan" not in html
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_status_changes_and_snoozes_until_the_shops_next_opening(
    agent_client: Client, shop: Shop
) -> None:
    # given
    office_hours(shop)
    conversation = ConversationFactory(shop=shop)

    # when
    agent_client.post(
        f"/app/inbox/{conversation.pk}/status/", {"status": "snoozed", "snooze": "tomorrow"}
    )

    # then
    conversation.refresh_from_db()
    assert conversation.status == "snoozed"
    assert conversation.snoozed_until is not None
    local = timezone.localtime(conversation.snoozed_until, shop.tz)
    assert (local.hour, local.minute) == (9, 0)
    assert local.date() == timezone.localtime(timezone.now(), shop.tz).date() + dt.timedelta(1)


def test_a_snooze_in_the_past_is_refused_with_a_message(agent_client: Client, shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = agent_client.post(
        f"/app/inbox/{conversation.pk}/status/",
        {"status": "snoozed", "snooze": "custom", "snooze_until": "2001-01-01T09:00"},
        follow=True,
    )

    # then
    assert "Kies een moment in de toekomst" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_assigning_to_me_someone_else_or_nobody(
    agent_client: Client, shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    colleague = MembershipFactory(shop=shop)
    stranger = MembershipFactory(shop=other_shop)
    conversation = ConversationFactory(shop=shop)
    url = f"/app/inbox/{conversation.pk}/assign/"

    # when / then
    agent_client.post(url, {"assignee": "me"})
    assert Conversation.objects.get(pk=conversation.pk).assignee == agent
    agent_client.post(url, {"assignee": str(colleague.pk)})
    assert Conversation.objects.get(pk=conversation.pk).assignee == colleague
    response = agent_client.post(url, {"assignee": str(stranger.pk)}, follow=True)
    assert "werkt niet (meer) voor deze winkel" in response.content.decode()
    assert Conversation.objects.get(pk=conversation.pk).assignee == colleague
    agent_client.post(url, {"assignee": ""})
    assert Conversation.objects.get(pk=conversation.pk).assignee is None


def test_tags_team_and_priority_change_from_the_header(agent_client: Client, shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)
    conversation = ConversationFactory(shop=shop)
    base = f"/app/inbox/{conversation.pk}"

    # when
    agent_client.post(f"{base}/tags/", {"add": "retour, Kapot"})
    agent_client.post(f"{base}/tags/", {"remove": "retour"})
    agent_client.post(f"{base}/team/", {"team": str(team.pk)})
    agent_client.post(f"{base}/priority/", {"priority": "urgent"})

    # then
    conversation.refresh_from_db()
    assert [tag.name for tag in conversation.tags.all()] == ["Kapot"]
    assert (conversation.team, conversation.priority) == (team, "urgent")


def test_a_note_is_added_and_a_blank_one_refused(agent_client: Client, shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    agent_client.post(f"/app/inbox/{conversation.pk}/note/", {"text": "Klant belt terug"})
    blank = agent_client.post(f"/app/inbox/{conversation.pk}/note/", {"text": "   "}, follow=True)

    # then
    assert list(conversation.messages.values_list("text", flat=True)) == ["Klant belt terug"]
    assert "Schrijf eerst een notitie" in blank.content.decode()


def test_merge_by_reference_and_split_a_message_off(agent_client: Client, shop: Shop) -> None:
    # given
    source = ConversationFactory(shop=shop)
    target = ConversationFactory(shop=shop, reference="K7M2QX9A")
    first, second = MessageFactory.create_batch(2, conversation=source)

    # when
    split = agent_client.post(f"/app/inbox/{source.pk}/messages/{second.pk}/split/")
    merge = agent_client.post(f"/app/inbox/{source.pk}/merge/", {"target": "#k7m2qx9a"})
    unknown = agent_client.post(
        f"/app/inbox/{target.pk}/merge/", {"target": "NIETSHIER"}, follow=True
    )

    # then
    new = Conversation.objects.exclude(pk__in=[source.pk, target.pk]).get()
    assert split.headers["Location"] == f"/app/inbox/{new.pk}/"
    assert merge.headers["Location"] == f"/app/inbox/{target.pk}/"
    assert list(target.messages.all()) == [first]
    assert "Geen gesprek gevonden" in unknown.content.decode()
    # a merged conversation's address leads to where its messages are now
    assert (
        agent_client.get(f"/app/inbox/{source.pk}/").headers["Location"]
        == f"/app/inbox/{target.pk}/"
    )


def test_bulk_actions_change_only_the_shops_ticked_conversations(
    agent_client: Client, shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    one, two = ConversationFactory.create_batch(2, shop=shop)
    untouched = ConversationFactory(shop=shop)
    theirs = ConversationFactory(shop=other_shop)
    ids = [str(one.pk), str(two.pk), str(theirs.pk), "abc"]

    # when
    agent_client.post("/app/inbox/bulk/", {"ids": ids, "action": "assign", "assignee": "me"})
    agent_client.post("/app/inbox/bulk/", {"ids": ids, "action": "tag", "tag": "actie"})
    response = agent_client.post(
        "/app/inbox/bulk/", {"ids": ids, "action": "status", "status": "resolved"}, follow=True
    )

    # then
    assert "2 gesprekken bijgewerkt" in response.content.decode()
    for conversation in (one, two):
        conversation.refresh_from_db()
        assert (conversation.assignee, conversation.status) == (agent, "resolved")
        assert [tag.name for tag in conversation.tags.all()] == ["actie"]
    untouched.refresh_from_db()
    theirs.refresh_from_db()
    assert (untouched.assignee, untouched.status) == (None, "open")
    assert (theirs.assignee, theirs.status) == (None, "open")


def test_a_bulk_action_without_choices_says_what_is_missing(
    agent_client: Client, shop: Shop
) -> None:
    # when
    response = agent_client.post("/app/inbox/bulk/", {"action": "assign"}, follow=True)

    # then
    assert response.status_code == 200
    assert "Kies eerst gesprekken" in response.content.decode()


def test_an_attachment_is_always_a_download_and_never_html(
    agent_client: Client, shop: Shop, other_shop: Shop, media_root: Path
) -> None:
    # given
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            attachments=(
                InboundAttachment("factuur.pdf", "application/pdf", b"%PDF-1.7 test"),
                InboundAttachment("pagina.html", "text/html", b"<script>alert(1)</script>"),
                InboundAttachment(
                    "groot.bin", "application/octet-stream", b"", rejected_reason="te groot"
                ),
            )
        ),
    )
    pdf, html_file, refused = Attachment.objects.filter(message=received.message).order_by("id")
    theirs = Attachment.objects.create(
        shop=other_shop,
        message=MessageFactory(conversation=ConversationFactory(shop=other_shop)),
        filename="geheim.txt",
        content_type="text/plain",
        file=ContentFile(b"geheim", name="x"),
    )

    # when
    pdf_response = agent_client.get(f"/app/inbox/bijlagen/{pdf.pk}/")
    html_response = agent_client.get(f"/app/inbox/bijlagen/{html_file.pk}/")

    # then
    assert pdf_response.status_code == 200
    assert pdf_response.headers["Content-Type"] == "application/pdf"
    assert pdf_response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="factuur.pdf"' in pdf_response.headers["Content-Disposition"]
    assert pdf_response.headers["X-Content-Type-Options"] == "nosniff"
    assert html_response.headers["Content-Type"] == "application/octet-stream"
    assert html_response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in html_response.headers["Content-Security-Policy"]
    assert agent_client.get(f"/app/inbox/bijlagen/{refused.pk}/").status_code == 404
    assert agent_client.get(f"/app/inbox/bijlagen/{theirs.pk}/").status_code == 404


def test_the_notifications_page_lists_and_clears_them(
    client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    colleague = MembershipFactory(shop=shop, user__email="bram@pollepel.nl")
    conversation = ConversationFactory(shop=shop, subject="Kapotte deksel")
    services.note_add(shop=shop, conversation=conversation, author=agent, text="@bram help")
    client.force_login(colleague.user)

    # when
    html = page(client, "/app/meldingen/")
    client.post("/app/meldingen/gelezen/")

    # then
    assert "noemde je in een notitie" in html
    assert "Kapotte deksel" in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_reply_goes_out_with_its_files_and_can_resolve_at_once(
    agent_client: Client,
    shop: Shop,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    conversation = services.message_receive(shop=shop, inbound=inbound_email()).conversation

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            f"/app/inbox/{conversation.pk}/reply/",
            {
                "text": "Je pakket is onderweg.",
                "after": "resolved",
                "attachments": [
                    SimpleUploadedFile("label.pdf", b"%PDF-1.7 label", "application/pdf")
                ],
            },
        )
    run_tasks()

    # then
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    reply = conversation.messages.get(direction="out", is_automated=False)
    assert reply.delivery_status == "sent"
    assert [a.filename for a in reply.attachments.all()] == ["label.pdf"]
    delivered = [m for m in smtp_server.received if b"Je pakket is onderweg." in m.data]
    assert len(delivered) == 1


def test_a_reply_without_a_way_to_send_says_so_and_stores_nothing(
    agent_client: Client, shop: Shop
) -> None:
    # given: the shop has no mailbox with an SMTP server
    conversation = services.message_receive(shop=shop, inbound=inbound_email()).conversation

    # when
    response = agent_client.post(
        f"/app/inbox/{conversation.pk}/reply/", {"text": "Hallo"}, follow=True
    )

    # then
    assert response.status_code == 200
    assert "SMTP" in response.content.decode()
    assert not conversation.messages.filter(direction="out").exists()


def test_a_reply_too_big_to_read_is_refused_unread(agent_client: Client, shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = agent_client.post(
        f"/app/inbox/{conversation.pk}/reply/",
        {"text": "x"},
        CONTENT_LENGTH=str(31 * 1024 * 1024),
        follow=True,
    )

    # then
    assert "groter dan 25 MB" in response.content.decode()


def test_a_macro_fills_the_reply_and_its_actions_run_after_sending(
    agent_client: Client,
    shop: Shop,
    agent: Membership,
    smtp_mailbox: Mailbox,
) -> None:
    # given
    conversation = services.message_receive(
        shop=shop, inbound=inbound_email(sender_name="Anouk de Vries")
    ).conversation
    macro = services.macro_create(
        shop=shop,
        name="Retour ontvangen",
        body="Hoi {{ customer.first_name }}, je retour is binnen. Groet, {{ agent.first_name }}",
        owner=None,
        add_tags=["retour"],
        set_status="pending",
    )
    someone_elses = services.macro_create(
        shop=shop, name="Eigen", body="x", owner=MembershipFactory(shop=shop)
    )

    # when
    filled = agent_client.get(f"/app/inbox/{conversation.pk}/macros/{macro.pk}/").json()
    hidden = agent_client.get(f"/app/inbox/{conversation.pk}/macros/{someone_elses.pk}/")
    agent_client.post(
        f"/app/inbox/{conversation.pk}/reply/", {"text": filled["text"], "macro_id": macro.pk}
    )

    # then
    assert filled["text"].startswith("Hoi Anouk, je retour is binnen. Groet, ")
    assert hidden.status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == "pending"
    assert [tag.name for tag in conversation.tags.all()] == ["retour"]
    macro.refresh_from_db()
    assert macro.usage_count == 1
