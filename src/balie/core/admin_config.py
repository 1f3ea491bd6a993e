"""Django's admin app with Balie's admin site (see admin_site.py); a module of its own so
the core app keeps a single AppConfig."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class BalieAdminConfig(AdminConfig):
    default_site = "balie.core.admin_site.BalieAdminSite"
