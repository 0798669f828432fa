"""Reference-data pages: browse and (city administrator) edit names and validity, with history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.forms import add_service_errors, search_text
from workforce.core.paging import paginate
from workforce.reference.forms import ReferenceRecordForm
from workforce.reference.models import Division, Industry, Occupation
from workforce.reference.services import update_reference_record

# Reference tables are public facts: every signed-in user may read them; editing needs the permission.
TABLES = {
    "occupations": (Occupation, gettext_lazy("职业分类")),
    "industries": (Industry, gettext_lazy("国民经济行业分类")),
    "divisions": (Division, gettext_lazy("行政区划")),
}


def _table(name: str):
    if name not in TABLES:
        raise Http404
    return TABLES[name]


@login_required
def reference_list(request, table):
    model, title = _table(table)
    rows = model.objects.all()
    query = search_text(request)
    if query:
        rows = rows.filter(code__startswith=query) | rows.filter(name__contains=query)
    return render(request, "reference/reference_list.html", {
        "table": table, "title": title, "tables": TABLES, "page": paginate(request, rows.order_by("code")),
        "query": query, "can_edit": request.user.has_perm(f"reference.change_{model._meta.model_name}"),
    })


@login_required
def reference_edit(request, table, code):
    model, title = _table(table)
    if not request.user.has_perm(f"reference.change_{model._meta.model_name}"):
        raise PermissionDenied
    record = get_object_or_404(model, pk=code)
    has_active = hasattr(record, "is_active")
    initial = {"name": record.name, "is_active": getattr(record, "is_active", True), "version": record.version}
    form = ReferenceRecordForm(request.POST or None, initial=initial)
    if not has_active:
        del form.fields["is_active"]
    if request.method == "POST" and form.is_valid():
        changes = {"name": form.cleaned_data["name"]}
        if has_active:
            changes["is_active"] = form.cleaned_data["is_active"]
        try:
            update_reference_record(record, changes, expected_version=form.cleaned_data["version"],
                                    acting_user=request.user)
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("reference:list", table=table)
    return render(request, "reference/reference_edit.html", {
        "table": table, "title": title, "record": record, "form": form, "history": history_for(record)[:100],
    })
