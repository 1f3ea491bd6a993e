from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "balie.channels"
    # "channels" is Django Channels' label.
    label = "balie_channels"
    verbose_name = _("Kanalen")
