"""Django admin for installation staff: customers and their identities per channel."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from balie.customers.models import Customer, CustomerIdentity


class CustomerIdentityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CustomerIdentity
    extra = 0
    fields = ("channel", "value", "verified")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "email", "phone", "shop", "locale", "created_at")
    list_filter = ("shop", "locale")
    search_fields = ("first_name", "last_name", "email", "phone", "external_id")
    list_select_related = ("shop",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (CustomerIdentityInline,)
    show_full_result_count = False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # An identity belongs to its customer's shop; the inline has no shop field.
        for identity in formset.save(commit=False):
            identity.shop_id = form.instance.shop_id
            identity.save()
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(CustomerIdentity)
class CustomerIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("value", "channel", "verified", "customer", "shop")
    list_filter = ("channel", "verified", "shop")
    search_fields = ("value", "customer__email", "customer__last_name")
    list_select_related = ("customer", "shop")
    raw_id_fields = ("customer",)
