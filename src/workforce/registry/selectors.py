"""Scoped reads of the registry: detail fetches that 404 outside scope, search, history, duplicates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast, Collate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import history_for, with_sources
from workforce.core.encryption import decrypt, encrypt, lookup_hash
from workforce.core.identifiers import (
    IdentifierError,
    mask_id_number,
    mask_phone,
    normalize_identifier,
    normalize_phone,
    parse_id_number,
    parse_uscc,
)
from workforce.reference.models import Division, Occupation
from workforce.registry.choices import YES_NO, EmployerFactKind, WorkerFactKind
from workforce.registry.memberships import (
    Membership,
    find_membership,
    members_among,
    memberships_of,
    seen_entries,
    unions_seen_by,
)
from workforce.registry.models import Certificate, Employer, EmployerFact, EmploymentSpell, Worker
from workforce.registry.querysets import in_district, sees_own_spells_only
from workforce.registry.services.facts import is_migrant_now
from workforce.registry.union_roll import open_references

# What a list row of workers shows besides the worker itself (one query, no N+1).
WORKER_SUMMARY_RELATED = ("district", "current_employer", "current_occupation")


@dataclass(frozen=True)
class Summary:
    """Today's summary of a worker (where they work, as what, under contract or not) as a viewer may know it:
    the summary columns for most, the spell at their own employer for an enterprise's HR (decision 0002)."""

    employer: Employer | None
    district: Division | None
    occupation: Occupation | None
    industry_section: str
    has_signed_contract: bool


def with_summaries(user, workers) -> list[Worker]:
    """``workers`` as a list, each with ``summary`` (a ``Summary``) set as ``user`` may know it. Every door that
    shows a worker's employer, district, occupation or contract (pages, API, exports) reads ``summary``,
    never the ``current_*`` columns, which come from every employer's spells. Read the workers with
    ``WORKER_SUMMARY_RELATED`` to avoid a query per row; an enterprise's HR costs one query in all.
    Each gets ``union_member_shown`` too: a union member today as ``user`` may know it (decision 0009), from the
    rolls the rows hold (a row read without its roll costs one query for all such)."""
    workers = list(workers)
    unread = [worker.pk for worker in workers if "union_roll" in worker.get_deferred_fields()]
    members = members_among(unread, user) if unread else set()
    day = timezone.localdate()
    for worker in workers:
        worker.union_member_shown = worker.pk in members if worker.pk in unread else any(
            entry.holds_on(day) for entry in seen_entries(worker.union_roll, user))
    if not sees_own_spells_only(user):
        for worker in workers:
            worker.summary = Summary(worker.current_employer, worker.district, worker.current_occupation,
                                     worker.current_industry_section, worker.has_signed_contract)
        return workers
    spells = {spell.worker_id: spell for spell in EmploymentSpell.objects.on(timezone.localdate()).filter(
        employer_id=user.employer_id, worker__in=[worker.pk for worker in workers]).select_related(
        "occupation", "employer__district", "employer__industry").order_by("start_date", "id")}  # the latest wins
    for worker in workers:
        spell = spells.get(worker.pk)
        worker.summary = (Summary(spell.employer, spell.employer.district, spell.occupation,
                                  spell.employer.industry.section, spell.is_contract_signed) if spell
                          else Summary(None, None, None, "", False))
    return workers


def own_employer_of(user) -> int | None:
    """The employer through whose spells alone ``user`` knows workers (an enterprise's HR), else None."""
    return user.employer_id if sees_own_spells_only(user) else None


def with_summary(user, worker: Worker) -> Worker:
    """``worker`` with ``summary`` set (``with_summaries`` for one)."""
    return with_summaries(user, [worker])[0]


# Lists show masked values only: not loading the ciphertexts saves decrypting two per row.
CIPHERTEXT_FIELDS = ("id_number", "phone")
# What a row of workers (list, search, lookup) never shows: every encrypted column, each a decryption of some
# 30 µs per row when loaded (decisions 0003, 0009); the masked columns and the summary are what rows show.
NOT_IN_ROWS = (*CIPHERTEXT_FIELDS, "hukou_type", "political_status")

# Decision 0009: what reveals a worker's hukou (户口性质; 农民工 is rural hukou) or party membership
# (政治面貌). Nobody is shown these until the logged unmask, which needs UNMASK_PERMISSION.
MASKED_ATTRIBUTES = ("hukou_type", "political_status", "is_migrant")
MASKED_FACT_KINDS = (WorkerFactKind.HUKOU, WorkerFactKind.POLITICAL_STATUS)
UNMASK_PERMISSION = "registry.unmask_worker"


