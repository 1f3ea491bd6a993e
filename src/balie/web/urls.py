from __future__ import annotations

from django.urls import include, path

from balie.assistant import app_views as assistant_views
from balie.knowledge import settings_views as knowledge_settings_views
from balie.web import account_urls, csat_views, settings_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("app/", views.dashboard, name="dashboard"),
    path("app/shop/", views.shop_switch, name="shop_switch"),
    path("app/status/", views.presence_set, name="presence"),
    path("s/<slug:shop_slug>/", views.help_center, name="help_center"),
    path("tevredenheid/<str:token>/<str:score>/", csat_views.csat_rate, name="csat_rate"),
    path("app/kennisbank/lacunes/", assistant_views.gap_list, name="knowledge_gaps"),
    path("app/kennisbank/assistent/", assistant_views.assistant_try, name="assistant_try"),
    path("app/kennisbank/", include("balie.knowledge.app_urls")),
    path(
        "app/instellingen/kennisbank/",
        knowledge_settings_views.knowledge_settings,
        name="knowledge_settings",
    ),
    path(
        "app/instellingen/kennisbank/onderwerpen/",
        knowledge_settings_views.topic_save,
        name="knowledge_topic_save",
    ),
    path("app/instellingen/", settings_views.settings_index, name="settings"),
    path("app/instellingen/mailboxen/", include("balie.channels.urls")),
    path("app/instellingen/", include("balie.tenancy.urls")),
    path("app/instellingen/", include("balie.inbox.settings_urls")),
    path("app/instellingen/webhooks/", include("balie.webhooks.urls")),
    *account_urls.urlpatterns,
]
