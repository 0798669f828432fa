"""Task pages: create, view, edit, and their milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.accounts.models import Department
from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.forms import add_service_errors
from workforce.supervision import rules, selectors
from workforce.supervision.forms import MilestoneForm, TaskForm
from workforce.supervision.services import roadmap as services
from workforce.supervision.services.roadmap import TASK_FIELDS
from workforce.supervision.views import act, flash_errors


@login_required
@permission_required("supervision.add_task", raise_exception=True)
def task_create(request, measure_pk):
    measure = selectors.get_measure_for(request.user, measure_pk)
    departments = selectors.task_departments(request.user, measure)
    form = TaskForm(request.POST or None, departments=departments,
                    initial={"department": departments.first(), "start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in TASK_FIELDS if key in form.cleaned_data}
        try:
            task = services.do_create_task(measure, form.cleaned_data["department"], data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("任务已部署。"))
            return redirect(task)
    return render(request, "supervision/simple_form.html", {"form": form, "measure": measure,
                                                          "title": _("部署任务")})


@login_required
@permission_required("supervision.view_task", raise_exception=True)
def task_detail(request, pk):
    task = selectors.get_task_for(request.user, pk)
    return render(request, "supervision/task_detail.html", {
        "task": task, "milestones": task.milestones.all(), "on": timezone.localdate(),
        "may_manage": rules.may_manage_tasks(request.user, task.department),
        "milestone_form": MilestoneForm(),
        "history": history_for(task)[:100] if request.user.has_perm("core.view_changelogentry") else [],
    })


@login_required
@permission_required("supervision.change_task", raise_exception=True)
def task_edit(request, pk):
    task = selectors.get_task_for(request.user, pk)
    rules.require(rules.may_manage_tasks(request.user, task.department))
    initial = {key: getattr(task, key) for key in TASK_FIELDS} | {"version": task.version,
                                                                   "department": task.department}
    form = TaskForm(request.POST or None, initial=initial,
                    departments=Department.objects.filter(pk=task.department_id))
    if request.method == "POST" and form.is_valid():
        changes = {key: form.cleaned_data[key] for key in TASK_FIELDS if form.cleaned_data[key] != initial[key]}
        try:
            services.do_update_task(task, changes, expected_version=form.cleaned_data["version"],
                                    acting_user=request.user)
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("任务已保存。"))
            return redirect(task)
    return render(request, "supervision/simple_form.html", {"form": form, "measure": task.measure, "task": task,
                                                          "title": _("编辑任务")})


@login_required
@require_POST
@permission_required("supervision.change_task", raise_exception=True)
def milestone_add(request, pk):
    task = selectors.get_task_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(task)
    return act(request, lambda: services.do_add_milestone(task, form.cleaned_data["title"], form.deadline(),
                                                         acting_user=request.user), _("节点已添加。"), task)


@login_required
@require_POST
@permission_required("supervision.change_task", raise_exception=True)
def milestone_complete(request, pk, milestone_pk):
    task = selectors.get_task_for(request.user, pk)
    milestone = task.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        return redirect(task)
    return act(request, lambda: services.do_complete_milestone(milestone, timezone.localdate(),
                                                              acting_user=request.user), _("节点已完成。"), task)


@login_required
@require_POST
@permission_required("supervision.change_task", raise_exception=True)
def task_delete(request, pk):
    """Delete a task planned in error (refused once an accepted report may describe it)."""
    task = selectors.get_task_for(request.user, pk)
    return act(request, lambda: services.do_delete_task(task, acting_user=request.user), _("任务已删除。"),
               task.measure, target_on_error=task)
