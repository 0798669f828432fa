"""Roster import pages: template download, upload, progress, preview with problems, commit, reports,
and the .csv/.xlsx exports of the import list and of an import's problems."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent
from workforce.core.exports import EXPORT_BATCH, export_response
from workforce.core.forms import add_service_errors
from workforce.core.htmx import render_list
from workforce.core.messages import shown
from workforce.core.paging import paginate
from workforce.imports import selectors, services, tasks
from workforce.imports.choices import RUNNING, ImportStatus, Severity
from workforce.imports.columns import COLUMNS_BY_KEY
from workforce.imports.forms import CommitForm, CommitInputForm, RosterSynonymForm, RosterUploadForm
from workforce.imports.models import RosterImport, RosterSynonym
from workforce.imports.parsing import RosterFileError
from workforce.imports.querysets import spells_to_end
from workforce.imports.reports import claim_report_build, error_report_response
from workforce.imports.synonyms import add_roster_synonym, remove_roster_synonym
from workforce.imports.workbooks import build_roster_template

LEAVERS_SHOWN = 200  # on the page; the export has them all


def _get(user, pk) -> RosterImport:
    return get_object_or_404(RosterImport.objects.visible_to(user).select_related("employer", "uploaded_by"), pk=pk)


def _problems(roster_import: RosterImport, severity: str | None):
    """The import's problems, only the errors or only the warnings if ``severity`` asks (else all)."""
    problems = roster_import.problems.all()
    return problems.filter(severity=severity) if severity in Severity.values else problems


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def import_list(request):
    """The imports the user sees; ``?state=awaiting`` or ``?state=failed`` keeps those the home page counts."""
    state = request.GET.get("state")
    if state in selectors.STATES:
        imports = selectors.imports_in_state(request.user, state)
    else:
        state, imports = "", RosterImport.objects.visible_to(request.user)
    return render(request, "imports/import_list.html", {
        "page": paginate(request, imports.select_related("employer", "uploaded_by")), "state": state,
        "can_import": services.can_import(request.user)})


