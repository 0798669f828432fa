"""The load test's virtual users: the demo logins of six roles and an API client, each opening the pages
that role uses, with think time between pages. Started by bench/load/run.py, which passes the fixtures
(sessions, records, searches: bench/load/fixtures.py) in LOAD_FIXTURES and the think time in
LOAD_THINK ("min,max" seconds).

Each request is named after the page, not its URL, so the figures are per page across roles.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import urllib.parse
from pathlib import Path

from locust import HttpUser, between, task

FIXTURES = json.loads(Path(os.environ["LOAD_FIXTURES"]).read_text()) if "LOAD_FIXTURES" in os.environ else {}
THINK = [float(part) for part in os.environ.get("LOAD_THINK", "2,8").split(",")]
FILTERS = ["district={d}", "district={d}&union=true", "union=false", "contract=false", "migrant=true",
           "high_skilled=true", "district={d}&migrant=true", "industry=C", "hukou=rural&district={d}", ""]
DISTRICT_FILTERS = ["", "union=false", "contract=true", "migrant=true", "high_skilled=true", "page=2"]


class Person(HttpUser):
    """A signed-in user of one role: a session of its own from the fixtures' pool."""

    abstract = True
    role = ""
    wait_time = between(*THINK)
    _next = None

    def on_start(self) -> None:
        fixtures = FIXTURES["roles"][self.role]
        cls = type(self)
        if cls._next is None:
            cls._next = itertools.count()
        sessions = fixtures["sessions"]
        self.client.cookies.set("sessionid", sessions[next(cls._next) % len(sessions)])
        self.data = fixtures
        self.rng = random.Random()

    def get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    def pick(self, key: str):
        return self.rng.choice(self.data[key] or FIXTURES["roles"]["admin"][key])

    def district(self) -> int:
        return self.rng.choice(FIXTURES["districts"])

    # The pages, each a task the role classes below weigh.
    def home(self):
        self.get("/", "home")

    def worker_list(self, filters=FILTERS):
        query = self.rng.choice(filters).format(d=self.district())
        self.get(f"/registry/workers/?{query}", "worker list")

    def search_name(self):
        self.get(f"/registry/workers/?q={urllib.parse.quote(self.pick('names'))}", "search: name")

    def search_id(self):
        self.get(f"/registry/workers/?q={urllib.parse.quote(self.pick('sealed_ids'))}", "search: ID number")

    def worker_detail(self):
        self.get(f"/registry/workers/{self.pick('workers')}/", "worker detail")

    def employer_list(self):
        self.get(self.rng.choice(["/registry/employers/", f"/registry/employers/?district={self.district()}"]),
                 "employer list")

    def employer_detail(self):
        self.get(f"/registry/employers/{self.pick('employers')}/", "employer detail")

    def targets(self):
        self.get("/indicators/", "targets dashboard")

    def indicator(self):
        self.get(f"/indicators/{self.rng.choice(FIXTURES['indicators'])}/", "indicator detail")

    def matrix(self):
        self.get("/supervision/", "supervision matrix")


class Admin(Person):
    role = "admin"
    weight = 2
    tasks = {Person.home: 1, Person.worker_list: 3, Person.search_name: 2, Person.search_id: 1,
             Person.worker_detail: 3, Person.employer_list: 1, Person.employer_detail: 1, Person.targets: 1,
             Person.indicator: 1, Person.matrix: 1}


class DistrictOfficer(Person):
    role = "district"
    weight = 3
    tasks = {Person.home: 1, Person.search_name: 2, Person.search_id: 1, Person.worker_detail: 3,
             Person.employer_list: 1, Person.employer_detail: 1, Person.targets: 1}

    @task(3)
    def own_list(self):
        self.worker_list(DISTRICT_FILTERS)


class EnterpriseHR(Person):
    role = "hr"
    weight = 3
    tasks = {Person.home: 1, Person.search_name: 1, Person.search_id: 1, Person.worker_detail: 3,
             Person.employer_detail: 2}

    @task(3)
    def own_list(self):
        self.worker_list(DISTRICT_FILTERS)


class Leader(Person):
    role = "leader"
    weight = 1
    tasks = {Person.home: 1, Person.targets: 3, Person.indicator: 3, Person.matrix: 2, Person.employer_list: 1}


class DepartmentOfficer(Person):
    role = "department"
    weight = 1
    tasks = {Person.home: 1, Person.worker_list: 2, Person.worker_detail: 2, Person.targets: 2,
             Person.indicator: 2, Person.matrix: 1}


class Worker(Person):
    role = "worker"
    weight = 2
    tasks = {Person.home: 1, Person.worker_detail: 3, Person.employer_detail: 1}


class ApiClient(HttpUser):
    """Another system reading the registry with the administrator's token: the list and lookups."""

    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = "Token " + FIXTURES["api"]["token"]
        self.rng = random.Random()

    @task(2)
    def api_list(self):
        query = self.rng.choice(FILTERS).format(d=self.rng.choice(FIXTURES["districts"]))
        with self.client.get(f"/api/registry/workers/?{query}", name="api: worker list",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def api_lookup(self):
        with self.client.post("/api/registry/workers/lookup/", name="api: lookup by ID",
                              json={"id_number": self.rng.choice(FIXTURES["api"]["id_numbers"])},
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
