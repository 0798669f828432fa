"""The worker's own skills page (phone layout): their ladder as of any date, the sessions open for registration,
and their registrations with the eligibility explanation and results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from workforce.skills import selectors
from workforce.skills.choices import Ground
from workforce.skills.forms import AsOfForm, RegistrationForm
from workforce.skills.models import Candidate


@login_required
def my_skills(request):
    if not request.user.worker_id:
        raise Http404  # a page of one's own record: staff open a worker's page in the registry
    worker = request.user.worker
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    on = on or timezone.localdate()
    registered = set(Candidate.objects.visible_to(request.user).filter(worker=worker)
                     .values_list("session_id", flat=True))
    sessions = [session for session in selectors.open_sessions(request.user) if session.pk not in registered]
    return render(request, "skills/my_skills.html", {
        "worker": worker, "ladder": selectors.ladder_of(request.user, worker, on), "as_of": form, "on": on,
        "open_sessions": sessions, "grounds": Ground.choices,
        "registration_form": RegistrationForm(auto_id="id_register_%s"),
        "candidates": Candidate.objects.visible_to(request.user).filter(worker=worker).select_related(
            "session__body", "session__occupation", "session__level", "rule", "certificate").order_by("-session__date"),
    })