@login_required
def roster_template(request):
    """The Excel template with drop-downs and instructions; anyone signed in may download it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    employer = request.user.employer if request.user.employer_id else None
    build_roster_template(handle, employer_name=employer.name if employer else None)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="职工花名册模板.xlsx")


@login_required
@permission_required("imports.import_roster", raise_exception=True)
def upload(request):
    if not services.can_import(request.user):
        raise PermissionDenied
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = services.create_roster_import(
                form.cleaned_data["file"], user=request.user, mode=form.cleaned_data["mode"],
                roster_date=form.cleaned_data["roster_date"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            tasks.check_roster_import_task(roster_import.pk)
            return redirect(roster_import)
    return render(request, "imports/upload.html", {"form": form})


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def detail(request, pk):
    roster_import = _get(request.user, pk)
    services.expire_dead_job(roster_import)
    problems = _problems(roster_import, request.GET.get("severity"))
    context = {
        "roster_import": roster_import, "running": roster_import.status in RUNNING,
        "progress": services.read_progress(roster_import), "page": paginate(request, problems),
        "commit_form": CommitForm(), "poll_seconds": settings.IMPORT_POLL_SECONDS,
        "spells_to_end": spells_to_end(roster_import, request.user)[:LEAVERS_SHOWN],
        "leavers_shown": LEAVERS_SHOWN, "can_import": services.can_import(request.user),
    }
    return render_list(request, "imports/detail.html", "imports/_state.html", context)


@login_required
@permission_required("imports.import_roster", raise_exception=True)
@require_POST
def commit(request, pk):
    roster_import = _get(request.user, pk)
    form = CommitInputForm(request.POST)
    form.is_valid()
    confirm = bool(form.cleaned_data.get("confirm_sync"))
    try:
        services.request_commit(roster_import, confirm_sync=confirm,
                                valid_rows_only=bool(form.cleaned_data.get("valid_rows_only")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        tasks.commit_roster_import_task(roster_import.pk, request.user.pk, confirm, roster_import.commit_attempt)
    return redirect(roster_import)


@login_required
@permission_required("imports.import_roster", raise_exception=True)
@require_POST
def close(request, pk):
    """Close a checked import unimported: an identical re-import has nothing to import, a failed one is
    replaced by a corrected upload."""
    roster_import = _get(request.user, pk)
    try:
        services.close_roster_import(roster_import, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已关闭，未导入任何数据。"))
    return redirect(roster_import)


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def error_report(request, pk):
    """The uploaded sheet with the bad cells highlighted and a column of messages."""
    roster_import = _get(request.user, pk)
    if roster_import.status in (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.REFUSED):
        raise Http404
    try:
        response = error_report_response(roster_import, request)
    except RosterFileError as error:
        messages.error(request, shown(error.message))
        return redirect(roster_import)
    if response is None:  # built by a job, never by the request
        if claim_report_build(roster_import):
            tasks.write_error_report_task(roster_import.pk)
        messages.info(request, _("问题报告正在生成，请稍后再下载。"))
        return redirect(roster_import)
    return response


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def original_file(request, pk):
    """The file as uploaded (decrypted), its download logged; gone after the retention period."""
    roster_import = _get(request.user, pk)
    if roster_import.file_purged_at is not None or not roster_import.file:
        messages.error(request, _("原文件已按保存期限删除。"))
        return redirect(roster_import)
    response = FileResponse(roster_import.file.open("rb"), as_attachment=True, filename=roster_import.original_name)
    log_access(AccessEvent.EXPORT, request=request, target=f"import:{roster_import.pk}/original")
    return response


# ---------------------------------------------------------------------------------------------- synonyms


@login_required
@permission_required("imports.add_rostersynonym", raise_exception=True)
def synonyms(request):
    """The administrator's ways of writing coded roster values, and a form to add one (decision 0013)."""
    form = RosterSynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_roster_synonym(form.cleaned_data["column"], form.cleaned_data["text"], form.cleaned_data["value"],
                               acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已添加，之后的花名册检查即可识别该写法。"))
            return redirect("imports:synonyms")
    rows = [(synonym, COLUMNS_BY_KEY[synonym.column].header if synonym.column in COLUMNS_BY_KEY else synonym.column)
            for synonym in RosterSynonym.objects.all()]
    return render(request, "imports/synonyms.html", {
        "form": form, "rows": rows, "can_delete": request.user.has_perm("imports.delete_rostersynonym")})


@login_required
@permission_required("imports.delete_rostersynonym", raise_exception=True)
@require_POST
def synonym_delete(request, pk):
    remove_roster_synonym(get_object_or_404(RosterSynonym, pk=pk), acting_user=request.user)
    messages.success(request, _("已删除。"))
    return redirect("imports:synonyms")


# ---------------------------------------------------------------------------------------------- exports


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def import_export(request, fmt):
    """The import list as the user sees it, one row per upload with its counts (logged)."""
    imports = RosterImport.objects.visible_to(request.user).select_related("employer", "uploaded_by")
    header = [_("上传时间"), _("文件名"), _("用人单位"), _("上传人"), _("导入方式"), _("状态"), _("数据行"),
              _("新增职工"), _("更新"), _("无变化"), _("有错误的行")]

    def rows():
        for item in imports.iterator(chunk_size=EXPORT_BATCH):
            counts = item.counts
            yield [timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"), item.original_name,
                   item.employer.name if item.employer else "", str(item.uploaded_by), item.get_mode_display(),
                   item.status_text,
                   *(counts.get(key, "") for key in ("rows", "create", "update", "unchanged", "errors"))]

    response = export_response(fmt, "imports", header, rows())
    if response is None:
        raise Http404
    log_access(AccessEvent.EXPORT, request=request, target=f"imports.{fmt}", detail=request.GET.urlencode()[:500])
    return response


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def problem_export(request, pk, fmt):
    """An import's problem list (the detail page's ``severity`` filter applies); the values come from
    the uploaded file, so ``core.exports`` neutralises them (a cell ``=1+1`` stays text)."""
    roster_import = _get(request.user, pk)
    problems = _problems(roster_import, request.GET.get("severity"))
    header = [_("行"), _("列"), _("值"), _("问题"), _("级别")]

    def rows():
        for problem in problems.iterator(chunk_size=EXPORT_BATCH):
            yield [problem.row, problem.column, problem.value, problem.text, problem.get_severity_display()]

    response = export_response(fmt, f"import-{roster_import.pk}-problems", header, rows())
    if response is None:
        raise Http404
    log_access(AccessEvent.EXPORT, request=request, target=f"import:{roster_import.pk}/problems.{fmt}",
               detail=request.GET.urlencode()[:500])
    return response


@login_required
@permission_required("imports.view_rosterimport", raise_exception=True)
def leavers_export(request, pk, fmt):
    """The whole list of employments a full-roster sync ends (or ended), as the user may see them: the
    uploader checks it before confirming. ID numbers masked, as on the page (logged)."""
    roster_import = _get(request.user, pk)
    header = [_("姓名"), _("公民身份号码"), _("入职日期"), _("职业"), _("离职日期")]

    def rows():
        for spell in spells_to_end(roster_import, request.user).iterator(chunk_size=EXPORT_BATCH):
            yield [spell.worker.name, spell.worker.id_number_masked, spell.start_date,
                   str(spell.occupation) if spell.occupation else "",
                   spell.last_day]

    response = export_response(fmt, f"import-{roster_import.pk}-leavers", header, rows())
    if response is None:
        raise Http404
    log_access(AccessEvent.EXPORT, request=request, target=f"import:{roster_import.pk}/leavers.{fmt}")
    return response