def may_unmask(user) -> bool:
    """Whether ``user`` may reveal masked values (each time logged), and so filter or export by them."""
    return user.has_perm(UNMASK_PERMISSION)


def shows_memberships(user) -> bool:
    """Decision 0009: a worker's trade-union membership is shown to the roles that manage memberships
    and to the worker themself; other readers see it hidden and must unmask it."""
    return user.has_perm(CHANGE_MEMBERSHIP) or getattr(user, "scope_kind", None) == ScopeKind.SELF


# Union membership has no table (the rolls, decision 0009): its permissions are custom ones of the worker.
VIEW_MEMBERSHIP = "registry.view_union_membership"
ADD_MEMBERSHIP = "registry.add_union_membership"
CHANGE_MEMBERSHIP = "registry.change_union_membership"


def shown_union_membership(user, worker: Worker) -> bool:
    """Whether ``worker`` is a union member today as ``user`` may know it (``with_summaries`` sets it; else
    its roll is read)."""
    if hasattr(worker, "union_member_shown"):
        return worker.union_member_shown
    return worker.pk in members_among([worker.pk], user)


def get_worker_for(user, pk) -> Worker:
    """The worker ``pk`` if ``user`` may see it; 404 for "missing" and "not yours" alike."""
    return with_summary(user, get_object_or_404(Worker.objects.visible_to(user).select_related(
        *WORKER_SUMMARY_RELATED), pk=pk))


def get_employer_for(user, pk) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(user).select_related("district", "industry"), pk=pk)


def get_spell_for(user, pk) -> EmploymentSpell:
    return get_object_or_404(EmploymentSpell.objects.visible_to(user).select_related("worker", "employer"), pk=pk)


def get_membership_for(user, pk, *, worker_id=None) -> Membership:
    """The membership ``pk`` if ``user`` may see its worker and know of it (decision 0009), read from the rolls
    in ``user``'s scope (``worker_id``: where a page says it is, read first); 404 for "missing" and "not
    yours" alike."""
    try:
        pk, hint = int(pk), int(worker_id) if worker_id not in (None, "") else None
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63 or (hint is not None and not 0 < hint < 2**63):
        raise Http404
    membership = find_membership(user, pk, worker_id=hint)
    if membership is None:
        raise Http404
    return membership


def get_worker_by_id_number_for(user, raw: str) -> Worker:
    """The worker registered under the ID number ``raw`` (any format GB 11643 allows), found through its
    keyed hash, as a row (``NOT_IN_ROWS`` deferred); 404 for an invalid number, an unknown one and one
    outside the user's scope alike."""
    try:
        number = parse_id_number(raw).number
    except IdentifierError:
        raise Http404 from None
    return with_summary(user, get_object_or_404(Worker.objects.visible_to(user).select_related(
        *WORKER_SUMMARY_RELATED).defer(*NOT_IN_ROWS),
        id_number_hash=lookup_hash(number)))


def worker_history(user, worker: Worker) -> QuerySet:
    """The change log of ``worker`` as ``user`` may read it: rows about child records the user cannot
    see (HR: the worker's spells and union membership at other employers; memberships hidden by
    decision 0009) are left out, so the history tells no more than the record. The rows still carry
    the masked attributes: pass what is shown through ``mask_history``."""
    history = history_for(worker)
    # A membership's change is a row of the worker naming its roll, with the membership it changed sealed in
    # the masked value (decision 0009): hidden from readers not shown memberships, and an enterprise's HR sees
    # those of their own union's memberships only (a change elsewhere would tell that one exists).
    roll_changes = Q(content_type=ContentType.objects.get_for_model(Worker), object_id=str(worker.pk),
                     after__has_key="union_roll")
    if not shows_memberships(user):
        history = history.exclude(roll_changes)
    elif (unions := unions_seen_by(user)) is not None:
        rows = list(history.filter(roll_changes).values_list("pk", "after"))
        references = open_references([str(after.get("union_roll") or "") for _pk, after in rows])
        hidden_rows = [pk for (pk, _after), reference in zip(rows, references, strict=True)
                       if reference is None or reference[1] not in unions]
        history = history.exclude(pk__in=hidden_rows)
    for model in (EmploymentSpell, Certificate):
        hidden = model.objects.filter(worker=worker).exclude(
            pk__in=model.objects.visible_to(user).filter(worker=worker).values("pk"))
        history = history.exclude(content_type=ContentType.objects.get_for_model(model),
                                  object_id__in=hidden.values_list(Cast("pk", CharField())))
    return history


