"""The rules behind the museum's AI register: read the data file, and triage one AI system.

The legal content lives in ``register-rules.yaml`` (uses, questions, the decision table, the duties);
this module only reads it, checks it, and applies it. Pure Python: no database, no request.
How the triage decides is told in ``docs/register-rules.md``.

Conditions are small mappings evaluated here, never code (see the data file's header):
``{"all": [...]}``, ``{"any": [...]}``, ``{"not": ...}``, ``{"use": [...]}``,
``{"answer": slug, "is": value}``, ``{"answer": slug, "in": [values]}``, ``{"rule": [...]}``,
``{"classification": slug}``, ``{"role": slug}``, ``{"gdpr": slug}``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

RULES_FILE = Path(__file__).resolve().parent / "register-rules.yaml"

Answer = bool | str | tuple[str, ...]
Condition = Mapping[str, Any]
QuestionType = Literal["yes-no", "choice", "many"]
Status = Literal["current", "coming"]

CLASSES = ("prohibited", "high-risk", "transparency", "minimal")
ROLES = ("deployer", "provider")
FOR_ROLES = ("deployer", "provider", "both")
QUESTION_TYPES: tuple[QuestionType, ...] = ("yes-no", "choice", "many")

TOP_KEYS = {"version", "date", "acts", "uses", "questions", "rules", "duties"}
USE_KEYS = {"slug", "label", "help", "implies"}
QUESTION_KEYS = {"slug", "text", "help", "type", "choices", "asked_when"}
CHOICE_KEYS = {"slug", "label"}
RULES_KEYS = {"classification", "roles", "gdpr"}
CLASSIFICATION_KEYS = {"slug", "class", "reason", "reference", "when", "otherwise", "applies_from"}
ROLE_KEYS = {"slug", "role", "reason", "reference", "when", "otherwise", "applies_from"}
GDPR_KEYS = {"slug", "title", "reference", "when"}
DUTY_KEYS = {"slug", "title", "practice", "legal_reference", "applies_from", "for_role", "when"}
REFERENCE_KEYS = {"act", "articles"}

# What each part of the file may look at: a question only at the use and earlier answers; the
# classification at the answers; the role also at the classification; duties at everything.
FACTS_ONLY = frozenset({"all", "any", "not", "use", "answer"})
SCOPES = {
    "question": FACTS_ONLY,
    "classification": FACTS_ONLY,
    "role": FACTS_ONLY | {"rule", "classification"},
    "gdpr": FACTS_ONLY | {"rule", "classification", "role"},
    "duty": FACTS_ONLY | {"rule", "classification", "role", "gdpr"},
}
ALWAYS: Condition = {"all": []}


class RegisterRulesError(ValueError):
    """The rules file breaks a rule; the message says where and which."""


class TriageError(ValueError):
    """The facts given to the triage do not fit the rules (an unknown use, question or answer)."""


# --- The rules, as read from the file ---------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    slug: str
    label: str


@dataclass(frozen=True)
class Use:
    slug: str
    label: str
    help: str
    implies: Mapping[str, Answer]


@dataclass(frozen=True)
class Question:
    slug: str
    text: str
    help: str
    type: QuestionType
    choices: tuple[Choice, ...]
    asked_when: Condition


@dataclass(frozen=True)
class Reference:
    act: str  # the act's full citation, as the file's `acts` gives it
    articles: str

    def __str__(self) -> str:
        return f"{self.act} {self.articles}"


@dataclass(frozen=True)
class Rule:
    """A line of the decision table: when it matches, it gives `result` (a class, a role, a GDPR point)."""

    slug: str
    result: str
    reason: str
    reference: Reference
    when: Condition
    otherwise: bool = False
    applies_from: datetime.date | None = None


@dataclass(frozen=True)
class Duty:
    slug: str
    title: str
    practice: str
    legal_reference: Reference
    for_role: str
    when: Condition
    applies_from: datetime.date | None = None


@dataclass(frozen=True)
class RegisterRules:
    version: str
    date: datetime.date
    uses: Mapping[str, Use]
    questions: tuple[Question, ...]
    classification: tuple[Rule, ...]
    roles: tuple[Rule, ...]
    gdpr: tuple[Rule, ...]
    duties: tuple[Duty, ...]


# --- What the triage says ---------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """One AI system as the register knows it: its use and the triage answers given so far."""

    use: str
    answers: Mapping[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A matched rule: what it says, why, under which provision, and whether it applies yet."""

    slug: str
    result: str
    reason: str
    reference: Reference
    applies_from: datetime.date | None
    status: Status


