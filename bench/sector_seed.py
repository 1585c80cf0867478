"""Fill a PostgreSQL database with many submitted assessments, fast, to benchmark NEMO's sector overview.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/museumai_bench DJANGO_DEBUG=1 \\
        .venv/bin/python bench/sector_seed.py --assessments 100000

The database must be migrated and hold the framework (``manage.py migrate``, ``manage.py
load_framework``). Why not simply ``manage.py seed_demo``? It is realistic (answers drawn per museum
and dimension, scores computed by scoring.py) but slow, a few dozen assessments a second at best:
100,000 would take half an hour to two hours. So the script works in three phases:

1. template: ``seed_demo`` makes a realistic template, by default 1,000 "Generated Museum" museums
   with 3 yearly submitted assessments each, their answers and their stored area and dimension scores;
2. clone: plain SQL copies the template (``INSERT … SELECT`` in one transaction, with temporary
   tables mapping each clone to its template) up to the wanted number of submitted assessments:
   "Bench Museum 000123" museums, each a copy of a template museum of the same size band (the
   template's answers depend on the size), with its country and type drawn by weight so that the
   sector's groups have realistic, uneven sizes. Every other clone takes its template's latest
   assessments but one, so museums have 2 or 3 yearly assessments. A clone's assessments keep their
   template's answers, scores, stance and year of submission (the dates move by a few days, never
   into another year); answer history (django-simple-history) is not copied, as seed_demo writes
   none for generated museums either. The tables' foreign keys are dropped for the copy and added
   back at its end, which checks them all in one pass (row by row, they took five minutes). Then
   ANALYZE;
3. summary: ``sector.rebuild()`` fills the summary table the overview reads (``SectorResult``).

Run again, it adds only what is missing; with enough submitted assessments already, it only rebuilds
the summary. Every phase's time and the final counts are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumai.settings")
# A request may run 10 s at most (settings.py); the statements of a bulk load run for minutes.
os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = "0"

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from assessment import sector  # noqa: E402
from assessment.management.commands.seed_demo import CITY_BY_COUNTRY  # noqa: E402
from assessment.models import (  # noqa: E402
    Answer,
    AreaScore,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    Museum,
    MuseumType,
    SectorResult,
    SizeBand,
)
from recommendations.models import FrameworkVersion  # noqa: E402

TEMPLATE_PREFIX = "Generated Museum "  # seed_demo's names
CLONE_PREFIX = "Bench Museum "
# Rough relative numbers of museums per country (the larger museum countries far ahead), so that
# breakdowns by country have big groups and small ones, as the real sector would.
COUNTRY_WEIGHTS = {
    "AT": 750,
    "BE": 400,
    "BG": 200,
    "CH": 1100,
    "CZ": 500,
    "DE": 6800,
    "DK": 250,
    "EE": 250,
    "ES": 1500,
    "FI": 330,
    "FR": 1200,
    "GB": 2500,
    "GR": 250,
    "HR": 250,
    "HU": 650,
    "IE": 230,
    "IT": 4900,
    "LT": 110,
    "LU": 70,
    "LV": 150,
    "MT": 40,
    "NL": 700,
    "NO": 250,
    "PL": 950,
    "PT": 400,
    "RO": 550,
    "SE": 300,
    "SI": 150,
    "SK": 120,
    "UA": 600,
}
TYPE_WEIGHTS = {
    MuseumType.HISTORY: 35,
    MuseumType.ART: 20,
    MuseumType.MULTIDISCIPLINARY: 12,
    MuseumType.SCIENCE_TECHNOLOGY: 8,
    MuseumType.NATURAL_HISTORY: 7,
    MuseumType.ARCHAEOLOGY: 7,
    MuseumType.ETHNOGRAPHY: 4,
    MuseumType.OTHER: 7,
}
# Most museums are small.
SIZE_WEIGHTS = {SizeBand.MICRO: 40, SizeBand.SMALL: 35, SizeBand.MEDIUM: 18, SizeBand.LARGE: 7}
MAX_DAY_SHIFT = 20
CLONED: list[type[models.Model]] = [Museum, Assessment, Answer, AreaScore, DimensionScore]


@dataclass(frozen=True)
class Template:
    museum_id: int
    submitted: int  # its number of submitted assessments


@dataclass(frozen=True)
class Clone:
    number: int
    template_id: int
    country: str
    museum_type: str
    size_band: str
    rounds: int  # how many of the template's latest submitted assessments it takes
    day_shift: int

    @property
    def name(self) -> str:
        return f"{CLONE_PREFIX}{self.number:06d}"


def submitted_count() -> int:
    return Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).count()


def templates_by_size() -> dict[str, list[Template]]:
    """seed_demo's generated museums that have submitted assessments, by size band."""
    museums = (
        Museum.objects.filter(name__startswith=TEMPLATE_PREFIX)
        .annotate(submitted=Count("assessments", filter=Q(assessments__status=AssessmentStatus.SUBMITTED)))
        .filter(submitted__gt=0)
        .order_by("pk")
        .values_list("pk", "size_band", "submitted")
    )
    by_size: dict[str, list[Template]] = defaultdict(list)
    for pk, size_band, submitted in museums:
        by_size[size_band].append(Template(pk, submitted))
    return by_size