def mask_history(entries, viewer=None) -> list:
    """``entries`` (change-log rows) with the values of the masked attributes replaced by 已隐藏
    (decision 0009), and, for an enterprise's HR (``viewer``), the names of users outside their enterprise
    replaced too: who else recorded a change tells where else the person works (decision 0002). The stored
    rows keep what was written; only the copies shown are changed."""
    hidden = _("已隐藏")
    entries = list(entries)
    if viewer is not None and sees_own_spells_only(viewer):
        from workforce.accounts.models import User

        colleagues = set(User.objects.filter(employer_id=viewer.employer_id).values_list("pk", flat=True))
        for entry in entries:
            if entry.user_id is not None and entry.user_id not in colleagues:
                entry.user_name = _("其他单位或部门的用户")
    for entry in entries:
        for values in (entry.before, entry.after):
            for name in (*MASKED_ATTRIBUTES, "union_roll"):  # the roll's value is a sealed reference
                if values and name in values:
                    values[name] = hidden
    return entries


SEALED_SEARCH_PREFIX = "~"


def is_identifier_search(query: str) -> bool:
    """Whether ``query`` is (or could be) an ID or phone number: what must never travel in a URL, where access
    and proxy logs keep it (issue 13). Seven or more digits, as ``search_workers`` reads them."""
    text = normalize_identifier(query)
    return len(text) >= 7 and text[:-1].isdigit()


def seal_search(query: str) -> str:
    """``query`` encrypted with the field key (decision 0003) for a URL: a page's address keeps a worker search
    by ID or phone number as ``~<token>``, which neither a log nor a shared link can read."""
    return SEALED_SEARCH_PREFIX + encrypt(query)


def unseal_search(query: str) -> str | None:
    """The search text of ``query``: itself, or the plaintext of a sealed one; None when a sealed one cannot be
    opened (tampered with, or sealed under a key since retired)."""
    if not query.startswith(SEALED_SEARCH_PREFIX):
        return query
    try:
        return decrypt(query.removeprefix(SEALED_SEARCH_PREFIX))
    except ValueError:
        return None


def search_workers(queryset: QuerySet, query: str) -> QuerySet:
    """Narrow ``queryset`` to workers matching ``query``: an ID number (exact, through its keyed
    hash; 15- or 18-digit), a phone number (exact), or a name (prefix). ``query`` may be sealed
    (``seal_search``)."""
    query = unseal_search(query)
    if query is None:
        return queryset.none()
    text = normalize_identifier(query)
    if not text:
        return queryset
    if len(text) in (15, 18) and text[:-1].isdigit():
        try:
            return queryset.filter(id_number_hash=lookup_hash(parse_id_number(text).number))
        except IdentifierError:
            return queryset.none()
    if text.isdigit() and len(text) >= 7:
        try:
            return queryset.filter(phone_hash=lookup_hash(normalize_phone(text)))
        except IdentifierError:
            return queryset.none()
    return search_by_name_prefix(queryset, query.strip())


# What the worker search box accepts (issue 15: the last digits of an ID number silently found nobody).
SEARCH_HELP = _lazy("姓名（可只输入开头几个字）、完整的身份证号码（18 位或 15 位）或完整的手机号码（11 位）；"
                    "不能按号码的一部分查找。")
PARTIAL_NUMBER = _lazy("只能按完整的身份证号码（18 位或 15 位）或完整的手机号码（11 位，或带区号的固定电话）查找，"
                       "不能按号码的一部分查找。按姓名查找时可只输入开头几个字。")
INVALID_ID_NUMBER = _lazy("这个身份证号码有误（出生日期或校验位不符），请核对后再查。")


def worker_search_problem(query: str) -> str | None:
    """Why ``query`` cannot find anyone although it looks like a number: part of an ID or phone number (the
    search matches whole numbers only, through their keyed hashes), or an ID number that cannot exist.
    None for a name or a whole number. ``query`` may be sealed (``seal_search``)."""
    text = normalize_identifier(unseal_search(query or "") or "")
    if not any(character.isdigit() for character in text):
        return None  # a name
    if len(text) in (15, 18) and text[:-1].isdigit():
        try:
            parse_id_number(text)
        except IdentifierError:
            return str(INVALID_ID_NUMBER)
        return None
    try:
        normalize_phone(text)
    except IdentifierError:
        return str(PARTIAL_NUMBER)
    return None


