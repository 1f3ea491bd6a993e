from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "balie.assistant"
    label = "assistant"
    verbose_name = _("Assistent")
