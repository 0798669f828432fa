"""Worker and employer exports: the user's scope and filters, IDs masked and hukou left out unless
unmasking is allowed and asked for (then logged; decisions 0003, 0009)."""

from __future__ import annotations

from itertools import islice

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.utils.translation import gettext as _

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent
from workforce.core.exports import EXPORT_BATCH, export_response
from workforce.registry import selectors
from workforce.registry.choices import HukouType
from workforce.registry.filters import EmployerFilter, WorkerFilter
from workforce.registry.models import Employer, Worker
from workforce.registry.services.facts import migrants_among
from workforce.registry.views.workers import redirect_sealed


@login_required
@permission_required("registry.export_worker", raise_exception=True)
def worker_export(request, fmt):
    if selectors.is_identifier_search(request.GET.get("q", "")):
        return redirect_sealed(request, request.GET)  # issue 13: no ID or phone number in a URL
    queryset = Worker.objects.visible_to(request.user).active().select_related(
        *selectors.WORKER_SUMMARY_RELATED)
    filterset = WorkerFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise Http404
    unmasked = request.GET.get("unmasked") == "1" and selectors.may_unmask(request.user)
    # Decision 0009: union membership only for those shown it (or unmasking), hukou only unmasked.
    with_membership = unmasked or selectors.shows_memberships(request.user)
    header = [_("姓名"), _("公民身份号码"), _("性别"), _("出生日期"), _("手机号码"), _("区县"), _("当前单位"),
              _("当前职业"), _("最高技能等级"), _("已签劳动合同")]
    header += [_("工会会员")] if with_membership else []
    header += [_("户口性质"), _("农民工")] if unmasked else []

    def rows():
        workers = filterset.qs.order_by("id").iterator(chunk_size=EXPORT_BATCH)
        while batch := selectors.with_summaries(request.user, islice(workers, EXPORT_BATCH)):
            # Not stored (decision 0009): the migrant flag of the batch's rural workers, in one query.
            migrants = migrants_among([worker.pk for worker in batch if worker.hukou_type == HukouType.RURAL],
                                      at_employer=selectors.own_employer_of(request.user)) if unmasked else set()
            for worker in batch:
                row = [
                    worker.name, worker.id_number if unmasked else worker.id_number_masked,
                    worker.get_gender_display(), worker.birth_date,
                    worker.phone if unmasked else worker.phone_masked,
                    worker.summary.district.name if worker.summary.district else "",
                    worker.summary.employer.name if worker.summary.employer else "",
                    str(worker.summary.occupation or ""), worker.current_skill_level or "",
                    worker.summary.has_signed_contract,
                ]
                row += [worker.union_member_shown] if with_membership else []
                row += [worker.get_hukou_type_display(), worker.pk in migrants] if unmasked else []
                yield row

    response = export_response(fmt, "workers", header, rows())
    if response is None:
        raise Http404
    logged_query = request.GET.copy()
    if "q" in logged_query:
        logged_query["q"] = selectors.masked_search(logged_query["q"])
    log_access(AccessEvent.EXPORT, request=request, target=f"workers.{fmt}",
               detail=f"{'unmasked ' if unmasked else ''}{logged_query.urlencode()}"[:500])
    if unmasked:
        log_access(AccessEvent.UNMASK, request=request, target=f"workers.{fmt}",
                   detail=_("导出完整身份证号、手机号和户口性质"))
    return response


@login_required
@permission_required("registry.export_employer", raise_exception=True)
def employer_export(request, fmt):
    queryset = Employer.objects.visible_to(request.user).select_related("district", "industry")
    filterset = EmployerFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise Http404
    header = [_("统一社会信用代码"), _("单位名称"), _("区县"), _("行业"), _("经济类型"), _("法人类型"),
              _("规模以上"), _("在册职工数")]

    def rows():
        for employer in filterset.qs.order_by("id").iterator(chunk_size=EXPORT_BATCH):
            yield [employer.uscc, employer.name, employer.district.name, str(employer.industry),
                   employer.get_ownership_display(), employer.get_legal_person_kind_display(),
                   employer.is_above_scale, employer.headcount]

    response = export_response(fmt, "employers", header, rows())
    if response is None:
        raise Http404
    log_access(AccessEvent.EXPORT, request=request, target=f"employers.{fmt}", detail=request.GET.urlencode()[:500])
    return response
