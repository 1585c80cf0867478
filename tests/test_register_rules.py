"""The AI register's rules (recommendations/register-rules.yaml), checked against museum scenarios.

The scenario table is written to be read by a lawyer: each line says what the museum does, the
answers it gives in the triage, and what the rules must conclude on a given day: the museum's role,
the AI Act class(es), the GDPR points, the duties already applying and the duties still coming (with
the day they start). The legal dates appear only there, as expectations: the rules file is the one
source the code reads them from.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from recommendations.register_rules import (
    RULES_FILE,
    Facts,
    RegisterRulesError,
    Triage,
    TriageError,
    default_rules,
    parse,
    triage,
)

RULES = default_rules()
D = datetime.date
WRITTEN = RULES.date  # the day the rules describe the law as it stood

# Answers that recur: a supplier's product used as supplied (the museum did not build it, does not put
# its own name on it, did not change it and uses it for the purpose it was made for).
BOUGHT = {
    "built-by-museum": False,
    "own-name": False,
    "substantial-modification": False,
    "changed-purpose": False,
}
# The museum built the system itself.
BUILT = {"built-by-museum": True}
# No personal data at all.
NO_PERSONAL_DATA = {"personal-data": False}
# Visitors meet it; it does not converse with them and does not manipulate them.
SEEN_BY_VISITORS = {"meets": ["visitors"], "interacts": False, "manipulation": False}
# Only staff meet it, and it does not converse with them.
MET_BY_STAFF = {"meets": ["staff"], "interacts": False}
# Only staff meet it, it steers their work, so the ban on manipulation is asked; it does not manipulate them.
STEERS_STAFF = {**MET_BY_STAFF, "manipulation": False}


@dataclass(frozen=True)
class Scenario:
    what: str
    use: str
    answers: dict[str, Any]
    day: datetime.date
    role: str
    classes: tuple[str, ...]
    gdpr: frozenset[str] = frozenset()
    now: frozenset[str] = frozenset()  # duties that apply on `day`, the GDPR points' duties included
    coming: dict[str, datetime.date] = field(default_factory=dict)  # duties that start later, with the day
    coming_classes: dict[str, datetime.date] = field(default_factory=dict)  # classes that apply only later
    coming_role: tuple[str, datetime.date] | None = None  # a role the museum takes on only later


GDPR_DUTY = {
    "lawful-basis": "gdpr-lawful-basis",
    "information": "gdpr-information",
    "special-category": "gdpr-special-category",
    "dpia": "gdpr-dpia",
    "dpia-check": "gdpr-dpia-check",
    "processor-contract": "gdpr-processor-contract",
    "transfers": "gdpr-transfers",
    "automated-decisions": "gdpr-automated-decisions",
    "profiling": "gdpr-profiling",
}


def scenario(
    what: str,
    use: str,
    answers: dict[str, Any],
    *,
    day: datetime.date = WRITTEN,
    role: str,
    classes: tuple[str, ...],
    gdpr: tuple[str, ...] = (),
    now: tuple[str, ...],  # the AI Act duties that apply on `day`; the GDPR points bring theirs
    coming: dict[str, datetime.date] | None = None,
    coming_classes: dict[str, datetime.date] | None = None,  # listed in `classes` too
    coming_role: tuple[str, datetime.date] | None = None,
) -> Scenario:
    # Each GDPR point brings its duty, which applies at once (the GDPR applies since 25 May 2018).
    duties = frozenset(now) | {GDPR_DUTY[point] for point in gdpr}
    return Scenario(
        what,
        use,
        answers,
        day,
        role,
        classes,
        frozenset(gdpr),
        duties,
        coming or {},
        coming_classes or {},
        coming_role,
    )


# fmt: off
SCENARIOS = [
    # --- Visitor chatbot or voice guide ---
    scenario(
        "A supplier's website chatbot that answers questions about opening hours and keeps no personal data",
        "visitor-chatbot",
        {"meets": ["visitors", "public-online"], "manipulation": False, **NO_PERSONAL_DATA,
         "public-content": ["text"], "published-text": False, **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure"),
    ),
    scenario(
        "The same chatbot keeping chat logs with visitors' e-mail addresses on servers in the United States",
        "visitor-chatbot",
        {"meets": ["visitors", "public-online"], "manipulation": False, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": ["text"],
         "published-text": False, **BOUGHT, "transfers-outside-eea": True, "data-with-supplier": True,
         "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("transparency",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract", "transfers"),
        now=("ai-literacy", "check-ai-disclosure"),
    ),
    scenario(
        "A voice guide the museum built and uses only itself, in use since 2025, on 1 December 2026: put into"
        " service, not placed on the market, so no transition for marking (Art. 111(4))",
        "visitor-chatbot",
        {"meets": ["visitors"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["audio"],
         "deepfake": False, "sexual-imagery": False, **BUILT,
         "sexual-imagery-safeguards": False, "marketed-before-art-50": False},
        day=D(2026, 12, 1),
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content"),
    ),
    scenario(
        "A voice guide the museum built and licensed to two other museums in 2025, on 1 December 2026:"
        " placed on the market before 2 Aug 2026, so marking is due by 2 Dec 2026",
        "visitor-chatbot",
        {"meets": ["visitors"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["audio"],
         "deepfake": False, "sexual-imagery": False, **BUILT,
         "sexual-imagery-safeguards": False, "marketed-before-art-50": True},
        day=D(2026, 12, 1),
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure"),
        coming={"mark-generated-content-existing": D(2026, 12, 2)},
    ),
    scenario(
        "The licensed voice guide on 3 December 2026: the transition for marking generated content has ended",
        "visitor-chatbot",
        {"meets": ["visitors"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["audio"],
         "deepfake": False, "sexual-imagery": False, **BUILT,
         "sexual-imagery-safeguards": False, "marketed-before-art-50": True},
        day=D(2026, 12, 3),
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content-existing"),
    ),
    scenario(
        "A chatbot the museum built itself and launched in September 2026: no transition for marking",
        "visitor-chatbot",
        {"meets": ["public-online"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, **BUILT, "marketed-before-art-50": False},
        day=D(2026, 12, 1),
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content"),
    ),
    scenario(
        "A supplier's chatbot under the museum's own name: not high-risk, so the museum stays its deployer",
        "visitor-chatbot",
        {"meets": ["public-online"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, "built-by-museum": False, "own-name": True,
         "substantial-modification": False, "changed-purpose": False},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure"),
    ),
    # --- Avatar or re-creation of a real person ---
    scenario(
        "A supplier's talking avatar of a 19th-century painter that answers visitors in the gallery",
        "person-avatar",
        {"meets": ["visitors"], "interacts": True, "manipulation": False, **NO_PERSONAL_DATA,
         "public-content": ["audio", "video"], "deepfake-made-by": "museum", "sexual-imagery": False,
         **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure", "disclose-deepfake"),
    ),
    # --- Generated images, audio or video ---
    scenario(
        "A realistic AI 'photograph' of the town hall that burnt down in 1890, shown in an exhibition",
        "generated-media",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "public-content": ["images"], "deepfake": True,
         "deepfake-made-by": "museum", "sexual-imagery": False, **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "disclose-deepfake"),
    ),
    scenario(
        "Abstract AI-generated patterns projected in the foyer, resembling nothing real",
        "generated-media",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "public-content": ["images"], "deepfake": False,
         "sexual-imagery": False, **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "An in-house 'see yourself as a painting' photo booth with no nudity filter, on 1 December 2026",
        "generated-media",
        {**SEEN_BY_VISITORS, "personal-data": True, "special-category": False, "biometric-data": False,
         "public-content": ["images"], "deepfake": False, "sexual-imagery": False, **BUILT,
         "sexual-imagery-safeguards": True, "marketed-before-art-50": False, "transfers-outside-eea": False,
         "data-with-supplier": False},
        day=D(2026, 12, 1),
        role="provider", classes=("prohibited", "transparency"),
        gdpr=("lawful-basis", "information", "dpia-check"),
        now=("ai-literacy", "mark-generated-content"),
        coming={"stop-intimate-imagery": D(2026, 12, 2)},
        coming_classes={"prohibited": D(2026, 12, 2)},
    ),
    scenario(
        "The same photo booth on 3 December 2026: the new ban applies and sets everything else aside",
        "generated-media",
        {**SEEN_BY_VISITORS, "personal-data": True, "special-category": False, "biometric-data": False,
         "public-content": ["images"], "deepfake": False, "sexual-imagery": False, **BUILT,
         "sexual-imagery-safeguards": True, "marketed-before-art-50": False, "transfers-outside-eea": False,
         "data-with-supplier": False},
        day=D(2026, 12, 3),
        role="provider", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia-check"),
        now=("ai-literacy", "stop-intimate-imagery"),
    ),
    # --- Generated or translated texts published ---
    scenario(
        "Exhibition labels drafted by AI, each read and approved by the curator before printing",
        "generated-texts",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "public-content": ["text"], "human-review": True, **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "Collection descriptions machine-translated and published on the website without review",
        "generated-texts",
        {"meets": ["public-online"], "interacts": False, "manipulation": False, **NO_PERSONAL_DATA,
         "public-content": ["text"], "human-review": False, **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "disclose-ai-text"),
    ),
    # --- Collection metadata enrichment and auto-tagging ---
    scenario(
        "Keyword suggestions for catalogue records of objects, used by cataloguers in the back office",
        "metadata-enrichment",
        {"meets": ["nobody"], **NO_PERSONAL_DATA, "public-content": [], **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    # --- Handwriting and speech transcription ---
    scenario(
        "Oral-history interviews about wartime persecution transcribed, checked by staff, then published",
        "transcription",
        {"meets": ["nobody"], "personal-data": True, "special-category": True, "biometric-data": False,
         "public-content": ["text"], "published-text": True, "human-review": True, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy",),
    ),
    # --- Facial recognition in photo or film collections ---
    scenario(
        "A municipal museum's tool naming the people in its press-photo archive, on 1 December 2027",
        "collection-face-recognition",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": True, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": False, "public-content": [], **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "public-body",
         "transfers-outside-eea": False, "data-with-supplier": True},
        day=D(2027, 12, 1),
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy",),
        coming={"high-risk-deployer-duties": D(2027, 12, 2),
                "fundamental-rights-impact-assessment": D(2027, 12, 2),
                "register-high-risk-use": D(2027, 12, 2)},
    ),
    scenario(
        "The same tool on 3 December 2027: the high-risk duties apply",
        "collection-face-recognition",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": True, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": False, "public-content": [], **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "public-body",
         "transfers-outside-eea": False, "data-with-supplier": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "high-risk-deployer-duties", "fundamental-rights-impact-assessment",
             "register-high-risk-use"),
    ),
    scenario(
        "The museum retrained a supplier's face-identification model on its own archive (substantial change)",
        "collection-face-recognition",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": True, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": False, "public-content": [],
         "built-by-museum": False, "own-name": False, "substantial-modification": True,
         "changed-purpose": False, "not-high-risk-assessment": False,
         "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True},
        day=D(2027, 12, 3),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "high-risk-deployer-duties", "high-risk-provider-duties"),
    ),
    scenario(
        "Face detection only, to crop portraits of living people for the online collection, naming no one:"
        " not biometric data, so only a DPIA check",
        "collection-face-recognition",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": False,
         "public-content": [], **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract"),
        now=("ai-literacy",),
    ),
    scenario(
        "Identifying people in photographs of the last decades with a service that builds its face"
        " database by scraping the web",
        "collection-face-recognition",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": True, "face-scraping": True,
         "emotion-recognition": False, "biometric-categorisation": False, "public-content": [], **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    # --- Visitor counting and flow analytics ---
    scenario(
        "Anonymous infrared counters at the doors that only add up beam interruptions: not an AI system",
        "visitor-counting",
        {"meets": ["visitors"], "ai-system": "rules-only", "on-staff": False, **NO_PERSONAL_DATA,
         "biometric-data": False, "device-tracking": False},
        role="deployer", classes=("minimal",),
        now=(),
    ),
    scenario(
        "A private museum's cameras that count visitors by estimated age and sex",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         "personal-data": True, "special-category": False,
         "biometric-data": True, "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": True, "protected-characteristics": True,
         "sensitive-traits": False, **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "profiling": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-deployer-duties"),
    ),
    scenario(
        "The same cameras sold on under the museum's own name to other museums",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         "personal-data": True, "special-category": False,
         "biometric-data": True, "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": True, "protected-characteristics": True,
         "sensitive-traits": False,
         "built-by-museum": False, "own-name": True, "substantial-modification": False,
         "changed-purpose": False, "in-use-before-high-risk": False, "not-high-risk-assessment": False,
         "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False},
        day=D(2027, 12, 3),
        role="provider", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-deployer-duties",
             "high-risk-provider-duties"),
    ),
    # --- Emotion or attention measurement ---
    scenario(
        "A foundation museum with a public mission reads visitors' emotions in front of paintings",
        "emotion-attention",
        {**SEEN_BY_VISITORS, "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": True, "biometric-categorisation": False, "on-staff": False,
         "on-students": False, **BOUGHT, "in-use-before-high-risk": False, "not-high-risk-assessment": False,
         "public-body": "private-public-service", "transfers-outside-eea": False, "data-with-supplier": True,
         "profiling": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-deployer-duties",
             "fundamental-rights-impact-assessment"),
    ),
    scenario(
        "Emotion recognition on the front-of-house staff, to rate their friendliness: banned",
        "emotion-attention",
        {**MET_BY_STAFF, "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": True, "biometric-categorisation": False, "on-staff": True,
         "on-students": False, "staff-decisions": True, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True,
         "profiling": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    # --- Security and CCTV analytics ---
    scenario(
        "A municipal museum's CCTV matching faces against banned visitors, on the market since 2026, on"
        " 22 Nov 2026: very likely unlawful today without a specific law (GDPR Art. 9(2)(g))",
        "security-cctv",
        {"meets": ["visitors", "staff"], "predicts-offences": False, "interacts": False,
         "manipulation": False, "personal-data": True,
         "special-category": False, "biometric-data": True, "identifies-people": True, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": False, "on-staff": False, **BOUGHT,
         "in-use-before-high-risk": True, "design-changed": False, "not-high-risk-assessment": False,
         "public-body": "public-body", "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": False},
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "no-face-identification-without-law"),
        coming={"high-risk-existing-system": D(2027, 12, 2),
                "high-risk-duties-public-authority-backstop": D(2030, 8, 2)},
    ),
    scenario(
        "CCTV analytics that flag unattended bags, recognising no one",
        "security-cctv",
        {"meets": ["visitors", "staff"], "predicts-offences": False, "interacts": False,
         "manipulation": False, "personal-data": True,
         "special-category": False, "biometric-data": False, "on-staff": False, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy",),
    ),
    # --- Recruitment screening ---
    scenario(
        "A state museum's supplier tool that ranks job applications, on 1 December 2027",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": False, "public-body": "public-body", "transfers-outside-eea": False,
         "data-with-supplier": True,
         "automated-decisions": False},
        day=D(2027, 12, 1),
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "inform-workers": D(2027, 12, 2),
                "inform-affected-persons": D(2027, 12, 2),
                "fundamental-rights-impact-assessment": D(2027, 12, 2),
                "register-high-risk-use": D(2027, 12, 2)},
    ),
    scenario(
        "The same tool on 3 December 2027, now also rejecting applicants on its own",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": False, "public-body": "public-body", "transfers-outside-eea": False,
         "data-with-supplier": True,
         "automated-decisions": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "automated-decisions",
              "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons", "fundamental-rights-impact-assessment", "register-high-risk-use"),
    ),
    # --- Staff scheduling or monitoring ---
    scenario(
        "Rosters planned from opening hours and the availability staff give",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": False, "staff-decisions": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract"),
        now=("ai-literacy", "consult-staff-representatives"),
    ),
    scenario(
        "Tasks handed out according to each attendant's measured speed and past behaviour (private museum)",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": False, "staff-decisions": True,
         **BOUGHT,
         "in-use-before-high-risk": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons"),
    ),
    # --- Ticket pricing and demand forecasting ---
    scenario(
        "Forecasting visitor numbers from weather and holidays, to plan staffing and prices for everyone",
        "ticket-pricing",
        {"meets": ["nobody"], "ai-system": "ai", "manipulation": False, **NO_PERSONAL_DATA, **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "Individual ticket prices set from each customer's account history, with nobody checking",
        "ticket-pricing",
        {"meets": ["public-online"], "ai-system": "ai", "interacts": False, "manipulation": False,
         "personal-data": True,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": True,
         "profiling": True},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "automated-decisions",
              "profiling"),
        now=("ai-literacy", "tell-personalised-price"),
    ),
    # --- Donor and audience profiling ---
    scenario(
        "Predicting which members are likely to give, for a fundraising appeal",
        "audience-profiling",
        {"meets": ["nobody"], "manipulation": False, "device-tracking": False, "special-category": False,
         **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy",),
    ),
    # --- General-purpose assistants used by staff ---
    scenario(
        "An office assistant staff use to draft newsletters, which the communications team edits",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": True, "human-review": True, **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "The same assistant used by HR to sort job applications: a purpose its supplier did not intend",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": True, "staff-decisions": True, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": [], "built-by-museum": False,
         "own-name": False, "substantial-modification": False, "changed-purpose": True,
         "changed-purpose-area": "employment", "public-body": "private",
         "transfers-outside-eea": True, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 3),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "transfers", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons", "high-risk-provider-duties"),
    ),
    # --- Building and climate control ---
    scenario(
        "Climate control that steers humidity in the galleries to protect the collection",
        "building-control",
        {"meets": ["nobody"], "ai-system": "ai", **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    # --- Other ---
    scenario(
        "A public museum's conservation academy (accredited or not) grades students' practical exams with AI",
        "other",
        {"meets": ["nobody"], "ai-system": "ai", "personal-data": True, "special-category": False,
         "biometric-data": False,
         "on-staff": False, "other-high-risk-area": "education", "public-content": [], **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "public-body",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "high-risk-deployer-duties", "inform-affected-persons",
             "fundamental-rights-impact-assessment", "register-high-risk-use"),
    ),
    # --- Cases the review of 22 Nov 2026 found missing ---
    scenario(
        "A face-recognition door that checks staff badges against their enrolled faces (1:1 verification):"
        " not Annex III 1(a), but GDPR Art. 9",
        "security-cctv",
        {**MET_BY_STAFF, "predicts-offences": False, "personal-data": True, "special-category": False,
         "biometric-data": True,
         "identifies-people": False, "verifies-people": True, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": False, "on-staff": True,
         "staff-decisions": False, **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "consult-staff-representatives"),
    ),
    scenario(
        "A fingerprint time clock for attendants, filed under staff scheduling: GDPR Art. 9",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": True, "face-scraping": False, "emotion-recognition": False,
         "biometric-categorisation": False, "staff-decisions": False, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "consult-staff-representatives"),
    ),
    scenario(
        "Attendants' moods read from the till-point webcam to rate their service: banned since 2 Feb 2025",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": False, "face-scraping": False, "emotion-recognition": True, "on-students": False,
         "biometric-categorisation": False, "staff-decisions": True, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "Video job interviews analysed for candidates' emotions: banned",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": False, "face-scraping": False, "emotion-recognition": True, "on-students": False,
         "biometric-categorisation": False, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "The museum's own conservation academy reads its students' attention and boredom in class: banned"
        " in education institutions",
        "emotion-attention",
        {"meets": ["nobody"], "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": True, "on-students": True, "biometric-categorisation": False,
         "on-staff": False, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "profiling": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "Age-and-sex counting cameras under the museum's own name, on 22 Nov 2026: Annex III and Art. 25"
        " apply only from 2 Dec 2027, so the museum is still the deployer",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         "personal-data": True, "special-category": False,
         "biometric-data": True, "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": True, "protected-characteristics": True,
         "sensitive-traits": False,
         "built-by-museum": False, "own-name": True, "substantial-modification": False,
         "changed-purpose": False, "in-use-before-high-risk": False, "not-high-risk-assessment": False,
         "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False},
        role="deployer", classes=("high-risk", "transparency"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        coming_role=("provider", D(2027, 12, 2)),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "high-risk-provider-duties": D(2027, 12, 2)},
    ),
    scenario(
        "The office assistant used by HR to sort applications, on 1 Dec 2027: provider only from 2 Dec 2027",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": True, "staff-decisions": True, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": [], "built-by-museum": False,
         "own-name": False, "substantial-modification": False, "changed-purpose": True,
         "changed-purpose-area": "employment", "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 1),
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        coming_role=("provider", D(2027, 12, 2)),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "inform-workers": D(2027, 12, 2),
                "inform-affected-persons": D(2027, 12, 2), "high-risk-provider-duties": D(2027, 12, 2)},
    ),
    scenario(
        "The same assistant on 2 Dec 2027, the day Annex III and Art. 25 start to apply: the museum is its"
        " provider",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": True, "staff-decisions": True, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": [], "built-by-museum": False,
         "own-name": False, "substantial-modification": False, "changed-purpose": True,
         "changed-purpose-area": "employment", "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 2),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons", "high-risk-provider-duties"),
    ),
    # --- Cases the review's open findings (R1 to R20, D5 to D7) asked to pin ---
    scenario(
        "A supplier's chatbot for children in the family gallery that makes an honest donation appeal: not"
        " manipulation, but it must tell the children, in words they understand, that it is an AI (R1, R20"
        " j)",
        "visitor-chatbot",
        {"meets": ["visitors"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure"),
    ),
    scenario(
        "A shop chatbot that plays on children's age to push them, unnoticed, into costly in-app purchases:"
        " banned (R1)",
        "visitor-chatbot",
        {"meets": ["public-online"], "manipulation": True, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, **BOUGHT},
        role="deployer", classes=("prohibited",),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "A museum-built chatbot on a US language-model API, keeping visitors' questions and e-mail addresses:"
        " the API is the museum's processor, and the data leaves the EU (R14, R20 g)",
        "visitor-chatbot",
        {"meets": ["public-online"], "manipulation": False, "personal-data": True, "special-category": False,
         "biometric-data": False, "public-content": ["text"], "published-text": False, **BUILT,
         "marketed-before-art-50": False, "transfers-outside-eea": True, "data-with-supplier": True,
         "automated-decisions": False, "profiling": False},
        role="provider", classes=("transparency",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract", "transfers"),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content"),
    ),
    scenario(
        "A talking avatar of a living artist with a cloned voice, made with her consent: still a deepfake to"
        " disclose, and her voice recordings are personal data (R20 i)",
        "person-avatar",
        {"meets": ["visitors"], "interacts": True, "manipulation": False, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": ["audio", "video"],
         "deepfake-made-by": "museum", "sexual-imagery": False, **BOUGHT, "transfers-outside-eea": False,
         "data-with-supplier": True},
        role="deployer", classes=("transparency",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract"),
        now=("ai-literacy", "check-ai-disclosure", "disclose-deepfake"),
    ),
    scenario(
        "An artist's AI-made 'documentary' of a real event, exhibited by the museum: the Art. 50(4) duty is"
        " the artist's; the museum is advised to label it (R9, R20 h)",
        "generated-media",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "public-content": ["video"], "deepfake": True,
         "deepfake-made-by": "third-party", "sexual-imagery": False, **BOUGHT},
        role="deployer", classes=("minimal",),
        now=("ai-literacy", "label-third-party-ai-work"),
    ),
    scenario(
        "A face-recognition product meant for photo archives in general, naming the sitters in"
        " 19th-century portrait photographs, all long dead: its intended purpose keeps it in Annex III 1(a)"
        " from 2 Dec 2027, but no GDPR points; national rules on the dead instead (R13, R20 k, R-1)",
        "collection-face-recognition",
        {"meets": ["nobody"], **NO_PERSONAL_DATA, "biometric-data": True, "identifies-people": True,
         "face-scraping": False, "emotion-recognition": False, "biometric-categorisation": False,
         "public-content": [], **BOUGHT, "in-use-before-high-risk": False, "not-high-risk-assessment": False,
         "public-body": "public-body"},
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        now=("ai-literacy", "check-rules-on-deceased"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2),
                "fundamental-rights-impact-assessment": D(2027, 12, 2),
                "register-high-risk-use": D(2027, 12, 2)},
    ),
    scenario(
        "A vendor's 'anonymous' attention analytics reading visitors' faces in real time, storing nothing,"
        " the museum having answered 'no personal data': still emotion recognition and still GDPR (R3)",
        "emotion-attention",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "biometric-data": True, "identifies-people": False,
         "verifies-people": False, "face-scraping": False, "emotion-recognition": True, "on-students": False,
         "biometric-categorisation": False, "on-staff": False, **BOUGHT, "in-use-before-high-risk": False,
         "not-high-risk-assessment": False, "public-body": "private", "transfers-outside-eea": False,
         "data-with-supplier": True, "profiling": False},
        role="deployer", classes=("high-risk", "transparency"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2)},
    ),
    scenario(
        "Cameras that sort visitors by estimated height to set the height of interactive screens: biometric"
        " categorisation to disclose, but not by a protected characteristic, so not high-risk (R4)",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "personal-data": True,
         "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": False, "face-scraping": False, "emotion-recognition": False,
         "biometric-categorisation": True, "protected-characteristics": False, "sensitive-traits": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False,
         "device-tracking": False},
        role="deployer", classes=("transparency",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people"),
    ),
    scenario(
        "Visitor flows counted from phones' Wi-Fi signals: ePrivacy consent on top of the GDPR (R20 l)",
        "visitor-counting",
        {"meets": ["visitors"], "ai-system": "ai", "interacts": False, "manipulation": False,
         "on-staff": False, "personal-data": True, "special-category": False, "biometric-data": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False,
         "device-tracking": True},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "device-tracking-consent"),
    ),
    scenario(
        "A tool that only checks that applications to the museum's academy are complete, which its supplier"
        " documented as not high-risk (a narrow procedural task), on 22 Nov 2026 (R5)",
        "other",
        {"meets": ["nobody"], "ai-system": "ai", "personal-data": True, "special-category": False,
         "biometric-data": False, "on-staff": False, "other-high-risk-area": "education",
         "public-content": [], **BOUGHT, "in-use-before-high-risk": False, "public-body": "public-body",
         "not-high-risk-assessment": True, "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia-check", "processor-contract"),
        now=("ai-literacy",),
        coming={"keep-not-high-risk-assessment": D(2027, 12, 2)},
    ),
    scenario(
        "The same kind of tool that also ranks the applicants: profiling, so it stays high-risk whatever"
        " its supplier documented (R5)",
        "other",
        {"meets": ["nobody"], "ai-system": "ai", "personal-data": True, "special-category": False,
         "biometric-data": False, "on-staff": False, "other-high-risk-area": "education",
         "public-content": [], **BOUGHT, "in-use-before-high-risk": False, "public-body": "public-body",
         "not-high-risk-assessment": True, "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "high-risk-deployer-duties", "inform-affected-persons",
             "fundamental-rights-impact-assessment", "register-high-risk-use"),
    ),
    scenario(
        "A recruitment tool on sale since 2026 that a private museum starts using, unchanged, in March 2028:"
        " on the market before 2 Dec 2027, so only the Art. 111(2) check applies (R6)",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": True, "design-changed": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False},
        day=D(2028, 3, 1),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-existing-system"),
    ),
    scenario(
        "The same recruitment tool after a significant redesign in 2028: the full high-risk duties apply"
        " (R6)",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": True, "design-changed": True, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False},
        day=D(2028, 3, 1),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons"),
    ),
    scenario(
        "CCTV software that flags visitors as likely thieves from their looks, age and past visits: banned"
        " since 2 Feb 2025 (R20 o)",
        "security-cctv",
        {"meets": ["visitors"], "predicts-offences": True, "interacts": False, "manipulation": False,
         "personal-data": True, "special-category": False, "biometric-data": False, "on-staff": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "A model the museum's researchers built only to date photographs for a study: outside the AI Act"
        " (Art. 2(6)) (R20 n)",
        "other",
        {"meets": ["nobody"], "ai-system": "research-only", **NO_PERSONAL_DATA, "on-staff": False},
        role="deployer", classes=("minimal",),
        now=(),
    ),
    scenario(
        "An in-house voice-changing booth, on 3 December 2026, that can make intimate audio of real people"
        " for want of safeguards: the ban covers audio too (D5)",
        "generated-media",
        {**SEEN_BY_VISITORS, **NO_PERSONAL_DATA, "public-content": ["audio"], "deepfake": False,
         "sexual-imagery": False, **BUILT, "sexual-imagery-safeguards": True,
         "marketed-before-art-50": False},
        day=D(2026, 12, 3),
        role="provider", classes=("prohibited",),
        now=("ai-literacy", "stop-intimate-imagery"),
    ),
    # --- One museum, three systems (the register as a museum fills it in) ---
    scenario(
        "Three-system museum, 1 of 3: its visitor chatbot, a supplier's product, on 1 Dec 2027",
        "visitor-chatbot",
        {"meets": ["visitors", "public-online"], "manipulation": False, **NO_PERSONAL_DATA,
         "public-content": ["text"], "published-text": False, **BOUGHT},
        day=D(2027, 12, 1),
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure"),
    ),
    scenario(
        "Three-system museum, 2 of 3: its collection auto-tagger suggesting keywords for object records,"
        " on 1 Dec 2027",
        "metadata-enrichment",
        {"meets": ["nobody"], **NO_PERSONAL_DATA, "public-content": [], **BOUGHT},
        day=D(2027, 12, 1),
        role="deployer", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "Three-system museum, 3 of 3: its recruitment screening tool, bought new in 2027, on 1 Dec 2027:"
        " high-risk duties coming",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": False, "public-body": "private", "transfers-outside-eea": False,
         "data-with-supplier": True, "automated-decisions": False},
        day=D(2027, 12, 1),
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "inform-workers": D(2027, 12, 2),
                "inform-affected-persons": D(2027, 12, 2)},
    ),
    scenario(
        "Three-system museum, 3 of 3 again, on 3 Dec 2027: the recruitment tool's high-risk duties are"
        " current",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, **BOUGHT,
         "in-use-before-high-risk": False, "public-body": "private", "transfers-outside-eea": False,
         "data-with-supplier": True, "automated-decisions": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons"),
    ),
    # --- Cases the second review (23 Nov 2026) asked to pin ---
    scenario(
        "A staff assistant the museum built on a model API, drafting letters and summaries that only staff"
        " see: it still generates text, so the museum must mark its output (W-1)",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": False, **NO_PERSONAL_DATA, "public-content": [], **BUILT,
         "generates-content": ["text"], "marketed-before-art-50": False},
        role="provider", classes=("transparency",),
        now=("ai-literacy", "mark-generated-content"),
    ),
    scenario(
        "An image generator the museum built for its design team, output kept in-house, on 3 Dec 2026:"
        " marking, and the intimate-imagery questions, whoever sees the images (W-1)",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": False, **NO_PERSONAL_DATA, "public-content": [], **BUILT,
         "generates-content": ["images"], "sexual-imagery": False, "sexual-imagery-safeguards": False,
         "marketed-before-art-50": False},
        day=D(2026, 12, 3),
        role="provider", classes=("transparency",),
        now=("ai-literacy", "mark-generated-content"),
    ),
    scenario(
        "A tagger the museum built that only picks keywords from its thesaurus: no generated content, so"
        " no marking (W-1)",
        "metadata-enrichment",
        {"meets": ["nobody"], **NO_PERSONAL_DATA, "public-content": [], **BUILT, "generates-content": []},
        role="provider", classes=("minimal",),
        now=("ai-literacy",),
    ),
    scenario(
        "A general assistant on the market since 2023 that a private museum starts using in March 2028 to"
        " sort job applications: the museum made it high-risk, so no Art. 111(2) transition; full"
        " provider and deployer duties (W-2)",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": True, "staff-decisions": True, "personal-data": True,
         "special-category": False, "biometric-data": False, "public-content": [], "built-by-museum": False,
         "own-name": False, "substantial-modification": False, "changed-purpose": True,
         "changed-purpose-area": "employment", "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": True},
        day=D(2028, 3, 1),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons", "high-risk-provider-duties"),
    ),
    scenario(
        "A recruitment tool on sale since 2026 that a private museum retrains on its own hiring data in"
        " 2028, beyond what the supplier offers: a substantial modification, so no Art. 111(2) transition"
        " (W-2)",
        "recruitment-screening",
        {**MET_BY_STAFF, "special-category": False, "biometric-data": False, "built-by-museum": False,
         "own-name": False, "substantial-modification": True, "changed-purpose": False,
         "public-body": "private", "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False},
        day=D(2028, 3, 1),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons", "high-risk-provider-duties"),
    ),
    scenario(
        "A municipal museum's cameras counting visitors by estimated age and sex, on 3 Dec 2027: Annex III"
        " 1(b) on a safe-side reading of 'protected', so the FRIA and registration; the reason says to ask"
        " a lawyer (R-2)",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         "personal-data": True, "special-category": False,
         "biometric-data": True, "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": False, "biometric-categorisation": True, "protected-characteristics": True,
         "sensitive-traits": False, **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "public-body",
         "transfers-outside-eea": False, "data-with-supplier": True,
         "profiling": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-deployer-duties",
             "fundamental-rights-impact-assessment", "register-high-risk-use"),
    ),
    scenario(
        "Donor profiling on a US service, deciding nothing on its own: the profiling duty rests on the"
        " information and objection articles, not on the Art. 22 ones (R-3)",
        "audience-profiling",
        {"meets": ["nobody"], "manipulation": False, "device-tracking": False, "special-category": False,
         **BOUGHT,
         "transfers-outside-eea": True, "data-with-supplier": True, "automated-decisions": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "transfers", "profiling"),
        now=("ai-literacy",),
    ),
    scenario(
        "A supplier's chatbot that answers volunteers' questions about rotas and procedures: Art. 50(1)"
        " protects staff and volunteers too, so the museum checks they are told (R-4)",
        "staff-assistant",
        {"meets": ["staff"], "interacts": True, "on-staff": False, **NO_PERSONAL_DATA, "public-content": [],
         **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure-staff"),
    ),
    scenario(
        "A helpdesk chatbot for staff that the museum built on a model API: the museum designs it to say it"
        " is an AI, unless obvious, and marks its text (R-4, W-1)",
        "staff-assistant",
        {"meets": ["staff"], "interacts": True, "on-staff": False, **NO_PERSONAL_DATA, "public-content": [],
         **BUILT, "generates-content": ["text"], "marketed-before-art-50": False},
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content"),
    ),
    scenario(
        "A rostering tool that exploits low-paid attendants' money worries, unnoticed, to push them into"
        " unpaid extra shifts likely to harm them: the manipulation ban protects staff too (R-4)",
        "staff-scheduling",
        {"meets": ["staff"], "interacts": False, "manipulation": True, "special-category": False,
         "biometric-data": False, "staff-decisions": True, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": True},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "A private foundation museum with no public service that scores members' creditworthiness for a"
        " pay-later membership scheme, on 3 Dec 2027: Annex III 5(b), so the FRIA whatever its status"
        " (R-5)",
        "other",
        {"meets": ["public-online"], "ai-system": "ai", "interacts": False, "manipulation": False,
         "personal-data": True, "special-category": False, "biometric-data": False, "on-staff": False,
         "other-high-risk-area": "credit-insurance", "public-content": [], **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": True},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "high-risk-deployer-duties", "inform-affected-persons",
             "fundamental-rights-impact-assessment"),
    ),
    scenario(
        "A chatbot an agency configured and adapted specially for the museum and runs as 'Ask the museum':"
        " the museum had it developed and puts it into service under its own name, so it is the provider"
        " under Art. 3(3) and designs the AI disclosure itself (R-6)",
        "visitor-chatbot",
        {"meets": ["public-online"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, **BUILT, "marketed-before-art-50": False},
        role="provider", classes=("transparency",),
        now=("ai-literacy", "design-ai-disclosure", "mark-generated-content"),
    ),
    scenario(
        "A municipal museum's CCTV that names visitors through a service that scrapes faces from the web:"
        " banned, and the triage is complete without the high-risk questions, which a ban makes moot;"
        " the GDPR questions stay (R-7)",
        "security-cctv",
        {"meets": ["visitors"], "predicts-offences": False, "interacts": False, "manipulation": False,
         "personal-data": True, "special-category": False, "biometric-data": True, "identifies-people": True,
         "face-scraping": True, "emotion-recognition": False, "biometric-categorisation": False,
         "on-staff": False, **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True,
         "automated-decisions": False, "profiling": False},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "stop-prohibited-use", "no-face-identification-without-law"),
    ),
    scenario(
        "A supplier's visitor chatbot triaged as of 1 Aug 2026, the day before Art. 50 applies: the"
        " transparency class and the disclosure duty are shown as coming, with their date (D-3)",
        "visitor-chatbot",
        {"meets": ["visitors"], "manipulation": False, **NO_PERSONAL_DATA, "public-content": ["text"],
         "published-text": False, **BOUGHT},
        day=D(2026, 8, 1),
        role="deployer", classes=("transparency", "minimal"),
        coming_classes={"transparency": D(2026, 8, 2)},
        now=("ai-literacy",),
        coming={"check-ai-disclosure": D(2026, 8, 2)},
    ),
    scenario(
        "Letters from donors' descendants about a hereditary illness in the family, transcribed by AI:"
        " genetic and health data are special-category data (D-4)",
        "transcription",
        {"meets": ["nobody"], "personal-data": True, "special-category": True, "biometric-data": False,
         "public-content": [], **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy",),
    ),
    scenario(
        "Opt-in face entry for members who choose it, checking each face against the member's own enrolled"
        " photo: verification, not a watchlist, so not the duty that rules out visitors' consent (D-6)",
        "security-cctv",
        {"meets": ["visitors"], "predicts-offences": False, "interacts": False, "manipulation": False,
         "personal-data": True, "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": True, "face-scraping": False, "emotion-recognition": False,
         "biometric-categorisation": False, "on-staff": False, **BOUGHT, "transfers-outside-eea": False,
         "data-with-supplier": True, "automated-decisions": False, "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy",),
    ),
    # --- Cases the third review (23 Nov 2026) asked to pin ---
    scenario(
        "Emotion cameras in the galleries, meant for visitors, that also read the emotions of the gallery"
        " attendants in view: the museum answers yes to 'used on staff', so the workplace ban applies (R-2)",
        "emotion-attention",
        {"meets": ["visitors", "staff"], "interacts": False, "manipulation": False, "personal-data": True,
         "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": False, "face-scraping": False, "emotion-recognition": True,
         "biometric-categorisation": False, "on-staff": True, "on-students": False, "staff-decisions": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "Visitor cameras that sort visitors by their ethnic origin, with no personal data stored: inferring"
        " ethnic origin is inferring race, banned (Art. 5(1)(g)), not merely high-risk (R-6)",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         **NO_PERSONAL_DATA, "biometric-data": True, "identifies-people": False, "verifies-people": False,
         "face-scraping": False, "emotion-recognition": False, "biometric-categorisation": True,
         "protected-characteristics": False, "sensitive-traits": True, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "profiling": False},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "CCTV that flags unattended bags, which the supplier calls 'anonymous': filming people is personal"
        " data all the same, so the question is not asked and the GDPR points and the DPIA follow (R-3)",
        "security-cctv",
        {"meets": ["visitors", "staff"], "predicts-offences": False, "interacts": False,
         "manipulation": False, "special-category": False, "biometric-data": False, "on-staff": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy",),
    ),
    scenario(
        "Tasks handed out by each attendant's behaviour, the museum answering 'no' to profiling, on"
        " 3 Dec 2027: a staff decision is profiling, so the provider's 'not high-risk' assessment is not"
        " asked and the system stays high-risk (R-5)",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": False, "staff-decisions": True,
         **BOUGHT, "in-use-before-high-risk": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "consult-staff-representatives", "high-risk-deployer-duties", "inform-workers",
             "inform-affected-persons"),
    ),
    scenario(
        "A back-office donor model that singles out elderly donors in cognitive decline for pressing"
        " appeals: the ban on exploiting a vulnerability is asked although nobody meets it, and applies"
        " (R-7)",
        "audience-profiling",
        {"meets": ["nobody"], "manipulation": True, "device-tracking": False, "special-category": False,
         **BOUGHT, "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False},
        role="deployer", classes=("prohibited",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "stop-prohibited-use"),
    ),
    scenario(
        "A municipal museum's emotion measurement of visitors, on sale since 2026 and never changed, on"
        " 1 Aug 2030: the public authorities' transition ends the next day, shown as coming (R-1)",
        "emotion-attention",
        {**SEEN_BY_VISITORS, "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": True, "biometric-categorisation": False, "on-staff": False,
         "on-students": False, **BOUGHT, "in-use-before-high-risk": True, "design-changed": False,
         "public-body": "public-body", "not-high-risk-assessment": False, "transfers-outside-eea": False,
         "data-with-supplier": True, "profiling": False},
        day=D(2030, 8, 1),
        role="deployer", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-existing-system"),
        coming={"high-risk-duties-public-authority-backstop": D(2030, 8, 2)},
    ),
    scenario(
        "The same system on 3 Aug 2030: for a public authority the high-risk duties now apply although the"
        " design never changed (Art. 111(2), second sentence) (R-1)",
        "emotion-attention",
        {**SEEN_BY_VISITORS, "personal-data": True, "special-category": False, "biometric-data": True,
         "identifies-people": False, "verifies-people": False, "face-scraping": False,
         "emotion-recognition": True, "biometric-categorisation": False, "on-staff": False,
         "on-students": False, **BOUGHT, "in-use-before-high-risk": True, "design-changed": False,
         "public-body": "public-body", "not-high-risk-assessment": False, "transfers-outside-eea": False,
         "data-with-supplier": True, "profiling": False},
        day=D(2030, 8, 3),
        role="deployer", classes=("high-risk", "transparency"),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract"),
        now=("ai-literacy", "inform-exposed-people", "high-risk-existing-system",
             "high-risk-duties-public-authority-backstop"),
    ),
    scenario(
        "A supplier's office assistant that the museum uses to grade the students of its academy, on"
        " 3 Dec 2027: the new purpose is asked, is education, so the system is high-risk and the museum its"
        " provider (Art. 25(1)(c)) (R-4)",
        "staff-assistant",
        {**MET_BY_STAFF, "on-staff": False, "personal-data": True, "special-category": False,
         "biometric-data": False, "public-content": [], "built-by-museum": False, "own-name": False,
         "substantial-modification": False, "changed-purpose": True, "changed-purpose-area": "education",
         "not-high-risk-assessment": False, "public-body": "private", "transfers-outside-eea": False,
         "data-with-supplier": True, "automated-decisions": False, "profiling": True},
        day=D(2027, 12, 3),
        role="provider", classes=("high-risk",),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "high-risk-deployer-duties", "inform-affected-persons",
             "high-risk-provider-duties"),
    ),
    scenario(
        "A supplier's transcription service that HR uses to score recorded job interviews, on 1 Dec 2027:"
        " a new purpose in employment, so high-risk and provider from 2 Dec 2027, staff told (R-4)",
        "transcription",
        {"meets": ["staff"], "interacts": False, "personal-data": True, "special-category": False,
         "biometric-data": False, "public-content": [], "built-by-museum": False, "own-name": False,
         "substantial-modification": False, "changed-purpose": True, "changed-purpose-area": "employment",
         "public-body": "private", "transfers-outside-eea": False,
         "data-with-supplier": True},
        day=D(2027, 12, 1),
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        coming_role=("provider", D(2027, 12, 2)),
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "consult-staff-representatives"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "inform-workers": D(2027, 12, 2),
                "inform-affected-persons": D(2027, 12, 2), "high-risk-provider-duties": D(2027, 12, 2)},
    ),
    scenario(
        "Visitor counting that recognises returning visitors by their faces: not only CCTV needs a specific"
        " law to identify visitors by their faces (R-8)",
        "visitor-counting",
        {**SEEN_BY_VISITORS, "ai-system": "ai", "on-staff": False, "device-tracking": False,
         "personal-data": True, "special-category": False, "biometric-data": True, "identifies-people": True,
         "face-scraping": False, "emotion-recognition": False, "biometric-categorisation": False, **BOUGHT,
         "in-use-before-high-risk": False, "not-high-risk-assessment": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "profiling": True},
        role="deployer", classes=("high-risk", "minimal"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "no-face-identification-without-law"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2)},
    ),
    scenario(
        "A face time clock that staff deliberately look into, finding them among all enrolled staff, on"
        " 3 Dec 2027: not remote identification, so answered as verification: not high-risk, but still"
        " biometric data under the GDPR (R-9)",
        "staff-scheduling",
        {**STEERS_STAFF, "special-category": False, "biometric-data": True, "identifies-people": False,
         "verifies-people": True, "face-scraping": False, "emotion-recognition": False,
         "biometric-categorisation": False, "staff-decisions": False, **BOUGHT,
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False,
         "profiling": False},
        day=D(2027, 12, 3),
        role="deployer", classes=("minimal",),
        gdpr=("lawful-basis", "information", "special-category", "dpia", "processor-contract"),
        now=("ai-literacy", "consult-staff-representatives"),
    ),
    scenario(
        "A candidate-facing interview chatbot, with job candidates ticked as meeting it: Art. 50(1) is asked"
        " and the museum checks that candidates are told it is an AI (D-1)",
        "recruitment-screening",
        {"meets": ["staff"], "interacts": True, "special-category": False, "biometric-data": False,
         **BOUGHT, "in-use-before-high-risk": False, "public-body": "private",
         "transfers-outside-eea": False, "data-with-supplier": True, "automated-decisions": False},
        role="deployer", classes=("high-risk", "transparency"),
        coming_classes={"high-risk": D(2027, 12, 2)},
        gdpr=("lawful-basis", "information", "dpia", "processor-contract", "profiling"),
        now=("ai-literacy", "check-ai-disclosure-staff", "consult-staff-representatives"),
        coming={"high-risk-deployer-duties": D(2027, 12, 2), "inform-workers": D(2027, 12, 2),
                "inform-affected-persons": D(2027, 12, 2)},
    ),
    scenario(
        "A talking avatar an artist made with AI and the museum exhibits as her work: the disclosure duty is"
        " the artist's, and the museum is advised to say so in the label (D-8)",
        "person-avatar",
        {"meets": ["visitors"], "interacts": True, "manipulation": False, **NO_PERSONAL_DATA,
         "public-content": ["audio", "video"], "deepfake-made-by": "third-party", "sexual-imagery": False,
         **BOUGHT},
        role="deployer", classes=("transparency",),
        now=("ai-literacy", "check-ai-disclosure", "label-third-party-ai-work"),
    ),
]
# fmt: on


@pytest.mark.parametrize("case", SCENARIOS, ids=[case.what for case in SCENARIOS])
def test_scenario(case: Scenario) -> None:
    result = triage(Facts(case.use, case.answers), today=case.day)

    assert [question.slug for question in result.questions] == [], "every question asked is answered"
    assert set(case.answers) <= set(result.answers), "every answer given is to a question asked"
    assert result.role.slug == case.role
    assert result.classification_slugs == case.classes
    assert {point.slug for point in result.gdpr} == case.gdpr
    assert {duty.slug for duty in result.current_duties()} == case.now
    assert {duty.slug: duty.applies_from for duty in result.coming_duties()} == case.coming
    assert {
        item.slug: item.applies_from for item in result.classifications if item.status == "coming"
    } == case.coming_classes
    coming_role = (result.role.coming_slug, result.role.coming_from) if result.role.coming else None
    assert coming_role == case.coming_role


def test_the_table_has_at_least_25_scenarios_and_every_use() -> None:
    assert len(SCENARIOS) >= 25
    assert {case.use for case in SCENARIOS} == set(RULES.uses)


def test_the_table_reaches_every_duty_class_role_and_gdpr_point() -> None:
    results = [triage(Facts(case.use, case.answers), today=case.day) for case in SCENARIOS]
    assert {duty.slug for result in results for duty in result.duties} == {duty.slug for duty in RULES.duties}
    assert {slug for result in results for slug in result.classification_slugs} == {
        "prohibited",
        "high-risk",
        "transparency",
        "minimal",
    }
    assert {result.role.slug for result in results} == {"deployer", "provider"}
    assert {point.slug for result in results for point in result.gdpr} == {point.slug for point in RULES.gdpr}


def test_every_finding_and_duty_carries_its_legal_reference() -> None:
    for case in SCENARIOS:
        result = triage(Facts(case.use, case.answers), today=case.day)
        findings = [*result.role.reasons, *result.gdpr]
        findings += [reason for item in result.classifications for reason in item.reasons]
        for finding in findings:
            assert str(finding.reference).startswith(("AI Act (Regulation (EU) 2024/1689", "GDPR"))
        for duty in result.duties:
            assert "Art." in str(duty.legal_reference) or "Chapter" in str(duty.legal_reference)


def test_the_amending_act_is_cited_as_the_legal_sources_page_does() -> None:
    answers: dict[str, Any] = {"meets": ["nobody"], "ai-system": "ai", **BOUGHT}
    triaged = triage(Facts("building-control", answers), today=WRITTEN)
    assert str(triaged.duties[0].legal_reference) == (
        "AI Act (Regulation (EU) 2024/1689, as amended by Regulation (EU) 2026/1744) Art. 4"
    )


# --- The triage asks only what matters ---------------------------------------------------------


def walk(use: str, answers: dict[str, Any]) -> tuple[list[str], Triage]:
    """Answer the triage one question at a time, as the register's page will: the given answer, or else
    'no' / the first choice / nothing ticked. Returns the questions in the order they were asked."""
    given: dict[str, Any] = {}
    asked: list[str] = []
    while True:
        result = triage(Facts(use, given), today=WRITTEN)
        if result.complete:
            return asked, result
        question = result.questions[0]
        asked.append(question.slug)
        if question.slug in answers:
            given[question.slug] = answers[question.slug]
        elif question.type == "yes-no":
            given[question.slug] = False
        elif question.type == "choice":
            given[question.slug] = question.choices[0].slug
        else:
            given[question.slug] = []


def test_building_climate_control_is_not_asked_about_people_or_faces() -> None:
    asked, result = walk("building-control", {"meets": ["nobody"], "ai-system": "ai"})

    assert asked == [
        "meets",
        "ai-system",
        "built-by-museum",
        "own-name",
        "substantial-modification",
        "changed-purpose",
    ]
    assert result.classification_slugs == ("minimal",)


def test_a_system_that_only_follows_rules_people_wrote_is_outside_the_ai_act() -> None:
    asked, result = walk("building-control", {"meets": ["nobody"], "ai-system": "rules-only"})

    assert asked == ["meets", "ai-system"]
    assert result.classification_slugs == ("minimal",)
    assert [reason.slug for reason in result.classifications[0].reasons] == ["not-an-ai-system"]
    assert result.duties == ()  # not even Art. 4, which binds providers and deployers of AI systems


def test_the_three_system_museum_sees_its_recruitment_duties_turn_current() -> None:
    trio = [case for case in SCENARIOS if case.what.startswith("Three-system museum")]
    assert [case.use for case in trio] == [
        "visitor-chatbot",
        "metadata-enrichment",
        "recruitment-screening",
        "recruitment-screening",
    ]
    recruitment = trio[2].answers
    high_risk = {"high-risk-deployer-duties", "inform-workers", "inform-affected-persons"}
    for day, status in ((D(2027, 12, 1), "coming"), (D(2027, 12, 3), "current")):
        result = triage(Facts("recruitment-screening", recruitment), today=day)
        assert {duty.slug: duty.status for duty in result.duties if duty.slug in high_risk} == dict.fromkeys(
            high_risk, status
        )
        assert all(duty.applies_from == D(2027, 12, 2) for duty in result.duties if duty.slug in high_risk)


def test_texts_say_what_the_review_asked() -> None:
    duties = {item.slug: item for item in RULES.duties}
    roles = {item.slug: item for item in RULES.roles}
    questions = {item.slug: item for item in RULES.questions}
    assert "(b)" in roles["provider-changed-purpose"].reference.articles  # D10
    assert "measures that help the staff" in duties["ai-literacy"].practice  # D4
    assert "market surveillance authority" in duties["high-risk-deployer-duties"].practice  # D3
    assert (
        "Art. 27(1) to (5)" in duties["fundamental-rights-impact-assessment"].legal_reference.articles
    )  # D2
    assert "advised" in duties["disclose-ai-text"].practice  # R8
    assert "If the basis is consent" in duties["gdpr-profiling"].practice  # R15
    assert "significant harm" in questions["manipulation"].text  # R1
    assert "explicit consent" in questions["sexual-imagery"].text  # D5
    assert "API" in questions["built-by-museum"].help  # D11
    assert "does not offer or document" in questions["substantial-modification"].text  # D8
    assert "exception" in questions["sensitive-traits"].help  # R19


def test_stray_answers_to_questions_not_asked_are_set_aside() -> None:
    stray: dict[str, Any] = {"meets": ["nobody"], **BOUGHT, "biometric-data": True, "identifies-people": True}
    result = triage(Facts("building-control", stray), today=WRITTEN)

    assert "identifies-people" not in result.answers
    assert result.classification_slugs == ("minimal",)


def test_a_chatbot_without_personal_data_is_not_asked_about_faces_or_transfers() -> None:
    asked, _ = walk("visitor-chatbot", {"meets": ["visitors"]})

    assert "biometric-data" not in asked
    assert "transfers-outside-eea" not in asked
    assert "interacts" not in asked  # a chatbot converses by its nature


def test_questions_follow_the_answers() -> None:
    asked, _ = walk(
        "emotion-attention",
        {"meets": ["visitors"], "personal-data": True, "biometric-data": True, "emotion-recognition": True},
    )

    assert asked.index("biometric-data") < asked.index("emotion-recognition")
    assert "public-body" in asked  # a possible high-risk use brings the question of Art. 27
    assert "sensitive-traits" not in asked  # only after 'sorts people into groups'


def test_a_use_settles_what_follows_from_it() -> None:
    asked, result = walk("recruitment-screening", {})

    assert "on-staff" not in asked
    assert "staff-decisions" not in asked
    assert result.classification_slugs == ("high-risk", "minimal")  # the high-risk class from 2 Dec 2027
    assert result.classifications[0].status == "coming"


def test_an_unfinished_triage_lists_the_next_questions_in_order() -> None:
    result = triage(Facts("visitor-chatbot", {}), today=WRITTEN)

    assert not result.complete
    assert [question.slug for question in result.questions] == [
        "meets",
        "personal-data",
        "public-content",
        "built-by-museum",
    ]


def test_a_duty_with_an_exemption_stays_listed_until_the_exemption_is_stated() -> None:
    unanswered = triage(Facts("generated-texts", {}), today=WRITTEN)
    reviewed = triage(Facts("generated-texts", {"human-review": True}), today=WRITTEN)

    assert "disclose-ai-text" in {duty.slug for duty in unanswered.duties}
    assert "disclose-ai-text" not in {duty.slug for duty in reviewed.duties}


def test_the_triage_refuses_facts_that_do_not_fit() -> None:
    with pytest.raises(TriageError, match="unknown use 'robot'"):
        triage(Facts("robot", {}), today=WRITTEN)
    with pytest.raises(TriageError, match="unknown question 'colour'"):
        triage(Facts("other", {"colour": "red"}), today=WRITTEN)
    with pytest.raises(TriageError, match="'maybe' is not an answer to 'personal-data'"):
        triage(Facts("other", {"personal-data": "maybe"}), today=WRITTEN)
    with pytest.raises(TriageError, match="follows from the use"):
        triage(Facts("recruitment-screening", {"personal-data": False}), today=WRITTEN)


# --- The validator ------------------------------------------------------------------------------


def raw() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))


def duty(data: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(item for item in data["duties"] if item["slug"] == slug)


def question(data: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(item for item in data["questions"] if item["slug"] == slug)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(RegisterRulesError) as error:
        parse(data)
    return str(error.value)


def test_the_rules_file_is_valid() -> None:
    assert RULES.version == "1.0"
    assert len(RULES.uses) == 17
    assert all(str(item.legal_reference).strip() for item in RULES.duties)


def test_an_unknown_key_is_refused() -> None:
    data = raw()
    duty(data, "ai-literacy")["aplies_from"] = data["date"]
    assert "duty ai-literacy: unknown keys ['aplies_from']" in refused(data)


def test_an_unknown_question_in_a_condition_is_refused() -> None:
    data = raw()
    duty(data, "disclose-ai-text")["when"] = {"answer": "human-reviewed", "is": True}
    assert "duty disclose-ai-text: when: unknown question 'human-reviewed'" in refused(data)


def test_an_unknown_use_rule_or_answer_in_a_condition_is_refused() -> None:
    data = raw()
    question(data, "on-staff")["asked_when"] = {"use": ["staff-rostering"]}
    duty(data, "stop-prohibited-use")["when"] = {"rule": ["ban-everything"]}
    duty(data, "gdpr-transfers")["when"] = {"answer": "transfers-outside-eea", "is": "sometimes"}
    message = refused(data)
    assert "question on-staff: asked_when: unknown use 'staff-rostering'" in message
    assert "duty stop-prohibited-use: when: unknown rule 'ban-everything'" in message
    assert "duty gdpr-transfers: when: 'sometimes' is not an answer to 'transfers-outside-eea'" in message


def test_a_malformed_date_is_refused() -> None:
    data = raw()
    duty(data, "high-risk-deployer-duties")["applies_from"] = "2027-02-30"
    assert "duty high-risk-deployer-duties: applies_from must be a date" in refused(data)


def test_a_duty_without_legal_reference_is_refused() -> None:
    data = raw()
    del duty(data, "gdpr-dpia")["legal_reference"]
    duty(data, "ai-literacy")["legal_reference"] = {"act": "ai-act", "articles": " "}
    duty(data, "gdpr-transfers")["legal_reference"] = {"act": "data-act", "articles": "Art. 5"}
    message = refused(data)
    assert "duty gdpr-dpia: legal_reference is missing" in message
    assert "duty ai-literacy: the reference names no article" in message
    assert "duty gdpr-transfers: unknown act 'data-act'" in message


def test_a_question_may_depend_only_on_earlier_questions() -> None:
    data = raw()
    question(data, "meets")["asked_when"] = {"answer": "personal-data", "is": True}
    assert "question meets: asked_when: question 'personal-data' is not asked before this one" in refused(
        data
    )


def test_conditions_are_data_not_code() -> None:
    data = raw()
    duty(data, "ai-literacy")["when"] = {"python": "__import__('os').system('true')"}
    question(data, "interacts")["asked_when"] = {"rule": ["transparency-interaction"]}
    message = refused(data)
    assert "duty ai-literacy: when: 'python' cannot be used here" in message
    assert "question interacts: asked_when: 'rule' cannot be used here" in message


def test_the_fallback_rules_are_last_and_single() -> None:
    data = raw()
    data["rules"]["classification"].insert(0, data["rules"]["classification"].pop())
    assert "rules.classification: the last rule, and only it, must be the 'otherwise' rule" in refused(data)


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    assert "the file must be a mapping" in refused([])  # type: ignore[arg-type]


def test_a_ban_not_yet_in_force_is_shown_with_its_date_beside_the_classes_in_force() -> None:
    booth = next(case for case in SCENARIOS if case.what.startswith("An in-house 'see yourself"))
    before = triage(Facts(booth.use, booth.answers), today=D(2026, 12, 1))
    after = triage(Facts(booth.use, booth.answers), today=D(2026, 12, 3))

    banned_before = before.classifications[0]
    assert (banned_before.slug, banned_before.status, banned_before.applies_from) == (
        "prohibited",
        "coming",
        D(2026, 12, 2),
    )
    assert [(item.slug, item.status) for item in after.classifications] == [("prohibited", "current")]


def test_a_role_rule_with_a_malformed_date_is_refused() -> None:
    data = raw()
    next(item for item in data["rules"]["roles"] if item["slug"] == "provider-own-name")["applies_from"] = (
        "soon"
    )
    assert "role rule provider-own-name: applies_from must be a date" in refused(data)


def test_texts_say_what_the_second_review_asked() -> None:
    rules = {item.slug: item for item in (*RULES.classification, *RULES.roles, *RULES.gdpr)}
    duties = {item.slug: item for item in RULES.duties}
    questions = {item.slug: item for item in RULES.questions}
    assert "whoever sees it" in rules["transparency-generated-content"].reason  # W-1
    assert "substantial modification" in questions["design-changed"].help  # W-2
    assert "lawyer" in rules["high-risk-biometric-categorisation"].reason
    for reference in (rules["profiling"].reference, duties["gdpr-profiling"].legal_reference):
        assert "Art. 13(1)(c)" in reference.articles and "where Art. 22 applies" in reference.articles
    assert "Art. 3(3)" in rules["deployer-changes-not-high-risk"].reason
    assert "specially for the museum" in questions["own-name"].help
    assert "genes" in questions["special-category"].text  # D-4
    assert str(duties["consult-staff-representatives"].legal_reference).startswith("National law")  # D-5
    assert "GDPR Art. 88 where relevant" in duties["consult-staff-representatives"].legal_reference.articles
    assert "for a watchlist" in duties["no-face-identification-without-law"].practice  # D-6
    assert "lists only the ban" in duties["stop-intimate-imagery"].practice  # D-8
    art_50 = [duty for duty in RULES.duties if duty.legal_reference.articles.startswith("Art. 50(")]
    dated = {duty.slug: duty.applies_from for duty in art_50 if duty.for_role != "both"}
    assert dated.pop("mark-generated-content-existing") == D(2026, 12, 2)  # the Art. 111(4) transition
    assert set(dated.values()) == {D(2026, 8, 2)}  # D-3
    docs = (RULES_FILE.parents[1] / "docs" / "register-rules.md").read_text(encoding="utf-8")
    assert "Art. 3(40)" in docs and "Recital 16" not in docs  # D-1
    assert "Art. 5(1)(c)" in docs and "Art. 5(1)(h)" in docs  # D-7


def test_a_system_outside_the_ai_act_has_no_ai_act_role() -> None:  # D-2
    for ai_system, slug in (("rules-only", "no-role-not-ai-system"), ("research-only", "no-role-research")):
        answers: dict[str, Any] = {
            "meets": ["nobody"],
            "ai-system": ai_system,
            **NO_PERSONAL_DATA,
            "on-staff": False,
        }
        result = triage(Facts("other", answers), today=WRITTEN)
        assert result.complete
        assert [reason.slug for reason in result.role.reasons] == [slug]
        assert result.role.reasons[0].reason.startswith("No AI Act role")


def test_a_ban_in_force_ends_the_high_risk_questions() -> None:
    asked, result = walk(
        "emotion-attention",
        {"meets": ["staff"], "personal-data": True, "biometric-data": True, "emotion-recognition": True,
         "on-staff": True},
    )  # fmt: skip

    assert result.complete and result.classification_slugs == ("prohibited",)
    assert not {"in-use-before-high-risk", "design-changed", "public-body", "not-high-risk-assessment"} & set(
        asked
    )
    assert "transfers-outside-eea" in asked  # the GDPR questions stay


def test_a_staff_decision_never_gets_the_art_6_3_derogation() -> None:
    tasks = next(case for case in SCENARIOS if case.what.startswith("Tasks handed out by each attendant"))
    claimed = {**tasks.answers, "not-high-risk-assessment": True}
    result = triage(Facts(tasks.use, claimed), today=tasks.day)
    assert "not-high-risk-assessment" not in result.answers  # not asked, so set aside
    assert result.classification_slugs == ("high-risk",)
    assert "keep-not-high-risk-assessment" not in {duty.slug for duty in result.duties}


def test_texts_say_what_the_third_review_asked() -> None:
    rules = {item.slug: item for item in (*RULES.classification, *RULES.roles, *RULES.gdpr)}
    duties = {item.slug: item for item in RULES.duties}
    questions = {item.slug: item for item in RULES.questions}
    assert "staff or volunteers are in view" in questions["on-staff"].help
    assert "ethnic origin" not in questions["protected-characteristics"].text
    assert "race or ethnic origin" in questions["sensitive-traits"].text
    assert "ethnic origin" in rules["ban-sensitive-categorisation"].reason
    assert RULES.uses["security-cctv"].implies == {"personal-data": True}
    assert "time clock" in questions["identifies-people"].help
    choices = {choice.slug: choice.label for choice in questions["meets"].choices}
    assert choices["staff"] == "Staff, volunteers or job candidates"  # D-1
    assert "Job candidates" in duties["check-ai-disclosure-staff"].practice
    for slug in ("other-high-risk-area", "changed-purpose-area"):  # D-2
        labels = {choice.slug: choice.label for choice in questions[slug].choices}
        assert "road traffic" in labels["critical-infrastructure"]
        assert "emergency calls" in labels["other-listed"]
    assert "targeted job ads" in RULES.uses["recruitment-screening"].help  # D-3
    assert "historical information" not in duties["disclose-ai-text"].practice  # D-4
    assert "is open" in duties["disclose-ai-text"].practice
    assert "Art. 14(5)(b)" in duties["gdpr-information"].practice  # D-6
    assert "Art. 14(5)(b)" in duties["gdpr-information"].legal_reference.articles
    assert "on or after that date" in duties["high-risk-existing-system"].practice  # D-7
    text = RULES_FILE.read_text(encoding="utf-8")
    assert "WOR art. 27(1)(k), (l)" in text  # D-5 (a comment in the rules file)


def test_a_suppliers_not_high_risk_paper_does_not_cover_a_purpose_the_museum_chose_in_employment() -> None:
    """Sorting CVs with a general assistant profiles people (GDPR Art. 4(4)): always high-risk (AI Act
    Art. 6(3), last subparagraph), and the museum is the provider for that purpose (Art. 25(1)(c)), so the
    supplier's assessment is not asked, and a stray "yes" to it changes nothing (fourth review, W-1)."""
    answers = {
        **MET_BY_STAFF,
        "on-staff": True,
        "staff-decisions": False,
        "personal-data": True,
        "special-category": False,
        "biometric-data": False,
        "public-content": [],
        "built-by-museum": False,
        "own-name": False,
        "substantial-modification": False,
        "changed-purpose": True,
        "changed-purpose-area": "employment",
        "public-body": "private",
        "transfers-outside-eea": False,
        "data-with-supplier": True,
        "automated-decisions": False,
        "profiling": False,
    }
    without = triage(Facts("staff-assistant", answers), today=D(2027, 12, 3))
    with_paper = triage(
        Facts("staff-assistant", {**answers, "not-high-risk-assessment": True}), today=D(2027, 12, 3)
    )
    for result in (without, with_paper):
        assert result.complete
        assert result.classification_slugs == ("high-risk",)
        assert result.role.slug == "provider"
        assert "keep-not-high-risk-assessment" not in {duty.slug for duty in result.duties}
        # Sorting CVs profiles people: the GDPR side follows (fifth review, R-1).
        assert {"dpia", "profiling"} <= {point.slug for point in result.gdpr}
        assert "consult-staff-representatives" in {duty.slug for duty in result.duties}
    assert "not-high-risk-assessment" not in without.answers
