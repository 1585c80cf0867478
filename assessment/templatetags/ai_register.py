"""The register's findings in words, for templates: ``{{ classification|class_words }}`` and the like."""

from __future__ import annotations

from django import template

from assessment import register as ai_register

register = template.Library()

register.filter("class_words", ai_register.class_words)
register.filter("class_name", ai_register.class_name)
register.filter("role_words", ai_register.role_words)
register.filter("timing_words", ai_register.timing_words)
