from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.tenancy.tests.factories import UserFactory


@pytest.fixture
def staff_client(db: None) -> tuple[Client, object]:
    user = UserFactory(email="beheer@balie.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_admin_sends_visitors_to_balies_own_sign_in(db: None) -> None:
    # when
    response = Client().get("/admin/login/?next=/admin/tenancy/shop/")

    # then the throttled sign-in with its second step is the only way in
    assert response.status_code == 302
    assert response["Location"] == "/app/login/?next=/admin/tenancy/shop/"


def test_staff_without_two_factor_use_the_admin(staff_client: tuple[Client, object]) -> None:
    client, _user = staff_client
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_of_a_two_factor_user_is_refused(
    staff_client: tuple[Client, object],
) -> None:
    # given staff who turned on two-factor sign-in, in a session without a verified code
    client, user = staff_client
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    # when
    response = client.get("/admin/", follow=True)

    # then it is sent to Balie's sign-in, which asks for the code
    assert [url for url, _status in response.redirect_chain][-1].startswith("/app/login/")