@dataclass(frozen=True)
class Classification:
    slug: str  # prohibited, high-risk, transparency or minimal
    reasons: tuple[Finding, ...]

    @property
    def status(self) -> Status:
        return "current" if any(reason.status == "current" for reason in self.reasons) else "coming"

    @property
    def applies_from(self) -> datetime.date | None:
        """The earliest day one of its reasons applies (None: already applying when the file was written)."""
        if any(reason.applies_from is None for reason in self.reasons):
            return None
        return min(reason.applies_from for reason in self.reasons if reason.applies_from)


@dataclass(frozen=True)
class RoleFinding:
    slug: str  # deployer or provider (a provider that uses its system is also its deployer)
    reasons: tuple[Finding, ...]
    # A different role that a rule not yet in force gives (its reasons, status "coming"): the museum keeps
    # `slug` until then.
    coming: tuple[Finding, ...] = ()

    @property
    def coming_slug(self) -> str | None:
        return self.coming[0].result if self.coming else None

    @property
    def coming_from(self) -> datetime.date | None:
        return min((reason.applies_from for reason in self.coming if reason.applies_from), default=None)


@dataclass(frozen=True)
class DutyFinding:
    slug: str
    title: str
    practice: str
    legal_reference: Reference
    for_role: str
    applies_from: datetime.date | None
    status: Status


@dataclass(frozen=True)
class Triage:
    use: Use
    answers: Mapping[str, Answer]  # the answers that count: implied by the use, or given and asked
    questions: tuple[Question, ...]  # still to ask, in order; the findings are final once it is empty
    role: RoleFinding
    classifications: tuple[Classification, ...]
    gdpr: tuple[Finding, ...]
    duties: tuple[DutyFinding, ...]

    @property
    def complete(self) -> bool:
        return not self.questions

    @property
    def classification_slugs(self) -> tuple[str, ...]:
        return tuple(item.slug for item in self.classifications)

    def current_duties(self) -> tuple[DutyFinding, ...]:
        return tuple(duty for duty in self.duties if duty.status == "current")

    def coming_duties(self) -> tuple[DutyFinding, ...]:
        return tuple(duty for duty in self.duties if duty.status == "coming")


# --- Reading and checking the file -----------------------------------------------------------


def read_rules(path: Path = RULES_FILE) -> RegisterRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegisterRulesError(f"{path}: cannot read: {exc}") from exc
    return parse(data)


@functools.cache
def default_rules() -> RegisterRules:
    return read_rules()


def parse(data: Any) -> RegisterRules:
    """Check the whole file, then build the rules; every problem found is named in one error."""
    problems = _problems(data)
    if problems:
        raise RegisterRulesError("The register rules file has problems:\n- " + "\n- ".join(problems))
    acts: dict[str, str] = data["acts"]

    def reference(value: Mapping[str, str]) -> Reference:
        return Reference(act=acts[value["act"]], articles=value["articles"])

    def rule(item: Mapping[str, Any], result_key: str) -> Rule:
        return Rule(
            slug=item["slug"],
            result=item[result_key],
            reason=item.get("reason") or item.get("title", ""),
            reference=reference(item["reference"]),
            when=item.get("when", ALWAYS),
            otherwise=bool(item.get("otherwise", False)),
            applies_from=item.get("applies_from"),
        )

    rules = data["rules"]
    return RegisterRules(
        version=data["version"],
        date=data["date"],
        uses={
            item["slug"]: Use(
                slug=item["slug"],
                label=item["label"],
                help=item["help"],
                implies={key: _frozen(value) for key, value in (item.get("implies") or {}).items()},
            )
            for item in data["uses"]
        },
        questions=tuple(
            Question(
                slug=item["slug"],
                text=item["text"],
                help=item["help"],
                type=item["type"],
                choices=tuple(Choice(choice["slug"], choice["label"]) for choice in item.get("choices", [])),
                asked_when=item.get("asked_when", ALWAYS),
            )
            for item in data["questions"]
        ),
        classification=tuple(rule(item, "class") for item in rules["classification"]),
        roles=tuple(rule(item, "role") for item in rules["roles"]),
        gdpr=tuple(rule(item, "slug") for item in rules["gdpr"]),
        duties=tuple(
            Duty(
                slug=item["slug"],
                title=item["title"],
                practice=item["practice"],
                legal_reference=reference(item["legal_reference"]),
                for_role=item["for_role"],
                when=item["when"],
                applies_from=item.get("applies_from"),
            )
            for item in data["duties"]
        ),
    )


