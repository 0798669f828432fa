"""The portal's demo (decision 0019): the ``worker`` login's phone bound for SMS password resets, and workers'
self-registrations waiting for the HR, district and union logins, dated relative to the demo's day."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from workforce.accounts.models import User
from workforce.core.changelog import record_change, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import mask_id_number, mask_phone, random_id_number
from workforce.demo.accounts import largest_pangang_employer
from workforce.demo.parts import DemoContext, DemoPart
from workforce.portal.choices import RegistrationStatus
from workforce.portal.models import PortalProfile, SelfRegistration
from workforce.reference.models import Division
from workforce.registry.models import Worker

# (name, gender, district, days before the demo's day, status, names the Pangang company, reason if refused)
SELF_REGISTRATIONS = (
    ("周建国", "M", "510402", 1, RegistrationStatus.PENDING, True, ""),
    ("吴小芳", "F", "510402", 3, RegistrationStatus.PENDING, False, ""),
    ("郑海", "M", "510421", 2, RegistrationStatus.PENDING, False, ""),
    ("冯丽", "F", "510411", 9, RegistrationStatus.REFUSED, False, "单位核实无此职工，请联系实际用人单位"),
)


def bind_worker_phone() -> str:
    """Bind the ``worker`` login to its registry phone, as a sign-up would have: it can reset its password by SMS."""
    user = User.objects.filter(username="worker", worker__isnull=False).select_related("worker").first()
    worker = user.worker if user is not None else None
    if user is None or worker is None or not worker.phone:
        return "no worker login with a phone"
    phone = worker.phone
    if PortalProfile.objects.filter(user=user).exists():
        return f"worker login bound to {mask_phone(phone)}"
    if PortalProfile.objects.filter(phone_hash=lookup_hash(phone)).exists():
        return "worker phone bound to another login"
    profile = PortalProfile.objects.create(user=user, phone=phone, phone_hash=lookup_hash(phone),
                                           phone_masked=mask_phone(phone),
                                           verified_at=timezone.now())
    record_change(profile, ChangeAction.CREATE, acting_user=None, channel=Channel.SYSTEM, parent=user,
                  after=snapshot(profile))
    return f"worker login bound to {mask_phone(phone)}"


def add_self_registrations(context: DemoContext) -> int:
    rng = random.Random(context.seed)
    pangang = largest_pangang_employer()
    added = 0
    for index, (name, gender, district, days, status, names_pangang, reason) in enumerate(SELF_REGISTRATIONS):
        birth = datetime.date(1985 + 3 * index, 1 + index, 10 + index)
        number = random_id_number(rng, division_code=district, birth_date=birth, gender=gender)
        if Worker.objects.filter(id_number_hash=lookup_hash(number)).exists():
            continue
        phone = f"1990000{index:04d}"
        submitted = timezone.make_aware(datetime.datetime.combine(context.today - datetime.timedelta(days=days),
                                                                  datetime.time(19, 30)))
        employer = pangang if names_pangang else None
        registration = SelfRegistration.objects.create(
            status=status, id_number=number, id_number_hash=lookup_hash(number),
            id_number_masked=mask_id_number(number), name=name, hukou_type="rural" if index % 2 else "urban",
            phone=phone, phone_hash=lookup_hash(phone), phone_masked=mask_phone(phone),
            username=f"demo-self-{index + 1}", password_hash=make_password(None),
            district=Division.objects.get(code=district), employer=employer,
            employer_name=employer.name if employer else ["攀枝花市东区顺达物流配送站", "米易县城区家政服务部",
                                                          "仁和区建材批发部"][index % 3],
            submitted_at=submitted, decision_note=reason,
            decided_at=submitted + datetime.timedelta(days=2) if status != RegistrationStatus.PENDING else None)
        record_change(registration, ChangeAction.CREATE, acting_user=None, channel=Channel.SYSTEM,
                      after=snapshot(registration))
        added += 1
    return added


@transaction.atomic
def build(context: DemoContext) -> str:
    if context.replace:
        SelfRegistration.objects.filter(username__startswith="demo-self-").delete()
    bound = bind_worker_phone()
    if SelfRegistration.objects.filter(username__startswith="demo-self-").exists():
        return f"portal: {bound}; self-registrations kept"
    added = add_self_registrations(context)
    return f"portal: {bound}; {added} self-registrations (3 pending, 1 refused)"


PART = DemoPart("portal", build, after=("accounts",))
