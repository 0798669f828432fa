"""A progress report's page: write, attach evidence, submit; review; every version; attachment download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.changelog import StaleRecordError, history_for
from workforce.supervision import rules, selectors
from workforce.supervision.choices import ReviewDecision
from workforce.supervision.forms import AttachmentForm, ReportForm, ReviewForm
from workforce.supervision.services import reports as services
from workforce.supervision.views import act, flash_errors


@login_required
@permission_required("supervision.view_progressreport", raise_exception=True)
def report_detail(request, pk):
    """The report; its department writes and submits it here, and the reviewer accepts or sends it back."""
    report = selectors.get_report_for(request.user, pk)
    may_write = rules.may_write_report(request.user, report) and report.is_editable
    form = ReportForm(request.POST or None, initial={"body": report.body, "version": report.version})
    if request.method == "POST":
        if not may_write:
            rules.require(False)
        if form.is_valid():
            save = services.do_save_and_submit_report if "submit" in request.POST else services.do_save_report
            try:
                save(report, form.cleaned_data["body"], expected_version=form.cleaned_data["version"],
                     acting_user=request.user)
            except StaleRecordError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                submitted = "submit" in request.POST
                messages.success(request, _("报告已报送，等待审核。") if submitted else _("草稿已保存。"))
                return redirect(report)
    return render(request, "supervision/report_detail.html", {
        "report": report, "form": form, "may_write": may_write,
        "may_review": report.is_awaiting_review and rules.may_review_report(request.user, report),
        "attachments": report.attachments.filter(removed_at__isnull=True),
        "versions": report.versions.prefetch_related("attachments").select_related("submitted_by", "reviewed_by"),
        "attachment_form": AttachmentForm(), "review_form": ReviewForm(),
        "history": history_for(report)[:100] if request.user.has_perm("core.view_changelogentry") else [],
    })


@login_required
@require_POST
@permission_required("supervision.change_progressreport", raise_exception=True)
def attachment_add(request, pk):
    report = selectors.get_report_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(report)
    return act(request, lambda: services.do_attach_file(report, form.cleaned_data["file"], acting_user=request.user),
               _("附件已上传。"), report)


@login_required
@require_POST
@permission_required("supervision.change_progressreport", raise_exception=True)
def attachment_remove(request, pk, attachment_pk):
    report = selectors.get_report_for(request.user, pk)
    attachment = selectors.get_attachment_for(request.user, attachment_pk)
    if attachment.report_id != report.pk:
        return redirect(report)
    return act(request, lambda: services.do_remove_attachment(attachment, acting_user=request.user),
               _("附件已移除。"), report)


@login_required
@permission_required("supervision.view_progressreport", raise_exception=True)
def attachment_download(request, pk):
    """The file, only to users whose scope covers its report; always a download, never rendered inline."""
    attachment = selectors.get_attachment_for(request.user, pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response  # never cached: core.middleware forbids it for every download


@login_required
@require_POST
@permission_required("supervision.view_progressreport", raise_exception=True)
def report_review(request, pk):
    report = selectors.get_report_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(report)
    decision = form.cleaned_data["decision"]
    return act(request, lambda: services.do_review_report(report, decision, form.cleaned_data["comment"],
                                                         acting_user=request.user),
               _("报告已通过。") if decision == ReviewDecision.ACCEPTED else _("报告已退回修改。"), report)
