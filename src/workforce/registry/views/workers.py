"""Worker pages: list, detail, create, edit, unmask, spells, certificates, membership, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from workforce.core.accesslog import log_access
from workforce.core.changelog import StaleRecordError
from workforce.core.choices import AccessEvent, Channel
from workforce.core.forms import add_service_errors, flash_form_result
from workforce.core.htmx import is_htmx, render_list
from workforce.core.paging import paginate
from workforce.registry import selectors, services
from workforce.registry.filters import WorkerFilter
from workforce.registry.forms import (
    CertificateForm,
    ContractForm,
    DuplicateFilterForm,
    EmploymentForm,
    EndEmploymentForm,
    EndMembershipForm,
    MembershipForm,
    MergeForm,
    WorkerForm,
)
from workforce.registry.models import Employer, Worker

PAGE = Channel.PAGE
DUPLICATES_PER_PAGE = 20
# Counting groups walks the index up to the last one counted: ten pages' worth, then "more than 200".
DUPLICATES_COUNT_CAP = 200
# Never put into the edit page; left blank, they keep the stored value (decisions 0003, 0009).
SENSITIVE_FIELDS = selectors.CIPHERTEXT_FIELDS + WorkerForm.KEPT_UNLESS_CHOSEN
WORKER_FIELDS = ["name", "id_number", "birth_date", "gender", "phone", "hukou_type", "education",
                 "political_status", "new_employment_group"]


def sealed_query(params) -> QueryDict:
    """The list's conditions ``params`` (the filter form's POST, or a URL's query) as the URL may carry them:
    the empty ones dropped and a search by ID or phone number sealed (``selectors.seal_search``; issue 13:
    URLs end up in access and proxy logs). The form sends a sealed search it was shown masked back as
    ``q_sealed``."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name not in ("csrfmiddlewaretoken", "q_sealed", "page", "employer_search"):  # the chooser's typing
            query.setlist(name, [value for value in values if value])
    search = query.get("q", "")
    if params.get("q_sealed") and "*" in search:
        query["q"] = params["q_sealed"]
    elif selectors.is_identifier_search(search):
        query["q"] = selectors.seal_search(search)
    return query


def redirect_sealed(request, params):
    return HttpResponseRedirect(f"{request.path}?{sealed_query(params).urlencode()}", status=303)


