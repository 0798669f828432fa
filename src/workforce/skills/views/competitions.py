"""Competition pages (§20): the list, and a competition with its entrants in the user's scope, the cases its
results triggered (each naming its rule and rank), result entry once and corrections by the city."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.changelog import StaleRecordError
from workforce.core.choices import Channel
from workforce.core.paging import paginate
from workforce.skills.models import Competition, CompetitionCase, ConsequenceRule, Entrant
from workforce.skills.services import competitions as services

PAGE = Channel.PAGE
VIEW = "skills.view_competition"
CHANGE = "skills.change_competition"


@login_required
@permission_required(VIEW, raise_exception=True)
def competition_list(request):
    competitions = Competition.objects.visible_to(request.user).select_related("occupation").order_by("-held_on", "-pk")
    return render(request, "skills/competition_list.html", {
        "page": paginate(request, competitions),
        "rules": ConsequenceRule.objects.order_by("code", "-version")})


@login_required
@permission_required(VIEW, raise_exception=True)
def competition_detail(request, pk):
    competition = get_object_or_404(Competition.objects.visible_to(request.user).select_related("occupation"), pk=pk)
    entrants = list(Entrant.objects.visible_to(request.user).filter(competition=competition)
                    .select_related("worker").order_by("rank", "pk"))
    cases = (CompetitionCase.objects.filter(entrant__in=entrants).select_related("rule", "entrant__worker")
             .order_by("entrant__rank", "entrant_id", "consequence"))
    return render(request, "skills/competition_detail.html", {
        "competition": competition, "entrants": entrants, "cases": cases,
        "may_enter": request.user.has_perm(CHANGE) and competition.results_recorded_at is None,
        "may_correct": request.user.has_perm(CHANGE) and competition.results_recorded_at is not None})


def _rank(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValidationError(_("名次须为正整数。"))
    return int(value)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def competition_results(request, pk):
    competition = get_object_or_404(Competition.objects.visible_to(request.user), pk=pk)
    try:
        ranks = {}
        for entrant in Entrant.objects.visible_to(request.user).filter(competition=competition):
            rank = _rank(request.POST.get(f"rank_{entrant.pk}", ""))
            if rank is not None:
                ranks[entrant.pk] = rank
        version = int(request.POST.get("version", "0") or 0)
        counts = services.record_results(competition, ranks, expected_version=version, acting_user=request.user,
                                         channel=PAGE)
    except (ValidationError, StaleRecordError) as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    else:
        messages.success(request, _("成绩已录入，新增结果运用事项 %(count)s 项。") % {"count": counts["created"]})
    return redirect(competition)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def entrant_correct(request, pk):
    entrant = get_object_or_404(Entrant.objects.visible_to(request.user).select_related("competition"), pk=pk)
    try:
        counts = services.correct_result(entrant, _rank(request.POST.get("rank", "")),
                                         expected_version=int(request.POST.get("version", "0") or 0),
                                         acting_user=request.user, channel=PAGE)
    except (ValidationError, StaleRecordError) as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    else:
        messages.success(request, _(
            "名次已更正：新增 %(created)s 项、恢复 %(reopened)s 项、撤销 %(withdrawn)s 项。") % counts)
    return redirect(entrant.competition)