def search_by_name_prefix(queryset: QuerySet, prefix: str) -> QuerySet:
    """Workers whose name starts with ``prefix``, in name order, served by an index on both databases:
    newest-first would sort every 张 in the city to show fifty. SQLite compares text by code point, so
    a range is an exact prefix match on its plain name index (its LIKE folds case and cannot use it);
    PostgreSQL matches and orders in the "C" collation, as its index of migration registry 0002 does."""
    if connection.vendor == "postgresql":
        return (queryset.alias(name_c=Collate("name", "C")).filter(name_c__startswith=prefix)
                .order_by("name_c", "id"))
    return queryset.filter(name__gte=prefix, name__lt=prefix + "\U0010ffff").order_by("name", "id")


def masked_search(query: str) -> str:
    """``query`` as the access log may keep it: an ID or phone number masked like on screen, a name as is
    (the log must not hold in plaintext what the registry encrypts)."""
    query = unseal_search(query) or ""
    text = normalize_identifier(query)
    if len(text) in (15, 18) and text[:-1].isdigit():
        return mask_id_number(text)
    if text.isdigit() and len(text) >= 7:
        return mask_phone(text)
    return query


def search_employers(queryset: QuerySet, query: str) -> QuerySet:
    """Narrow ``queryset`` to employers whose USCC is ``query`` or whose name contains it."""
    text = normalize_identifier(query)
    if not text:
        return queryset
    if len(text) == 18:
        try:
            return queryset.filter(uscc=parse_uscc(text))
        except IdentifierError:
            pass
    return queryset.filter(name__contains=query.strip())


EMPLOYER_CHOICES_LIMIT = 20


def employer_choices(user, query: str, limit: int = EMPLOYER_CHOICES_LIMIT, *,
                     active_only: bool = False) -> list[Employer]:
    """The employers ``user`` may see whose name contains ``query`` or whose USCC starts with it (the worker
    list's employer filter and the employment forms choose among them as one types, issue 15), by name;
    ``active_only`` leaves out the employers no longer active."""
    text = normalize_identifier(query)
    employers = Employer.objects.visible_to(user).only("pk", "name", "uscc")
    if active_only:
        employers = employers.filter(is_active=True)
    if not text:
        return []
    matches = Q(name__contains=query.strip())
    if text.isascii() and text.isalnum():
        matches |= Q(uscc__startswith=text)
    return list(employers.filter(matches).order_by("name", "pk")[:limit])


def employer_shown(user, pk) -> Employer | None:
    """The employer ``pk`` if ``user`` may see it, for showing a chosen filter value by name; else None."""
    try:
        return Employer.objects.visible_to(user).only("pk", "name", "uscc").filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def _memberships(user, worker: Worker) -> list[Membership]:
    return memberships_of(worker, user)


def worker_detail(user, worker: Worker) -> dict:
    """Everything the worker page shows, each part filtered by the viewer's scope, without the masked
    attributes' dated facts and, unless ``shows_memberships``, without memberships (decision 0009)."""
    memberships_shown = shows_memberships(user)
    return {
        "spells": EmploymentSpell.objects.visible_to(user).filter(worker=worker)
        .select_related("employer", "occupation").prefetch_related("contracts"),
        "certificates": Certificate.objects.visible_to(user).filter(worker=worker).select_related(
            "occupation", "level"),
        "shows_memberships": memberships_shown,
        "union_member_shown": memberships_shown and shown_union_membership(user, worker),
        "memberships": _memberships(user, worker) if memberships_shown else [],
        "facts": worker.facts.exclude(kind__in=MASKED_FACT_KINDS),
        "history": mask_history(with_sources(worker_history(user, worker)[:200], user), user),
        "merged_from": Worker.objects.visible_to(user).filter(merged_into=worker),
    }


def worker_unmasked(user, worker: Worker) -> dict:
    """What the logged unmask reveals (decisions 0003, 0009): the ID number and phone, the masked
    attributes with their dated facts, and union membership (as far as ``user``'s scope reaches).
    The caller writes the access-log row."""
    return {
        "id_number": worker.id_number, "phone": worker.phone, "hukou_type": worker.hukou_type,
        "political_status": worker.political_status,
        "is_migrant": is_migrant_now(worker, at_employer=own_employer_of(user)),
        "facts": worker.facts.filter(kind__in=MASKED_FACT_KINDS),
        "is_union_member": shown_union_membership(user, worker), "memberships": _memberships(user, worker),
    }


# The reasons two active records may be one person; the duplicates page lists the groups of one at a time.
DUPLICATE_REASONS = ("name_birth", "phone")


