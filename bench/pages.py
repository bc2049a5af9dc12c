"""Page latency benchmark: 20 concurrent simulated learners on the demo content, SQLite, one uvicorn process.

    python bench/pages.py --json [--users 20] [--seconds 30]

Builds a fresh SQLite database, imports the demo packs into one organisation, creates the learners and gives
each a month of reviews (so Progress, the skill map and the catalogue have real data), then serves the app
with uvicorn in a child process. Each simulated user logs in and, until the time is up, requests the main
pages in a random order: Today, a lesson step, an item, Ask, Catalogue, a pack page, Progress, Skill map and
Settings, pausing `--think-ms` (±50%) after each, as a reader does (`--think-ms 0` is a saturation test,
where latency is just users / throughput). Interleaved with them, every user also requests /healthz: the
baseline of the same run (what the server, the network stack and the client threads cost with no page work).
Prints one JSON object with p50/p95 (ms) per page, over all pages, and for the baseline; the aim is p95 under
100 ms.

Before the clock starts, one extra learner (not one of the timed users) requests each page once, so that the
server has compiled its templates and built its routes, as a server that has been up for a while has
(`--no-warmup` times a freshly started server). Each timed user starts at a random moment within the first
`--ramp-ms` (default: the think time), as independent readers do; `--ramp-ms 0` starts all of them in the same
instant, a burst of 20 first requests that no steady state has.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.answers import cloze_deletions
from skillbite.domain.content import (
    Cloze,
    ItemBody,
    Matching,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.settings import Settings
from skillbite.store.database import create_db_engine
from skillbite.store.migrate import upgrade
from skillbite.wiring import System, build_system

PASSWORD = "correct horse battery"  # noqa: S105 - a throwaway benchmark account
SECRET = "benchmark-secret-key-that-is-long-enough"  # noqa: S105 - a throwaway database
QUESTIONS = (
    "undo my last commit",
    "find rows without a match",
    "give feedback to my manager",
    "merge a branch",
)
TARGET_P95_MS = 100.0


def answer_for(body: ItemBody, right: bool) -> Any:
    """What a learner sends: the right answer, or for the kinds where it is easy to make one, a wrong one."""
    match body:
        case MultipleChoice():
            return [i for i, c in enumerate(body.choices) if c.correct]
        case TrueFalse():
            return body.answer if right else not body.answer
        case Cloze():
            return [d.answers[0] for d in cloze_deletions(body.text)]
        case TypedAnswer():
            return body.answers[0] if right else "no such answer"
        case Ordering():
            return list(range(len(body.steps)))
        case Matching():
            return {p.left: p.right for p in body.pairs}
        case _:
            return 3 if right else 1


def seed(system: System, users: int, rng: random.Random) -> tuple[list[str], list[int], list[int], list[str]]:
    """Demo content and `users` learners with a month of reviews; returns emails, lessons, items, packs."""
    admin = system.accounts.sign_up("admin@example.com", PASSWORD, org_slug="bench").principal
    for path in demo_pack_paths():
        system.content.import_pack(admin.org_id, path)
    packs = [p.key for p in system.content.packs(admin.org_id)]
    lessons: list[int] = []
    items: list[tuple[int, ItemBody]] = []
    for key in packs:
        pack = system.catalogue.pack(admin, key)
        for lesson in [*[x for c in pack.courses for m in c.modules for x in m.lessons], *pack.other_lessons]:
            lessons.append(lesson.lesson_id)
            found = system.player.lesson(admin, lesson.lesson_id)
            for item_id in found.item_ids:
                items.append((item_id, system.player.item(admin, item_id).item.body))
    emails = []
    start = system.clock() - timedelta(days=30)
    for n in range(users):
        email = f"learner{n}@example.com"
        link = system.accounts.create_user(email, "bench", "learner")
        learner: Principal = system.accounts.set_password(link.url.rsplit("/", 1)[1], PASSWORD).principal
        system.learner_settings.get(learner)  # a month of use: their profile exists (made on a first visit)
        studied = rng.sample(items, min(60, len(items)))
        reviews = [
            ReviewSubmission(
                uuid=str(uuid.uuid4()),
                item_id=item_id,
                reviewed_at=start + timedelta(days=rng.uniform(0, 29), minutes=n),
                tz="UTC",
                answer=answer_for(body, right=rng.random() < 0.85),
                response_ms=rng.randint(3000, 20000),
            )
            for item_id, body in studied
        ]
        system.reviews.submit(learner, sorted(reviews, key=lambda r: r.reviewed_at))
        emails.append(email)
    return emails, lessons, [i for i, _ in items], packs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log_in(client: httpx.Client, email: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on /login"
    done = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    assert done.status_code == 303, f"login failed for {email}: {done.status_code}"


def page_urls(
    client: httpx.Client, rng: random.Random, lessons: list[int], items: list[int], packs: list[str]
) -> dict[str, Callable[[], str]]:
    """The pages a user requests, each a function giving the next URL (random lesson, item, question...)."""
    play_urls = {}
    for lesson_id in rng.sample(lessons, 5):  # where each lesson's first step lives (not timed)
        play_urls[lesson_id] = client.get(f"/learn/lesson/{lesson_id}").headers["location"]
    return {
        "today": lambda: "/learn",
        "lesson_step": lambda: rng.choice(list(play_urls.values())),
        "item": lambda: f"/learn/item/{rng.choice(items)}",
        "ask": lambda: "/ask?" + httpx.QueryParams({"q": rng.choice(QUESTIONS)}).__str__(),
        "catalogue": lambda: "/learn/catalogue",
        "pack": lambda: f"/learn/packs/{rng.choice(packs)}",
        "progress": lambda: "/learn/progress",
        "skill_map": lambda: "/learn/skills",
        "settings": lambda: "/learn/settings",
    }


def warm_up(base: str, email: str, lessons: list[int], items: list[int], packs: list[str]) -> None:
    """Every page once, by a learner who is not timed: templates compiled and routes built, as in a server
    that has been running for a while."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        log_in(client, email)
        for url in page_urls(client, random.Random(0), lessons, items, packs).values():
            client.get(url())


