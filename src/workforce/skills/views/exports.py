"""The candidate list of a session as .xlsx or .csv: the user's scope only, ID numbers masked, logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.utils.translation import gettext as _

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent
from workforce.core.exports import export_response
from workforce.skills import selectors


@login_required
@permission_required("skills.export_candidate", raise_exception=True)
def candidates_export(request, pk, fmt):
    session = selectors.get_session_for(request.user, pk)
    header = [_("姓名"), _("公民身份号码"), _("报名渠道"), _("申报依据"), _("适用规则"), _("理论知识"), _("操作技能"),
              _("综合评审（答辩）"), _("结果"), _("证书编号")]

    def rows():
        for candidate in selectors.candidates_of(request.user, session).iterator(chunk_size=500):
            yield [candidate.worker.name, candidate.worker.id_number_masked, candidate.get_route_display(),
                   candidate.get_ground_display(), str(candidate.rule), candidate.theory_score,
                   candidate.practical_score, candidate.defence_score, candidate.get_outcome_display(),
                   candidate.certificate.number if candidate.certificate else ""]

    response = export_response(fmt, f"appraisal-candidates-{session.pk}", header,
                               ([float(cell) if hasattr(cell, "as_tuple") else cell for cell in row] for row in rows()))
    if response is None:
        raise Http404
    log_access(AccessEvent.EXPORT, request=request, target=f"appraisal-candidates.{fmt}",
               detail=f"session:{session.pk}")
    return response