def plan_clones(needed: int, first_number: int, seed: int) -> list[Clone]:
    """Clones holding ``needed`` submitted assessments in all, numbered from ``first_number``."""
    by_size = templates_by_size()
    sizes = [size for size in SIZE_WEIGHTS if by_size.get(size)]
    if not sizes:
        raise SystemExit("No template museums with submitted assessments: seed_demo made none.")
    rng = random.Random(seed)
    next_template = {size: cycle(by_size[size]) for size in sizes}
    countries, types = list(COUNTRY_WEIGHTS), list(TYPE_WEIGHTS)
    clones: list[Clone] = []
    planned = 0
    while planned < needed:
        index = len(clones)
        size = rng.choices(sizes, weights=[SIZE_WEIGHTS[s] for s in sizes])[0]
        template = next(next_template[size])
        # Every other museum joined a year later: its template's assessments but the oldest.
        rounds = min(max(1, template.submitted - index % 2), needed - planned)
        clones.append(
            Clone(
                number=first_number + index,
                template_id=template.museum_id,
                country=rng.choices(countries, weights=list(COUNTRY_WEIGHTS.values()))[0],
                museum_type=rng.choices(types, weights=list(TYPE_WEIGHTS.values()))[0],
                size_band=size,
                rounds=rounds,
                day_shift=rng.randint(-MAX_DAY_SHIFT, MAX_DAY_SHIFT),
            )
        )
        planned += rounds
    return clones


def next_clone_number() -> int:
    names = Museum.objects.filter(name__startswith=CLONE_PREFIX).values_list("name", flat=True)
    numbers = [int(name.removeprefix(CLONE_PREFIX)) for name in names]
    return max(numbers, default=0) + 1


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def id_sequence(cursor: CursorWrapper, model: type[models.Model]) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    (name,) = cursor.fetchone()
    return name


def copy_rows(
    cursor: CursorWrapper, model: type[models.Model], source: str, values: dict[str, str], shift: str
) -> int:
    """``INSERT INTO <model's table> SELECT … FROM <source>``: every column from the template row ``t``
    but those given in ``values`` (the id from its sequence unless given), date-times moved by
    ``shift``. Returns the number of rows."""
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.column == "id" and "id" not in values:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in values:
            expressions.append(values[field.column])
        elif isinstance(field, models.DateTimeField):
            expressions.append(f"t.{field.column} + {shift}")
        else:
            expressions.append(f"t.{field.column}")
    start = time.perf_counter()
    cursor.execute(
        f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"
    )
    print(f"  {cursor.rowcount:>9,} {model._meta.db_table} rows in {time.perf_counter() - start:.1f} s")
    return cursor.rowcount


def drop_foreign_keys(cursor: CursorWrapper, tables: list[type[models.Model]]) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of these tables; returns each one's table, name and definition.

    Checked row by row (deferred triggers, at commit), the keys of millions of copied rows take
    five minutes; added back, each is checked by one join over the whole table, in seconds.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [[model._meta.db_table for model in tables]],
    )
    foreign_keys = cursor.fetchall()
    for table_name, name, _definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {table_name} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    return foreign_keys