def _frozen(value: Any) -> Answer:
    return tuple(value) if isinstance(value, list) else value


def _problems(data: Any) -> list[str]:
    problems: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    if not isinstance(data, dict):
        return ["the file must be a mapping with " + ", ".join(sorted(TOP_KEYS))]
    missing = TOP_KEYS - set(data)
    need(not missing, f"missing top-level keys {sorted(missing)}")
    need(not set(data) - TOP_KEYS, f"unknown top-level keys {sorted(set(data) - TOP_KEYS)}")
    if missing:
        return problems
    need(isinstance(data["version"], str) and bool(data["version"].strip()), "version must be a string")
    need(_is_date(data["date"]), "date must be a date (YYYY-MM-DD)")
    acts = data["acts"] if isinstance(data["acts"], dict) else {}
    need(bool(acts), "acts must map short names to the acts' citations")

    sections = {
        "uses": data["uses"],
        "questions": data["questions"],
        "duties": data["duties"],
    }
    rules = data["rules"] if isinstance(data["rules"], dict) else {}
    need(set(rules) == RULES_KEYS, f"rules must have exactly {sorted(RULES_KEYS)}")
    for key in RULES_KEYS:
        sections[f"rules.{key}"] = rules.get(key, [])
    for name, items in sections.items():
        if not isinstance(items, list) or not all(
            isinstance(item, dict) and "slug" in item for item in items
        ):
            problems.append(f"{name} must be a list of mappings, each with a slug")
            sections[name] = []
    for name, items in sections.items():
        seen: set[str] = set()
        for item in items:
            need(item["slug"] not in seen, f"{name}: slug {item['slug']!r} is used twice")
            seen.add(item["slug"])

    uses = {item["slug"] for item in sections["uses"]}
    questions = {item["slug"]: item for item in sections["questions"]}
    rule_slugs = {item["slug"] for item in sections["rules.classification"]}
    gdpr_slugs = {item["slug"] for item in sections["rules.gdpr"]}
    known = {"use": uses, "rule": rule_slugs, "gdpr": gdpr_slugs}

    def check_reference(where: str, value: Any) -> None:
        ok = isinstance(value, dict) and set(value) == REFERENCE_KEYS
        need(ok, f"{where}: a legal reference needs exactly act and articles")
        if ok:
            need(value["act"] in acts, f"{where}: unknown act {value['act']!r}")
            need(bool(str(value["articles"]).strip()), f"{where}: the reference names no article")

    def check_text(where: str, item: Mapping[str, Any], keys: Iterable[str]) -> None:
        for key in keys:
            need(isinstance(item.get(key), str) and bool(item[key].strip()), f"{where}: {key} is empty")

    def check_keys(where: str, item: Mapping[str, Any], allowed: set[str]) -> None:
        need(not set(item) - allowed, f"{where}: unknown keys {sorted(set(item) - allowed)}")

    def check_when(where: str, item: Mapping[str, Any], scope: str, earlier: set[str] | None = None) -> None:
        if item.get("otherwise"):
            need("when" not in item, f"{where}: an 'otherwise' rule has no condition")
            return
        key = "asked_when" if scope == "question" else "when"
        if key not in item:
            need(scope == "question", f"{where}: {key} is missing (write {{all: []}} for always)")
            return
        _check_condition(item[key], f"{where}: {key}", scope, questions, known, earlier, problems)

    for item in sections["uses"]:
        where = f"use {item['slug']}"
        check_keys(where, item, USE_KEYS)
        check_text(where, item, ("label", "help"))
        implies = item.get("implies") or {}
        for slug, value in implies.items() if isinstance(implies, dict) else []:
            if slug not in questions:
                problems.append(f"{where}: implies an answer to unknown question {slug!r}")
            else:
                need(
                    _valid_answer(questions[slug], _frozen(value)), f"{where}: {value!r} cannot answer {slug}"
                )

    earlier: set[str] = set()
    for item in sections["questions"]:
        where = f"question {item['slug']}"
        check_keys(where, item, QUESTION_KEYS)
        check_text(where, item, ("text", "help"))
        kind = item.get("type")
        need(kind in QUESTION_TYPES, f"{where}: type must be one of {list(QUESTION_TYPES)}")
        choices = item.get("choices")
        if kind == "yes-no":
            need(choices is None, f"{where}: a yes-no question has no choices")
        else:
            ok = isinstance(choices, list) and len(choices) >= 2
            need(ok, f"{where}: needs at least two choices")
            for choice in choices if ok else []:
                need(
                    isinstance(choice, dict) and set(choice) == CHOICE_KEYS,
                    f"{where}: a choice needs slug, label",
                )
        check_when(where, item, "question", earlier)
        earlier.add(item["slug"])

    # Classification and role rules share a shape: what they give, why, from when and under which article.
    for section, label, keys, field_name, allowed, scope in (
        (
            "rules.classification",
            "classification rule",
            CLASSIFICATION_KEYS,
            "class",
            CLASSES,
            "classification",
        ),
        ("rules.roles", "role rule", ROLE_KEYS, "role", ROLES, "role"),
    ):
        for item in sections[section]:
            where = f"{label} {item['slug']}"
            check_keys(where, item, keys)
            check_text(where, item, ("reason",))
            need(item.get(field_name) in allowed, f"{where}: {field_name} must be one of {list(allowed)}")
            need(
                "applies_from" not in item or _is_date(item["applies_from"]),
                f"{where}: applies_from must be a date",
            )
            check_reference(where, item.get("reference"))
            check_when(where, item, scope)
    for name, result in (("rules.classification", "minimal"), ("rules.roles", "deployer")):
        fallbacks = [item for item in sections[name] if item.get("otherwise")]
        need(
            len(fallbacks) == 1 and fallbacks[0] is (sections[name] or [None])[-1],
            f"{name}: the last rule, and only it, must be the 'otherwise' rule",
        )
        need(
            all(item.get("class", item.get("role")) == result for item in fallbacks),
            f"{name}: the 'otherwise' rule must give {result}",
        )
    for item in sections["rules.gdpr"]:
        where = f"GDPR point {item['slug']}"
        check_keys(where, item, GDPR_KEYS)
        check_text(where, item, ("title",))
        check_reference(where, item.get("reference"))
        check_when(where, item, "gdpr")

    for item in sections["duties"]:
        where = f"duty {item['slug']}"
        check_keys(where, item, DUTY_KEYS)
        check_text(where, item, ("title", "practice"))
        need("legal_reference" in item, f"{where}: legal_reference is missing")
        if "legal_reference" in item:
            check_reference(where, item["legal_reference"])
        need(item.get("for_role") in FOR_ROLES, f"{where}: for_role must be one of {list(FOR_ROLES)}")
        need(
            "applies_from" not in item or _is_date(item["applies_from"]),
            f"{where}: applies_from must be a date",
        )
        check_when(where, item, "duty")
    return problems


