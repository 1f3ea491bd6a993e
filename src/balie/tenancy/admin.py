"""Django admin for installation staff: shops, their domains, hours and agents, users."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from balie.tenancy.models import (
    ApiKey,
    BusinessHours,
    ClosingDay,
    ContactOption,
    Membership,
    Shop,
    ShopDomain,
    Team,
    User,
)


class UserCreationForm(BaseUserCreationForm):  # type: ignore[type-arg]  # django-stubs generic
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):  # type: ignore[type-arg]  # django-stubs generic
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("shop", "role", "display_name", "is_active")
    autocomplete_fields = ("shop",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonlijk"), {"fields": ("full_name", "language")}),
        (
            _("Rechten"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )


class ShopDomainInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ShopDomain
    extra = 0


class BusinessHoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BusinessHours
    extra = 0


class ClosingDayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClosingDay
    extra = 0


class ContactOptionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ContactOption
    extra = 0
    fields = (
        "position",
        "channel",
        "label",
        "value",
        "response_minutes",
        "business_hours_only",
        "is_active",
    )


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "primary_domain", "agent_count", "is_active", "created_at")
    list_filter = ("is_active", "default_locale", "holiday_country")
    search_fields = ("name", "slug", "domains__domain", "support_email")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (ShopDomainInline, BusinessHoursInline, ClosingDayInline, ContactOptionInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shop]:
        shops: QuerySet[Shop] = (
            super()
            .get_queryset(request)
            .annotate(
                agent_total=Subquery(
                    Membership.objects.filter(shop=OuterRef("pk"))
                    .order_by()
                    .values("shop")
                    .annotate(total=Count("pk"))
                    .values("total")
                )
            )
            .prefetch_related("domains")
        )
        return shops

    @admin.display(description=_("medewerkers"), ordering="agent_total")
    def agent_count(self, shop: Shop) -> int:
        return shop.agent_total or 0  # type: ignore[attr-defined]  # annotated above

    @admin.display(description=_("hoofddomein"))
    def primary_domain(self, shop: Shop) -> str:
        domains = list(shop.domains.all())
        primary = next((d for d in domains if d.is_primary), domains[0] if domains else None)
        return primary.domain if primary else "—"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "shop", "role", "display_name", "is_active", "created_at")
    list_filter = ("role", "is_active", "shop")
    search_fields = ("user__email", "user__full_name", "display_name", "shop__name")
    list_select_related = ("user", "shop")
    autocomplete_fields = ("user", "shop")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "shop", "member_count")
    list_filter = ("shop",)
    search_fields = ("name", "shop__name")
    list_select_related = ("shop",)
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        teams: QuerySet[Team] = (
            super().get_queryset(request).annotate(member_total=Count("members"))
        )
        return teams

    @admin.display(description=_("leden"), ordering="member_total")
    def member_count(self, team: Team) -> int:
        return team.member_total  # type: ignore[attr-defined, no-any-return]  # annotated above


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Keys are made with `balie create_api_key` (the secret is shown once); here staff can
    see and revoke them, never read or set a secret."""

    list_display = ("name", "shop", "prefix", "created_by", "last_used_at", "revoked_at")
    list_filter = ("shop", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "shop__name")
    list_select_related = ("shop", "created_by")
    fields = ("shop", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("shop", "prefix", "created_by", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