def add_foreign_keys(cursor: CursorWrapper, foreign_keys: list[tuple[str, str, str]]) -> None:
    for table_name, name, definition in foreign_keys:
        cursor.execute(
            f"ALTER TABLE {table_name} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )


@transaction.atomic
def clone(clones: list[Clone]) -> dict[str, int]:
    """Insert the clones, their submitted assessments, answers and scores; returns rows per table."""
    with connection.cursor() as cursor:
        # Enough memory for the joins of the template's rows to their clones to stay in one pass.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        foreign_keys = drop_foreign_keys(cursor, CLONED)
        museum_sequence = id_sequence(cursor, Museum)
        assessment_sequence = id_sequence(cursor, Assessment)
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_clone ON COMMIT DROP AS "
            "SELECT nextval(%s) AS museum_id, plan.* FROM unnest("
            "%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::int[], %s::int[]"
            ") AS plan(template_id, name, country, city, museum_type, size_band, rounds, day_shift)",
            [
                museum_sequence,
                [c.template_id for c in clones],
                [c.name for c in clones],
                [c.country for c in clones],
                [CITY_BY_COUNTRY[c.country] for c in clones],
                [c.museum_type for c in clones],
                [c.size_band for c in clones],
                [c.rounds for c in clones],
                [c.day_shift for c in clones],
            ],
        )
        rows = {
            "museums": copy_rows(
                cursor,
                Museum,
                f"bench_clone c JOIN {table(Museum)} t ON t.id = c.template_id",
                {
                    "id": "c.museum_id",
                    **{
                        column: f"c.{column}"
                        for column in ("name", "country", "city", "museum_type", "size_band")
                    },
                },
                shift="interval '0 days'",
            )
        }
        # Each clone's assessments: its template's latest ``rounds`` submitted ones, with a new id and
        # a shift of its days that keeps the year of submission (the summary's year) and the past.
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE bench_assessment ON COMMIT DROP AS
            SELECT a.id AS old_id, nextval(%s) AS new_id, c.museum_id,
                CASE WHEN date_part('year', (a.submitted_at + d.shift) AT TIME ZONE %s)
                        = date_part('year', a.submitted_at AT TIME ZONE %s)
                    AND a.submitted_at + d.shift < now()
                THEN d.shift ELSE interval '0 days' END AS shift
            FROM bench_clone c
            CROSS JOIN LATERAL (SELECT make_interval(days => c.day_shift) AS shift) d
            JOIN (
                SELECT id, museum_id, submitted_at,
                    row_number() OVER (PARTITION BY museum_id ORDER BY submitted_at DESC, id DESC) AS rank
                FROM {table(Assessment)} WHERE status = %s
            ) a ON a.museum_id = c.template_id AND a.rank <= c.rounds
            """,
            [assessment_sequence, settings.TIME_ZONE, settings.TIME_ZONE, AssessmentStatus.SUBMITTED],
        )
        cursor.execute("CREATE INDEX ON bench_assessment (old_id)")
        cursor.execute("ANALYZE bench_assessment")
        rows["assessments"] = copy_rows(
            cursor,
            Assessment,
            f"bench_assessment m JOIN {table(Assessment)} t ON t.id = m.old_id",
            {"id": "m.new_id", "museum_id": "m.museum_id", "copied_from_id": "NULL"},
            shift="m.shift",
        )
        for key, model in (
            ("answers", Answer),
            ("area scores", AreaScore),
            ("dimension scores", DimensionScore),
        ):
            rows[key] = copy_rows(
                cursor,
                model,
                f"bench_assessment m JOIN {table(model)} t ON t.assessment_id = m.old_id",
                {"assessment_id": "m.new_id"},
                shift="m.shift",
            )
        start = time.perf_counter()
        add_foreign_keys(cursor, foreign_keys)
        print(
            f"  {len(foreign_keys)} foreign keys added back (checked) in {time.perf_counter() - start:.1f} s"
        )
    return rows


def analyze(*tables: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {table(model)}")


@contextmanager
def phase(name: str, timings: dict[str, float]) -> Iterator[None]:
    print(f"{name}…", flush=True)
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start
    print(f"{name}: {timings[name]:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--assessments", type=int, default=100_000, help="Submitted assessments wanted.")
    parser.add_argument("--template-museums", type=int, default=1000, help="Museums seed_demo generates.")
    parser.add_argument(
        "--template-assessments",
        type=int,
        default=3,
        help="Yearly submitted assessments per template museum.",
    )
    parser.add_argument("--password", default="benchpassword123", help="seed_demo's password for demo users.")
    parser.add_argument("--seed", type=int, default=20240320, help="Random seed of the clones' groups.")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit(
            f"bench/sector_seed.py clones rows in PostgreSQL's SQL; this database is {connection.vendor}. "
            "Set DATABASE_URL=postgres://…"
        )
    if FrameworkVersion.objects.current() is None:
        raise SystemExit("No framework loaded: run `manage.py migrate` and `manage.py load_framework` first.")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    existing = submitted_count()
    if existing >= args.assessments:
        print(f"{existing:,} submitted assessments already (wanted {args.assessments:,}): summary only.")
    else:
        with phase("template (seed_demo)", timings):
            call_command(
                "seed_demo",
                password=args.password,
                museums=args.template_museums,
                assessments_per_museum=args.template_assessments,
            )
        needed = args.assessments - submitted_count()
        if needed > 0:
            with phase("clone (SQL)", timings):
                clones = plan_clones(needed, next_clone_number(), args.seed)
                rows = clone(clones)
                print(", ".join(f"{count:,} {name}" for name, count in rows.items()) + " inserted")
            with phase("analyze", timings):
                analyze(*CLONED)
    with phase("summary (sector.rebuild)", timings):
        summary_rows = sector.rebuild()
        analyze(SectorResult)

    total = time.perf_counter() - started
    print()
    for name, seconds in timings.items():
        print(f"{name:26} {seconds:7.1f} s")
    print(f"{'total':26} {total:7.1f} s")
    print(
        f"museums {Museum.objects.count():,}, submitted assessments {submitted_count():,}, "
        f"answers {Answer.objects.count():,}, summary rows {summary_rows:,}"
    )


if __name__ == "__main__":
    main()