def _is_date(value: Any) -> bool:
    # YAML reads 2027-12-02 as a date; a quoted or malformed one stays a string.
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _valid_answer(question: Mapping[str, Any], value: Any) -> bool:
    kind = question.get("type")
    choices = {choice.get("slug") for choice in question.get("choices") or [] if isinstance(choice, dict)}
    if kind == "yes-no":
        return isinstance(value, bool)
    if kind == "choice":
        return value in choices
    return isinstance(value, tuple) and all(item in choices for item in value)


def _check_condition(
    condition: Any,
    where: str,
    scope: str,
    questions: Mapping[str, Mapping[str, Any]],
    known: Mapping[str, set[str]],
    earlier: set[str] | None,
    problems: list[str],
) -> None:
    """A condition is well formed, names only known slugs, and looks only at what its scope may see."""

    def check(node: Any) -> None:
        if not isinstance(node, dict) or not node:
            problems.append(f"{where}: a condition must be a mapping, not {node!r}")
            return
        operator = "answer" if "answer" in node else next(iter(node))
        if operator not in SCOPES[scope]:
            problems.append(f"{where}: {operator!r} cannot be used here")
            return
        if operator in ("all", "any"):
            if set(node) != {operator} or not isinstance(node[operator], list):
                problems.append(f"{where}: {operator} takes a list of conditions")
                return
            for child in node[operator]:
                check(child)
        elif operator == "not":
            if set(node) != {"not"}:
                problems.append(f"{where}: not takes one condition")
                return
            check(node["not"])
        elif operator == "answer":
            check_answer(node)
        elif operator in ("use", "rule", "gdpr"):
            value = node[operator]
            values = value if isinstance(value, list) else [value]
            if set(node) != {operator} or not values:
                problems.append(f"{where}: {operator} takes a slug or a list of slugs")
            for slug in values:
                if slug not in known[operator]:
                    problems.append(f"{where}: unknown {operator} {slug!r}")
        elif operator in ("classification", "role"):
            allowed = CLASSES if operator == "classification" else ROLES
            if set(node) != {operator} or node[operator] not in allowed:
                problems.append(f"{where}: {operator} must be one of {list(allowed)}")
        else:
            problems.append(f"{where}: unknown condition {operator!r}")

    def check_answer(node: Mapping[str, Any]) -> None:
        slug = node["answer"]
        tests = set(node) - {"answer"}
        if slug not in questions:
            problems.append(f"{where}: unknown question {slug!r}")
            return
        if earlier is not None and slug not in earlier:
            problems.append(f"{where}: question {slug!r} is not asked before this one")
        if tests not in ({"is"}, {"in"}):
            problems.append(f"{where}: answer {slug!r} needs exactly one of 'is' or 'in'")
            return
        question = questions[slug]
        values = node["in"] if "in" in node else [node["is"]]
        if "in" in node and not isinstance(values, list):
            problems.append(f"{where}: 'in' takes a list")
            return
        for value in values:
            single = (value,) if question.get("type") == "many" else value
            if not _valid_answer(question, single):
                problems.append(f"{where}: {value!r} is not an answer to {slug!r}")

    check(condition)


