"""The shop's settings pages of the tenancy, under /app/instellingen/ (owners and admins):
opening hours and closing days, contact options, teams and agents."""

from __future__ import annotations

from django.urls import path

from balie.tenancy import hours_views, people_views

app_name = "shop_settings"

urlpatterns = [
    path("openingstijden/", hours_views.opening_hours_page, name="hours"),
    path("openingstijden/sluitingsdagen/", hours_views.closing_days_add, name="closing_days"),
    path(
        "openingstijden/sluitingsdagen/<int:closing_day_id>/delete/",
        hours_views.closing_day_delete,
        name="closing_day_delete",
    ),
    path("contactmogelijkheden/", hours_views.contact_option_list, name="contact_options"),
    path(
        "contactmogelijkheden/<int:contact_option_id>/",
        hours_views.contact_option_detail,
        name="contact_option_detail",
    ),
    path(
        "contactmogelijkheden/<int:contact_option_id>/delete/",
        hours_views.contact_option_delete,
        name="contact_option_delete",
    ),
    path("teams/", people_views.team_list, name="teams"),
    path("teams/<int:team_id>/", people_views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/delete/", people_views.team_delete, name="team_delete"),
    path("medewerkers/", people_views.agent_list, name="agents"),
    path("medewerkers/<int:agent_id>/", people_views.agent_detail, name="agent_detail"),
    path("medewerkers/<int:agent_id>/rol/", people_views.agent_role, name="agent_role"),
    path("medewerkers/<int:agent_id>/maximum/", people_views.agent_capacity, name="agent_capacity"),
    path("medewerkers/<int:agent_id>/werktijden/", people_views.agent_hours, name="agent_hours"),
]