def duplicate_keys(user, reason: str, district_id: str | None = None) -> QuerySet:
    """The groups of likely duplicates within ``user``'s scope, one row per group (``name`` and ``birth_date``,
    or ``phone_hash``), in key order, for paging: active workers sharing name and birth date (with different
    ID numbers, since the ID is unique), or sharing a phone number. With ``district_id``, only the workers that
    district sees (``querysets.in_district``, decision 0002) count. A group is found by walking the key's
    index: a page costs the rows up to its last group, not the whole registry (issue 15)."""
    visible = Worker.objects.visible_to(user).active()
    if district_id:
        visible = visible.filter(in_district(district_id))
    if reason == "phone":
        keys = visible.exclude(phone_hash="").values("phone_hash")
        order = ("phone_hash",)
    else:
        keys = visible.values("name", "birth_date")
        order = ("name", "birth_date")
    return keys.annotate(n=Count("id")).filter(n__gt=1).order_by(*order)


def duplicate_groups(user, keys, district_id: str | None = None) -> list[dict]:
    """The groups of ``keys`` (a page of ``duplicate_keys``) with their workers, read in one query for all
    the groups, each worker with its ``summary`` (``with_summaries``)."""
    keys = list(keys)
    if not keys:
        return []
    visible = Worker.objects.visible_to(user).active().select_related(*WORKER_SUMMARY_RELATED).defer(*NOT_IN_ROWS)
    if district_id:
        visible = visible.filter(in_district(district_id))
    if "phone_hash" in keys[0]:
        wanted = [(row["phone_hash"],) for row in keys]
        workers = visible.filter(phone_hash__in=[key[0] for key in wanted])
        key_of = lambda worker: (worker.phone_hash,)  # noqa: E731
    else:
        wanted = [(row["name"], row["birth_date"]) for row in keys]
        # A superset (every name with every date of the page), narrowed to the page's pairs below.
        workers = visible.filter(name__in={key[0] for key in wanted}, birth_date__in={key[1] for key in wanted})
        key_of = lambda worker: (worker.name, worker.birth_date)  # noqa: E731
    members: dict[tuple, list[Worker]] = {key: [] for key in wanted}
    for worker in with_summaries(user, workers.order_by("id")):
        if key_of(worker) in members:
            members[key_of(worker)].append(worker)
    groups = []
    for key, workers in members.items():
        if "phone_hash" in keys[0]:
            label, reason = (workers[0].phone_masked if workers else ""), "phone"
        else:
            label, reason = f"{key[0]} {key[1]:%Y-%m-%d}", "name_birth"
        groups.append({"reason": reason, "key": label, "workers": workers})
    return groups


def attribute_history(employer: Employer) -> list[dict]:
    """The employer's dated attribute values (district, industry, ownership, above scale), readable: names
    for codes. Empty until an attribute first changes."""
    from workforce.reference.models import Division, Industry
    from workforce.registry.choices import EmployerAttribute, Ownership
    from workforce.registry.models import EmployerAttributeFact

    facts = list(EmployerAttributeFact.objects.filter(employer=employer))
    codes = {fact.value for fact in facts}
    names = {**dict(Division.objects.filter(code__in=codes).values_list("code", "name")),
             **dict(Industry.objects.filter(code__in=codes).values_list("code", "name"))}
    labels = {EmployerAttribute.OWNERSHIP: dict(Ownership.choices),
              EmployerAttribute.ABOVE_SCALE: dict(YES_NO)}
    return [{"attribute": fact.get_attribute_display(),
             "value": labels.get(fact.attribute, names).get(fact.value, fact.value),
             "valid_from": fact.valid_from, "valid_to": fact.valid_to} for fact in facts]


@dataclass
class Bargaining:
    """An employer's collective bargaining as of a day (the plan's 建立集体协商机制, §I.2): the mechanism covering
    the day (or the last one before it, lapsed), the last negotiation round on or before the day, and the
    collective contract covering the day, each a dated fact (``EmployerFactKind``)."""

    on: datetime.date
    mechanism: EmployerFact | None
    last_round: EmployerFact | None
    contract: EmployerFact | None

    @property
    def is_established(self) -> bool:
        """A mechanism covers the day."""
        return self.mechanism is not None and (self.mechanism.valid_to is None or self.mechanism.valid_to >= self.on)


def bargaining_on(facts, on: datetime.date) -> Bargaining:
    """The employer's collective bargaining on ``on`` from its governance ``facts`` (all of one employer)."""

    def last_started(kind):
        started = [fact for fact in facts if fact.kind == kind and fact.valid_from <= on]
        return max(started, key=lambda fact: fact.valid_from) if started else None

    contract = last_started(EmployerFactKind.COLLECTIVE_CONTRACT)
    if contract is not None and contract.valid_to is not None and contract.valid_to < on:
        contract = None
    return Bargaining(on, last_started(EmployerFactKind.COLLECTIVE_BARGAINING),
                      last_started(EmployerFactKind.BARGAINING_ROUND), contract)