# --- Evaluating conditions --------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    use: str
    answers: Mapping[str, Answer]
    rules: frozenset[str] = frozenset()
    classifications: frozenset[str] = frozenset()
    role: str | None = None
    gdpr: frozenset[str] = frozenset()


def holds(condition: Condition, context: _Context) -> bool:
    """Evaluate a condition the file checked; an unanswered question matches neither `is` nor `in`."""
    if "all" in condition:
        return all(holds(child, context) for child in condition["all"])
    if "any" in condition:
        return any(holds(child, context) for child in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], context)
    if "answer" in condition:
        if condition["answer"] not in context.answers:
            return False
        given = context.answers[condition["answer"]]
        wanted = condition["in"] if "in" in condition else [condition["is"]]
        if isinstance(given, tuple):
            return any(value in given for value in wanted)
        # `is` compares with ==: True == 1, but a yes-no answer is a bool and a choice a string.
        return any(given is value if isinstance(value, bool) else given == value for value in wanted)
    if "use" in condition:
        return context.use in _slugs(condition["use"])
    if "rule" in condition:
        return bool(context.rules & set(_slugs(condition["rule"])))
    if "gdpr" in condition:
        return bool(context.gdpr & set(_slugs(condition["gdpr"])))
    if "classification" in condition:
        return condition["classification"] in context.classifications
    if "role" in condition:
        return condition["role"] == context.role
    raise RegisterRulesError(f"unknown condition {condition!r}")  # parse() refuses it first


