"""Appraisal pages: bodies, sessions, registration, score entry, publication and certificate issuance.

Each view parses its input, calls one service or selector and renders (STYLE.md); rows come from the
``visible_to`` querysets and the ``selectors.get_*_for`` fetchers only, so another body's session is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.changelog import StaleRecordError
from workforce.core.choices import Channel
from workforce.core.forms import add_service_errors, flash_form_result
from workforce.core.paging import paginate
from workforce.registry.models import Worker
from workforce.registry.services.workers import find_worker_by_id_number
from workforce.skills import selectors, services
from workforce.skills.choices import SessionState
from workforce.skills.forms import RegistrationForm, ScoresForm, SessionForm
from workforce.skills.models import AppraisalBody, AppraisalSession
from workforce.skills.querysets import acts_for_bodies

PAGE = Channel.PAGE
VIEW_SESSION = "skills.view_appraisalsession"
MANAGE = "skills.manage_appraisalsession"


@login_required
@permission_required(VIEW_SESSION, raise_exception=True)
def session_list(request):
    sessions = AppraisalSession.objects.visible_to(request.user).select_related("body", "occupation", "level")
    state = request.GET.get("state", "")
    if state in SessionState.values:
        sessions = sessions.filter(state=state)
    page = paginate(request, sessions.order_by("-date", "-pk"))
    return render(request, "skills/session_list.html", {"page": page, "states": SessionState.choices,
                                                        "state": state})


@login_required
@permission_required("skills.view_appraisalbody", raise_exception=True)
def body_list(request):
    bodies = AppraisalBody.objects.visible_to(request.user).select_related("employer").prefetch_related(
        "scopes__occupation", "scopes__level")
    return render(request, "skills/body_list.html", {"bodies": bodies})


@login_required
@permission_required("skills.view_appraisalbody", raise_exception=True)
def body_detail(request, pk):
    body = selectors.get_body_for(request.user, pk)
    sessions = AppraisalSession.objects.visible_to(request.user).filter(body=body).select_related(
        "occupation", "level")[:50]
    return render(request, "skills/body_detail.html", {
        "body": body, "scopes": body.scopes.select_related("occupation", "level"), "sessions": sessions})


@login_required
@permission_required("skills.add_appraisalsession", raise_exception=True)
def session_create(request):
    bodies = AppraisalBody.objects.visible_to(request.user)
    form = SessionForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(form.cleaned_data, acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("认定批次已创建（计划中），开放报名后即可报名。"))
            return redirect(session)
    return render(request, "skills/simple_form.html", {"form": form, "title": _("新建认定批次")})


def may_manage(user, session: AppraisalSession) -> bool:
    """Whether ``user`` runs ``session``: its body's staff, or the city administrator."""
    if not user.has_perm(MANAGE):
        return False
    return session.body.staff.filter(pk=user.pk).exists() or not acts_for_bodies(user)


@login_required
@permission_required(VIEW_SESSION, raise_exception=True)
def session_detail(request, pk):
    session = selectors.get_session_for(request.user, pk)
    candidates = list(selectors.candidates_of(request.user, session))
    manages = may_manage(request.user, session)
    may_register = (session.state == SessionState.OPEN and request.user.has_perm("skills.add_candidate")
                    and not request.user.worker_id)
    context = {
        "session": session, "candidates": candidates, "manages": manages, "may_register": may_register,
        "registration_form": RegistrationForm(auto_id="id_register_%s") if may_register else None,
        "places_left": max(session.quota - session.candidates.count(), 0),
        "may_export": request.user.has_perm("skills.export_candidate"),
        "score_forms": {candidate.pk: ScoresForm(initial={"version": candidate.version},
                                                 auto_id=f"id_scores_{candidate.pk}_%s")
                        for candidate in candidates if candidate.scores_entered_at is None}
        if manages and session.state == SessionState.CLOSED else {},
    }
    return render(request, "skills/session_detail.html", context)


def _flash(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, getattr(error, "message", None) or str(error))


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def session_advance(request, pk):
    session = selectors.get_session_for(request.user, pk)
    try:
        session = services.advance_session(session, expected_version=_version(request), acting_user=request.user,
                                           channel=PAGE)
    except (ValidationError, StaleRecordError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("批次状态已变更为“%(state)s”。") % {"state": session.get_state_display()})
    return redirect(session)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def session_publish(request, pk):
    session = selectors.get_session_for(request.user, pk)
    try:
        services.publish_results(session, expected_version=_version(request), acting_user=request.user, channel=PAGE)
    except (ValidationError, StaleRecordError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("成绩已公布。"))
    return redirect(session)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def session_issue(request, pk):
    session = selectors.get_session_for(request.user, pk)
    try:
        issued = services.issue_certificates(session, expected_version=_version(request), acting_user=request.user,
                                             channel=PAGE)
    except (ValidationError, StaleRecordError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("已向登记库颁发证书 %(count)s 本。") % {"count": len(issued)})
    return redirect(session)


def _version(request) -> int | None:
    """The version the page was read at (a form without one is refused as stale rather than trusted)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@login_required
@permission_required("skills.add_candidate", raise_exception=True)
@require_POST
def candidate_register(request, pk):
    """Register a worker: the signed-in worker themself, or (body, HR, city) the worker of the ID number given."""
    session = selectors.get_session_for(request.user, pk)
    form = RegistrationForm(request.POST)
    back = redirect("skills:my_skills") if request.user.worker_id else redirect(session)
    if not form.is_valid():
        flash_form_result(request, form, "")
        return back
    worker = None
    if request.user.worker_id:
        worker = request.user.worker
    else:
        worker = find_worker_by_id_number(form.cleaned_data["id_number"])
        # HR and districts register only people they see; anyone else's record is "not found", never "not yours".
        if worker is not None and not acts_for_bodies(request.user) and \
                not Worker.objects.visible_to(request.user).filter(pk=worker.pk).exists():
            worker = None
    if worker is None:
        form.add_error("id_number", _("未找到该身份证号对应的职工档案。"))
    else:
        try:
            services.register_candidate(session, worker, ground=form.cleaned_data["ground"],
                                        basis=form.cleaned_data["basis"], acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
    flash_form_result(request, form, _("报名成功：%(session)s。") % {"session": session})
    return back


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def candidate_scores(request, pk):
    candidate = selectors.get_candidate_for(request.user, pk)
    form = ScoresForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.enter_scores(candidate, data, expected_version=version, acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        except (StaleRecordError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
    flash_form_result(request, form, _("%(name)s 的成绩已录入。") % {"name": candidate.worker.name})
    return redirect(candidate.session)
