"""The union tree, an organisation's page, its members (scoped, logged) and their export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent
from workforce.core.exports import export_response
from workforce.unions import selectors
from workforce.unions.forms import MemberFilterForm
from workforce.unions.models import Organisation


@login_required
@permission_required("unions.view_organisation", raise_exception=True)
def organisation_tree(request):
    """The whole tree (public names and levels), the user's own post marked; member counts are not shown
    here (they are read on an organisation's page, within scope)."""
    organisations = Organisation.objects.visible_to(request.user).select_related("district")
    in_scope = set(selectors.organisations_in_scope(request.user).values_list("pk", flat=True))
    covered = selectors.coverage_counts(timezone.localdate())
    return render(request, "unions/tree.html", {
        "rows": [(organisation, "\u3000" * level + ("└ " if level else ""), covered.get(organisation.pk, 0))
                 for organisation, level in selectors.tree(organisations)],
        "in_scope": in_scope,
        "pending": selectors.pending_count(request.user),
    })


@login_required
@permission_required("unions.view_organisation", raise_exception=True)
def organisation_detail(request, pk):
    """An organisation: its place in the tree, the organisations under it, the employers it covers, and for
    those in scope the number of members and pending applications below it."""
    organisation = selectors.get_organisation_for(request.user, pk)
    on = timezone.localdate()
    may_see_members = (request.user.has_perm("unions.view_members")
                       and selectors.in_scope(request.user, pk))
    subtree = selectors.subtree(organisation)
    return render(request, "unions/organisation_detail.html", {
        "organisation": organisation, "on": on,
        "ancestors": Organisation.objects.visible_to(request.user).filter(pk__in=organisation.ancestor_ids),
        "children": organisation.children.order_by("name"),
        "coverages": organisation.coverages.on(on).select_related("employer").order_by("employer__name"),
        "may_see_members": may_see_members,
        "member_count": len(selectors.members_in(subtree, on)) if may_see_members else None,
    })


def _members(request, pk):
    organisation = selectors.get_organisation_in_scope(request.user, pk)
    subtree = selectors.subtree(organisation)
    form = MemberFilterForm(request.GET or None, organisations=subtree.base())
    chosen = form.cleaned_data.get("organisation") if form.is_valid() else None
    members = selectors.members_in(selectors.subtree(chosen) if chosen else subtree)
    return organisation, form, members


def _rows(user, members):
    names = dict(Organisation.objects.visible_to(user).filter(
        pk__in={member.organisation_id for member in members}).values_list("pk", "name"))
    workers = selectors.workers_of(members, "current_employer")
    return [(workers[member.worker_id], names[member.organisation_id], member) for member in members
            if member.worker_id in workers]


@login_required
@permission_required("unions.view_members", raise_exception=True)
def member_list(request, pk):
    """The members of an organisation and those below it (never sideways or up). Listing members reveals
    membership, so each look writes an UNMASK row to the access log, as the registry's unmasking does."""
    organisation, form, members = _members(request, pk)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    log_access(AccessEvent.UNMASK, request=request, target=f"unions.organisation:{organisation.pk}:members",
               detail=f"page={page.number} {request.GET.urlencode()}"[:500])
    return render(request, "unions/member_list.html", {
        "organisation": organisation, "form": form, "page": page, "rows": _rows(request.user, list(page.object_list)),
        "total": len(members), "query": request.GET.urlencode(),
        "may_export": request.user.has_perm("unions.export_members"),
    })


@login_required
@permission_required("unions.export_members", raise_exception=True)
def member_export(request, pk, fmt):
    """The scoped member list as CSV or XLSX (masked ID numbers); an EXPORT and an UNMASK row are logged."""
    organisation, _form, members = _members(request, pk)
    header = [_("姓名"), _("公民身份号码"), _("性别"), _("所在单位"), _("基层工会"), _("入会日期")]
    rows = [[worker.name, worker.id_number_masked, worker.get_gender_display(),
             worker.current_employer.name if worker.current_employer else "", name, member.valid_from]
            for worker, name, member in _rows(request.user, members)]
    response = export_response(fmt, "union-members", header, rows)
    if response is None:
        raise Http404
    target = f"unions.organisation:{organisation.pk}:members"
    log_access(AccessEvent.EXPORT, request=request, target=target, detail=f"{fmt} {request.GET.urlencode()}"[:500])
    log_access(AccessEvent.UNMASK, request=request, target=target, detail=f"export {len(rows)}")
    return response
