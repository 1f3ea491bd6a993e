from __future__ import annotations

from balie.core.errors import DomainError


class CustomerEmailTaken(DomainError):
    code = "customer_email_taken"
    status = 409


class CustomerContactMissing(DomainError):
    code = "customer_contact_missing"
    status = 422