def simulate(
    base: str,
    email: str,
    lessons: list[int],
    items: list[int],
    packs: list[str],
    until: float,
    think_seconds: float,
    ramp_seconds: float,
    seed_: int,
    timings: dict[str, list[float]],
    errors: list[str],
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed_)
    local: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        log_in(client, email)
        pages = page_urls(client, rng, lessons, items, packs)
        time.sleep(rng.uniform(0, ramp_seconds))
        names = list(pages)
        while time.perf_counter() < until:
            rng.shuffle(names)
            for name in [*names, "healthz"]:
                url = "/healthz" if name == "healthz" else pages[name]()
                began = time.perf_counter()
                answer = client.get(url)
                elapsed = (time.perf_counter() - began) * 1000
                if answer.status_code != 200:
                    with lock:
                        errors.append(f"{name} {url}: {answer.status_code}")
                local.setdefault(name, []).append(elapsed)
                if think_seconds:
                    time.sleep(rng.uniform(0.5, 1.5) * think_seconds)
    with lock:
        for name, values in local.items():
            timings.setdefault(name, []).extend(values)


def summary(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"n": len(values), "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="pause of each user after each page (a learner reads a page for seconds); 0 = saturation test",
    )
    parser.add_argument(
        "--ramp-ms",
        type=float,
        default=None,
        help="each user starts at a random moment within this time (default: the think time; 0: all at once)",
    )
    parser.add_argument(
        "--no-warmup", action="store_true", help="time a freshly started server (templates not compiled yet)"
    )
    args = parser.parse_args()
    ramp_ms = args.think_ms if args.ramp_ms is None else args.ramp_ms
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="skillbite-bench-pages-") as temp:
        url = f"sqlite:///{temp}/bench.sqlite3"
        engine = create_db_engine(url)
        upgrade(engine)
        engine.dispose()
        env = {
            "SKILLBITE_DATABASE_URL": url,
            "SKILLBITE_SECRET_KEY": SECRET,
            "SKILLBITE_DATA_DIR": f"{temp}/var",
            "SKILLBITE_ENVIRONMENT": "production",
            "SKILLBITE_PASSWORD_HASH_PROFILE": "owasp-minimum",
            "SKILLBITE_SEMANTIC_SEARCH": "off",  # the default install (the semantic extra is optional)
            "SKILLBITE_LOG_LEVEL": "warning",
        }
        seeded_at = time.perf_counter()
        system = build_system(Settings(**{k.removeprefix("SKILLBITE_").lower(): v for k, v in env.items()}))
        system.schema.ensure_default_org()
        emails, lessons, items, packs = seed(system, args.users + 1, rng)
        emails, warm_email = emails[:-1], emails[-1]
        system.close()
        seed_seconds = time.perf_counter() - seeded_at
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "skillbite.web.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env={**os.environ, **env},
        )
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            if not args.no_warmup:
                warm_up(base, warm_email, lessons, items, packs)
            timings: dict[str, list[float]] = {}
            errors: list[str] = []
            lock = threading.Lock()
            until = time.perf_counter() + args.seconds
            threads = [
                threading.Thread(
                    target=simulate,
                    args=(
                        base,
                        email,
                        lessons,
                        items,
                        packs,
                        until,
                        args.think_ms / 1000,
                        ramp_ms / 1000,
                        n,
                        timings,
                        errors,
                        lock,
                    ),
                )
                for n, email in enumerate(emails)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=10)
    pages = {name: summary(values) for name, values in sorted(timings.items()) if name != "healthz"}
    overall = summary([v for name, values in timings.items() if name != "healthz" for v in values])
    result = {
        "benchmark": "pages",
        "users": args.users,
        "seconds": args.seconds,
        "think_ms": args.think_ms,
        "ramp_ms": ramp_ms,
        "warmup": not args.no_warmup,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "database": "sqlite",
        "content": {"packs": len(packs), "lessons": len(lessons), "items": len(items)},
        "seed_seconds": round(seed_seconds, 1),
        "cpus": os.cpu_count(),
        "pages": pages,
        "overall": overall,
        "baseline_healthz": summary(timings.get("healthz", [0.0])),
        "requests_per_second": round(sum(len(v) for v in timings.values()) / args.seconds, 1),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": overall["p95_ms"] < TARGET_P95_MS,
        "errors": len(errors),
        "first_errors": errors[:5],
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