@login_required
@permission_required("registry.view_worker", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def worker_list(request):
    if request.method == "POST" and not is_htmx(request):
        return redirect_sealed(request, request.POST)  # the filter form, sent without htmx
    if request.method == "POST":
        request.GET = sealed_query(request.POST)  # the results for the conditions, at the URL pushed below
    elif selectors.is_identifier_search(request.GET.get("q", "")):
        return redirect_sealed(request, request.GET)  # a link from before searches were sealed
    queryset = Worker.objects.visible_to(request.user).active().select_related(
        *selectors.WORKER_SUMMARY_RELATED).defer(*selectors.NOT_IN_ROWS)
    filterset = WorkerFilter(request.GET, queryset=queryset, request=request)
    # Beyond the count cap a list of conditions gets an estimate of its total; a search asks for more letters.
    searching = bool(request.GET.get("q"))
    page = paginate(request, filterset.qs if filterset.is_valid() else queryset.none(), estimate=not searching)
    page.rows = selectors.with_summaries(request.user, page.rows)
    sealed = request.GET.get("q", "") if request.GET.get("q", "").startswith(selectors.SEALED_SEARCH_PREFIX) else ""
    if sealed:  # the search box shows the number masked; the form sends the sealed one back
        shown = filterset.form.data.copy()
        shown["q"] = selectors.masked_search(sealed)
        filterset.form.data = shown
    response = render_list(request, "registry/worker_list.html", "registry/_worker_rows.html",
                           {"filter": filterset, "page": page, "sealed_search": sealed,
                            "shows_memberships": selectors.shows_memberships(request.user)})
    if request.method == "POST":
        response["HX-Push-Url"] = f"{request.path}?{request.GET.urlencode()}"
    return response


@login_required
@permission_required("registry.view_worker", raise_exception=True)
def worker_detail(request, pk):
    worker = selectors.get_worker_for(request.user, pk)
    context = {"worker": worker, **selectors.worker_detail(request.user, worker)}
    # Three forms on one page: each gets its own id prefix, or both "occupation" selects would be id_occupation.
    if request.user.has_perm("registry.add_employmentspell"):
        context["employment_form"] = EmploymentForm(employers=Employer.objects.visible_to(request.user),
                                                    auto_id="id_employment_%s")
    context["certificate_form"] = CertificateForm(auto_id="id_certificate_%s")
    context["membership_form"] = MembershipForm(auto_id="id_membership_%s")
    return render(request, "registry/worker_detail.html", context)


@login_required
@permission_required("registry.unmask_worker", raise_exception=True)
@require_POST
@never_cache
def worker_unmask(request, pk):
    """Show the masked values once (decisions 0003, 0009), and write the unmasking to the access log."""
    worker = selectors.get_worker_for(request.user, pk)
    log_access(AccessEvent.UNMASK, request=request, target=f"worker:{worker.pk}", detail=worker.name)
    return render(request, "registry/_worker_unmasked.html",
                  {"worker": worker, "shows_memberships": selectors.shows_memberships(request.user),
                   **selectors.worker_unmasked(request.user, worker)})


def _employment_from(form) -> dict:
    data = dict(form.cleaned_data)
    data["contract_type"] = data.get("contract_type") or ""
    return data


@login_required
@permission_required("registry.add_worker", raise_exception=True)
def worker_create(request):
    employers = Employer.objects.visible_to(request.user).filter(is_active=True)
    form = WorkerForm(request.POST or None)
    employment_form = EmploymentForm(request.POST or None, employers=employers, prefix="employment",
                                     active_only=True)
    if request.method == "POST" and form.is_valid() and employment_form.is_valid():
        worker_data = {key: form.stored(key, form.cleaned_data[key]) for key in WORKER_FIELDS}
        try:
            worker, created = services.hire_worker(worker_data, _employment_from(employment_form),
                                                   acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(employment_form if set(getattr(error, "error_dict", {})) &
                               set(employment_form.fields) else form, error)
        else:
            for warning in worker.warnings:
                messages.warning(request, warning)
            messages.success(request, _("职工已登记。") if created else _("该职工已在登记库中，已新增本单位就业记录。"))
            return redirect(worker)
    return render(request, "registry/worker_form.html", {"form": form, "employment_form": employment_form})


@login_required
@permission_required("registry.change_worker", raise_exception=True)
def worker_edit(request, pk):
    worker = selectors.get_worker_for(request.user, pk)
    # The full ID number and phone, the hukou and the political status are never put into the page:
    # an empty field keeps the stored value.
    initial = {key: getattr(worker, key) for key in WORKER_FIELDS if key not in SENSITIVE_FIELDS}
    form = WorkerForm(request.POST or None, initial=initial | {"version": worker.version}, editing=True,
                      masked={"id_number": worker.id_number_masked, "phone": worker.phone_masked})
    if request.method == "POST" and form.is_valid():
        changes = {key: form.cleaned_data[key] for key in WORKER_FIELDS
                   if key not in SENSITIVE_FIELDS and form.cleaned_data[key] != initial[key]}
        changes |= {key: form.stored(key, form.cleaned_data[key]) for key in SENSITIVE_FIELDS if form.cleaned_data[key]}
        if form.cleaned_data.get("clear_phone"):
            changes["phone"] = ""
        if not changes.get("birth_date"):
            changes.pop("birth_date", None)
        if not changes.get("gender"):
            changes.pop("gender", None)
        try:
            services.update_worker(worker, changes, expected_version=form.cleaned_data["version"],
                                   acting_user=request.user, channel=PAGE,
                                   effective_on=form.cleaned_data.get("effective_on"))
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            for warning in worker.warnings:
                messages.warning(request, warning)
            messages.success(request, _("已保存。"))
            return redirect(worker)
    return render(request, "registry/worker_form.html", {"form": form, "worker": worker})


@login_required
@permission_required("registry.add_employmentspell", raise_exception=True)
@require_POST
def employment_add(request, pk):
    worker = selectors.get_worker_for(request.user, pk)
    form = EmploymentForm(request.POST, employers=Employer.objects.visible_to(request.user))
    if form.is_valid():
        try:
            services.add_employment(worker, _employment_from(form), acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("就业记录已新增。"))
    return redirect(worker)


@login_required
@permission_required("registry.change_employmentspell", raise_exception=True)
def employment_end(request, pk):
    spell = selectors.get_spell_for(request.user, pk)
    form = EndEmploymentForm(request.POST or None, initial={"version": spell.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_employment(spell, form.cleaned_data["end_date"],
                                    expected_version=form.cleaned_data["version"], acting_user=request.user,
                                    channel=PAGE)
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已办理离职。"))
            return redirect(spell.worker)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": _("办理离职：%(spell)s") % {"spell": spell}, "back": spell.worker})


@login_required
@permission_required("registry.change_employmentspell", raise_exception=True)
def contract_add(request, pk):
    """Add a labour contract to a spell in the user's scope: a renewal, a change to open-ended, its first."""
    spell = selectors.get_spell_for(request.user, pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contract(spell, form.cleaned_data, acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("劳动合同已新增。"))
            return redirect(spell.worker)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": _("新增劳动合同：%(spell)s") % {"spell": spell}, "back": spell.worker})


@login_required
@permission_required("registry.add_certificate", raise_exception=True)
@require_POST
def certificate_add(request, pk):
    worker = selectors.get_worker_for(request.user, pk)
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            services.add_certificate(worker, form.cleaned_data, acting_user=request.user, channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("证书已登记。"))
    return redirect(worker)


@login_required
@permission_required(selectors.ADD_MEMBERSHIP, raise_exception=True)
@require_POST
def membership_start(request, pk):
    worker = selectors.get_worker_for(request.user, pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.start_union_membership(worker, form.cleaned_data["valid_from"],
                                            employer=worker.summary.employer, acting_user=request.user,
                                            channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("入会信息已登记。"))
    return redirect(worker)


@login_required
@permission_required(selectors.CHANGE_MEMBERSHIP, raise_exception=True)
@require_POST
def membership_end(request, pk):
    # The page names the worker (the roll to read first); the membership is still looked for in the user's scope.
    membership = selectors.get_membership_for(request.user, pk, worker_id=request.POST.get("worker"))
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_union_membership(membership, form.cleaned_data["valid_to"], acting_user=request.user,
                                          channel=PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("会籍已结束。"))
    return redirect(membership.worker)


@login_required
@permission_required("registry.merge_worker", raise_exception=True)
def duplicates(request):
    if request.method == "POST":
        form = MergeForm(request.POST)
        if form.is_valid():
            survivor = selectors.get_worker_for(request.user, form.cleaned_data["survivor"])
            duplicate = selectors.get_worker_for(request.user, form.cleaned_data["duplicate"])
            try:
                services.merge_workers(survivor, duplicate, acting_user=request.user, channel=PAGE,
                                       note=form.cleaned_data["note"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("已将 %(dup)s 合并至 %(survivor)s。") % {"dup": duplicate,
                                                                                "survivor": survivor})
                return redirect(survivor)
        return redirect("registry:duplicates")
    form = DuplicateFilterForm(request.GET, user=request.user)
    conditions = form.cleaned_data if form.is_valid() else {}
    reason = conditions.get("reason") or "name_birth"
    district = conditions.get("district") or None
    # Paged by group, and read one page at a time (issue 15: all groups at once were 1.2 MB and seconds).
    page = paginate(request, selectors.duplicate_keys(request.user, reason, district), per_page=DUPLICATES_PER_PAGE,
                    cap=DUPLICATES_COUNT_CAP)
    page.rows = selectors.duplicate_groups(request.user, page.rows, district)
    return render(request, "registry/duplicates.html", {"form": form, "page": page, "reason": reason})