def _slugs(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


# --- The triage -------------------------------------------------------------------------------


def triage(facts: Facts, *, today: datetime.date, rules: RegisterRules | None = None) -> Triage:
    """What the rules say of one system on `today` (the caller's date in the site's time zone).

    Answers to questions that are not asked (their `asked_when` does not hold) are set aside, so a
    building's climate control is never classified by a stray answer about faces.
    """
    rules = rules or default_rules()
    use = rules.uses.get(facts.use)
    if use is None:
        raise TriageError(f"unknown use {facts.use!r}")
    by_slug = {question.slug: question for question in rules.questions}
    for slug, value in facts.answers.items():
        if slug not in by_slug:
            raise TriageError(f"unknown question {slug!r}")
        if not _answer_fits(by_slug[slug], _frozen(value)):
            raise TriageError(f"{value!r} is not an answer to {slug!r}")
        if slug in use.implies and use.implies[slug] != _frozen(value):
            raise TriageError(f"{slug!r} follows from the use {use.slug!r} and cannot be answered otherwise")

    answers: dict[str, Answer] = {}
    to_ask: list[Question] = []
    for question in rules.questions:
        if question.slug in use.implies:
            answers[question.slug] = use.implies[question.slug]
        elif holds(question.asked_when, _Context(use.slug, answers)):
            if question.slug in facts.answers:
                answers[question.slug] = _frozen(facts.answers[question.slug])
            else:
                to_ask.append(question)

    def status(applies_from: datetime.date | None) -> Status:
        return "coming" if applies_from is not None and today < applies_from else "current"

    def finding(rule: Rule) -> Finding:
        return Finding(
            rule.slug, rule.result, rule.reason, rule.reference, rule.applies_from, status(rule.applies_from)
        )

    context = _Context(use.slug, answers)
    matched = [rule for rule in rules.classification if not rule.otherwise and holds(rule.when, context)]
    in_force = [rule for rule in matched if status(rule.applies_from) == "current"]
    if any(rule.result == "prohibited" for rule in in_force):
        # A banned use cannot be made lawful by meeting other duties: the ban is all that is said.
        matched = [rule for rule in matched if rule.result == "prohibited"]
    elif not in_force:
        matched += [rule for rule in rules.classification if rule.otherwise]
    classifications = tuple(
        Classification(slug, tuple(finding(rule) for rule in matched if rule.result == slug))
        for slug in CLASSES
        if any(rule.result == slug for rule in matched)
    )
    context = _Context(
        use.slug,
        answers,
        rules=frozenset(rule.slug for rule in matched),
        classifications=frozenset(item.slug for item in classifications),
    )

    # The first rule in force decides the role; a rule not yet in force that gives another role is
    # shown as coming, with its date (Art. 25 applies to Annex III systems only from 2 Dec 2027).
    role_matched = [rule for rule in rules.roles if not rule.otherwise and holds(rule.when, context)]
    role_rules = [rule for rule in role_matched if status(rule.applies_from) == "current"]
    if not role_rules:
        role_rules = [rule for rule in rules.roles if rule.otherwise]
    coming_roles = [
        rule
        for rule in role_matched
        if status(rule.applies_from) == "coming" and rule.result != role_rules[0].result
    ]
    role = RoleFinding(
        role_rules[0].result,
        tuple(finding(rule) for rule in role_rules if rule.result == role_rules[0].result),
        tuple(finding(rule) for rule in coming_roles if rule.result == coming_roles[0].result),
    )
    context = _Context(use.slug, answers, context.rules, context.classifications, role=role.slug)

    gdpr = tuple(finding(rule) for rule in rules.gdpr if holds(rule.when, context))
    context = _Context(
        use.slug, answers, context.rules, context.classifications, role.slug, frozenset(p.slug for p in gdpr)
    )

    duties = [
        DutyFinding(
            duty.slug,
            duty.title,
            duty.practice,
            duty.legal_reference,
            duty.for_role,
            duty.applies_from,
            status(duty.applies_from),
        )
        for duty in rules.duties
        if _role_owes(duty.for_role, role.slug) and holds(duty.when, context)
    ]
    if role.coming_slug is not None and role.coming_from is not None:
        # The duties the coming role brings are listed as coming, from the later of the two dates.
        listed = {duty.slug for duty in duties}
        later = _Context(
            use.slug, answers, context.rules, context.classifications, role.coming_slug, context.gdpr
        )
        for duty in rules.duties:
            if (
                duty.slug not in listed
                and _role_owes(duty.for_role, role.coming_slug)
                and holds(duty.when, later)
            ):
                start = max(role.coming_from, duty.applies_from or role.coming_from)
                duties.append(
                    DutyFinding(
                        duty.slug,
                        duty.title,
                        duty.practice,
                        duty.legal_reference,
                        duty.for_role,
                        start,
                        status(start),
                    )
                )
    return Triage(use, answers, tuple(to_ask), role, classifications, gdpr, tuple(duties))


def _role_owes(for_role: str, role: str) -> bool:
    # A museum that provides a system it uses is also its deployer (Art. 3(4)): deployer duties always count.
    return for_role != "provider" or role == "provider"


def _answer_fits(question: Question, value: Answer) -> bool:
    if question.type == "yes-no":
        return isinstance(value, bool)
    choices = {choice.slug for choice in question.choices}
    if question.type == "choice":
        return isinstance(value, str) and value in choices
    return isinstance(value, tuple) and all(item in choices for item in value)


# --- The rules in the reader's language -------------------------------------------------------

# Each language has its file beside the rules: ``register-rules.fr.yaml`` maps every English text of
# the rules to its translation, like a gettext catalogue. Keyed by the English text, so that a text
# changed in the rules shows up as untranslated rather than as a stale translation.
SOURCE_LANGUAGE = "en"


def translation_file(language: str) -> Path:
    return RULES_FILE.with_name(f"register-rules.{language}.yaml")


def rule_texts(rules: RegisterRules) -> list[str]:
    """Every text of the rules a reader sees, once each, in the file's order (slugs excluded)."""
    texts: list[str] = []
    for use in rules.uses.values():
        texts += [use.label, use.help]
    for question in rules.questions:
        texts += [question.text, question.help, *(choice.label for choice in question.choices)]
    for rule in (*rules.classification, *rules.roles, *rules.gdpr):
        texts += [rule.reason, rule.reference.act, rule.reference.articles]
    for duty in rules.duties:
        texts += [duty.title, duty.practice, duty.legal_reference.act, duty.legal_reference.articles]
    return list(dict.fromkeys(text for text in texts if text))


def read_translations(language: str) -> dict[str, str]:
    """The language's catalogue of the rules' texts (empty for English or a language without a file)."""
    path = translation_file(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegisterRulesError(f"{path}: cannot read: {exc}") from exc
    texts = data.get("texts") or {}
    if not isinstance(texts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in texts.items()
    ):
        raise RegisterRulesError(f"{path}: 'texts' must map each English text to its translation")
    return texts


def translate(rules: RegisterRules, texts: Mapping[str, str]) -> RegisterRules:
    """The same rules with every text the catalogue knows replaced; a text it lacks stays in English."""

    def tr(text: str) -> str:
        return texts.get(text) or text

    def reference(value: Reference) -> Reference:
        return replace(value, act=tr(value.act), articles=tr(value.articles))

    def rule(value: Rule) -> Rule:
        return replace(value, reason=tr(value.reason), reference=reference(value.reference))

    return replace(
        rules,
        uses={slug: replace(use, label=tr(use.label), help=tr(use.help)) for slug, use in rules.uses.items()},
        questions=tuple(
            replace(
                question,
                text=tr(question.text),
                help=tr(question.help),
                choices=tuple(replace(choice, label=tr(choice.label)) for choice in question.choices),
            )
            for question in rules.questions
        ),
        classification=tuple(rule(item) for item in rules.classification),
        roles=tuple(rule(item) for item in rules.roles),
        gdpr=tuple(rule(item) for item in rules.gdpr),
        duties=tuple(
            replace(
                duty,
                title=tr(duty.title),
                practice=tr(duty.practice),
                legal_reference=reference(duty.legal_reference),
            )
            for duty in rules.duties
        ),
    )


@functools.cache
def rules_in(language: str) -> RegisterRules:
    """The rules with their texts in `language` (a base code such as ``fr``), English where untranslated."""
    base = language.split("-")[0].lower()
    return translate(default_rules(), read_translations(base))


@functools.cache
def rules_digest(language: str) -> str:
    """A fingerprint of the rules and of their texts in `language`: it changes when either file does."""
    base = language.split("-")[0].lower()
    digest = hashlib.sha256(RULES_FILE.read_bytes())
    if base != SOURCE_LANGUAGE and translation_file(base).exists():
        digest.update(translation_file(base).read_bytes())
    return digest.hexdigest()
