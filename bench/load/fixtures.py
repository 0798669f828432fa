"""What the load test's virtual users need, read from the benchmark's database through Django and written
as JSON: signed-in sessions of each demo login, an API token, and the workers, employers, searches and
indicators each role may open.

    python bench/load/fixtures.py OUT.json --sessions 40   # in the benchmark database's environment

Sessions are made the way the sign-in page makes them (``django.contrib.auth.login``, whatever
``SESSION_ENGINE`` is) without posting the password: a virtual user starts signed in, as a person who
signed in this morning would, and the password hash (about 0.3 s of CPU per sign-in) is not what is
measured.
"""

from __future__ import annotations

import argparse
import json
import random
from importlib import import_module

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import login  # noqa: E402
from django.http import HttpRequest  # noqa: E402

from workforce.accounts.models import User  # noqa: E402
from workforce.accounts.services import issue_api_token  # noqa: E402
from workforce.indicators.models import Indicator  # noqa: E402
from workforce.reference.models import Division  # noqa: E402
from workforce.registry.models import Employer, EmploymentSpell, Worker  # noqa: E402
from workforce.registry.selectors import seal_search  # noqa: E402
from workforce.supervision.models import Measure  # noqa: E402

# The demo logins the load test signs in as (workforce demo-users), by the role each stands for.
LOGINS = {"admin": "admin", "district": "dongqu", "hr": "pangang-hr", "leader": "leader",
          "department": "union", "worker": "worker"}
SAMPLE = 300  # records of each kind per role: enough that the database's cache is not one page


def new_session(user: User) -> str:
    """The session key (the cookie's value) of a fresh sign-in of ``user``."""
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "bench/load"}
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    return request.session.session_key


def random_workers(user: User, rng: random.Random, count: int) -> list[int]:
    """Up to ``count`` active workers ``user`` may see, spread over the whole registry."""
    visible = Worker.objects.visible_to(user).active()
    if user.employer_id:  # an enterprise's HR: its present and former staff
        pool = list(EmploymentSpell.objects.filter(employer_id=user.employer_id)
                    .values_list("worker_id", flat=True).order_by("worker_id").distinct()[:20000])
        return sorted(visible.filter(pk__in=rng.sample(pool, min(len(pool), count * 2)))
                      .values_list("pk", flat=True)[:count])
    if user.worker_id:
        return [user.worker_id]
    top = Worker.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found: list[int] = []
    for _ in range(20):  # random ids, kept when visible, until enough
        picks = {rng.randint(1, top) for _ in range(count * 4)}
        found += visible.filter(pk__in=picks).values_list("pk", flat=True)
        if len(found) >= count:
            break
    return sorted(set(found))[:count]


def random_employers(user: User, rng: random.Random, count: int) -> list[int]:
    visible = list(Employer.objects.visible_to(user).filter(headcount__gt=0).values_list("pk", flat=True))
    return sorted(rng.sample(visible, min(len(visible), count)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--sessions", type=int, default=40, help="sessions per login")
    args = parser.parse_args()
    rng = random.Random(15)
    roles = {}
    for role, username in LOGINS.items():
        user = User.objects.get(username=username)
        workers = random_workers(user, rng, SAMPLE)
        searched = list(Worker.objects.filter(pk__in=workers[:100]).only("name", "id_number"))
        roles[role] = {
            "username": username,
            "sessions": [new_session(user) for _ in range(args.sessions)],
            "workers": workers,
            "employers": random_employers(user, rng, SAMPLE),
            # A surname (one character: the most matches) or a full name, as people type them.
            "names": [w.name[:1] if index % 2 else w.name for index, w in enumerate(searched)],
            "sealed_ids": [seal_search(w.id_number) for w in searched],
        }
    admin = User.objects.get(username="admin")
    _, key = issue_api_token(admin, name="bench/load", is_two_factor_verified=True)
    ids = list(Worker.objects.filter(pk__in=roles["admin"]["workers"][:200]).values_list("pk", flat=True))
    fixtures = {
        "roles": roles,
        "api": {"token": key, "id_numbers": [w.id_number for w in Worker.objects.filter(pk__in=ids)]},
        "districts": list(Division.objects.filter(parent_id="510400").order_by("code").values_list("pk", flat=True)),
        "indicators": list(Indicator.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)),
        "measures": list(Measure.objects.order_by("pk").values_list("pk", flat=True)),
    }
    with open(args.out, "w") as out:
        json.dump(fixtures, out, ensure_ascii=False)


if __name__ == "__main__":
    main()
