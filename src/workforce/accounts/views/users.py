"""User management for the city administrator: list, create, edit role/scope, reset password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from workforce.accounts import services
from workforce.accounts.forms import UserForm
from workforce.accounts.models import ApiToken, User
from workforce.core.changelog import history_for
from workforce.core.choices import Channel
from workforce.core.forms import add_service_errors, search_text
from workforce.core.identifiers import IdentifierError, parse_uscc
from workforce.core.paging import paginate
from workforce.registry.models import Employer
from workforce.registry.services.workers import find_worker_by_id_number


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def user_list(request):
    users = User.objects.select_related("role", "district", "employer", "department").order_by("username")
    query = search_text(request)
    if query:
        users = users.filter(username__startswith=query) | users.filter(display_name__contains=query)
    return render(request, "accounts/user_list.html", {"page": paginate(request, users), "query": query})


def _scope_from(form, user) -> dict:
    """Resolve the USCC and ID number typed on the form to the employer and worker they name (among the
    employers ``user``, the administrator, may see: all of them)."""
    data = form.cleaned_data
    scope = {key: data[key] for key in ("display_name", "department", "district", "organisation_name")}
    scope["employer"] = scope["worker"] = None
    if data["employer_uscc"]:
        try:
            scope["employer"] = Employer.objects.visible_to(user).get(uscc=parse_uscc(data["employer_uscc"]))
        except (IdentifierError, Employer.DoesNotExist):
            raise ValidationError({"employer_uscc": _("未找到该统一社会信用代码对应的单位。")}) from None
    if data["worker_id_number"]:
        scope["worker"] = find_worker_by_id_number(data["worker_id_number"])
        if scope["worker"] is None:
            raise ValidationError({"worker_id_number": _("登记库中没有该身份证号码的职工。")})
    return scope


@login_required
@permission_required("accounts.add_user", raise_exception=True)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scope = _scope_from(form, request.user)
            if User.objects.filter(username=form.cleaned_data["username"]).exists():
                raise ValidationError({"username": _("该用户名已被使用。")})
            user = services.create_user(form.cleaned_data["username"], form.cleaned_data["password"],
                                        role_code=form.cleaned_data["role"].code, acting_user=request.user,
                                        channel=Channel.PAGE, **scope)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("用户 %(name)s 已创建。") % {"name": user.username})
            return redirect("users:list")
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def user_edit(request, pk):
    user = get_object_or_404(User.objects.select_related("employer", "worker"), pk=pk)
    initial = {
        "username": user.username, "display_name": user.display_name, "role": user.role,
        "department": user.department, "district": user.district, "organisation_name": user.organisation_name,
        "employer_uscc": user.employer.uscc if user.employer else "", "is_active": user.is_active,
        "worker_id_number": user.worker.id_number_masked if user.worker else "",
    }
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.cleaned_data["worker_id_number"] == initial["worker_id_number"]:
                    form.cleaned_data["worker_id_number"] = ""
                    scope = _scope_from(form, request.user) | {"worker": user.worker}
                else:
                    scope = _scope_from(form, request.user)
                services.update_user(user, scope | {"role": form.cleaned_data["role"],
                                                    "is_active": form.cleaned_data["is_active"]},
                                     acting_user=request.user)
                if form.cleaned_data["password"]:
                    services.set_user_password(user, form.cleaned_data["password"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("users:list")
    return render(request, "accounts/user_form.html", {
        "form": form, "edited_user": user, "lockouts": services.lockouts_of(user),
        "tokens": ApiToken.objects.visible_to(request.user).filter(user=user)[:50],
        "enrolment": services.usable_enrolment_code(user), "history": history_for(user)[:100]})
