"""The framework fields people read, per language (django-modeltranslation).

Each listed field gets a column per language (``text_fr``, ``text_nl`` …) on the same row; reading
``question.text`` gives the active language's, or the English when that one is empty. NEMO's quotes
(``PolicyPassage.text``, ``Recommendation.policy_text``) are not translated: they stay the English
NEMO published, and ``translation``/``policy_translation`` hold museumai's unofficial translation.
Content comes from the data files: ``framework.<lang>.yaml`` beside each version's file.
"""

from modeltranslation.translator import TranslationOptions, register

from recommendations.models import (
    Dimension,
    DutyExemption,
    FrameworkVersion,
    MaturityLevel,
    PolicyPassage,
    Question,
    Recommendation,
)


@register(FrameworkVersion)
class FrameworkVersionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(MaturityLevel)
class MaturityLevelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(PolicyPassage)
class PolicyPassageTranslation(TranslationOptions):
    fields = ("translation",)


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("title", "policy_translation")


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = (
        "text",
        "why",
        "level_0",
        "level_1",
        "level_2",
        "level_3",
        "level_4",
        "guidance",
        "legal_reference",
    )


@register(DutyExemption)
class DutyExemptionTranslation(TranslationOptions):
    fields = ("text",)
