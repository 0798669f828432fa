"""Bulk-loading helpers: the garbage collector's thresholds around bulk jobs, long lists of values in one parameter."""

from __future__ import annotations

import gc

import pytest
from django.db.models.expressions import RawSQL

from workforce.core.bulk import fewer_collections, one_parameter
from workforce.registry.models import EmploymentSpell, Worker


def test_collection_thresholds_come_back_after_the_last_of_nested_bulk_jobs():
    defaults = gc.get_threshold()

    with fewer_collections():
        with fewer_collections():
            relaxed = gc.get_threshold()
        assert gc.get_threshold() == relaxed
    assert relaxed[0] > defaults[0]
    assert gc.get_threshold() == defaults


def test_collection_thresholds_come_back_when_a_bulk_job_fails():
    defaults = gc.get_threshold()

    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("power cut")

    assert gc.get_threshold() == defaults


def test_a_long_list_of_values_sent_as_one_parameter_finds_the_same_rows(personas):
    names = [f"无此人{number}" for number in range(300)] + ["张三"]
    name = Worker._meta.get_field("name")

    sent = one_parameter(name, names)

    assert isinstance(sent, RawSQL)
    found = Worker.objects.filter(name__in=sent).values_list("pk", flat=True)
    assert list(found) == [personas.steel_worker.pk]
    keys = one_parameter(EmploymentSpell._meta.get_field("worker"), [personas.steel_worker.pk, *range(-200, 0)])
    assert EmploymentSpell.objects.filter(worker_id__in=keys).count() == 1


def test_a_short_list_of_values_is_left_to_the_orm():
    assert one_parameter(Worker._meta.get_field("name"), ("张三", "李四")) == ["张三", "李四"]
    assert one_parameter(Worker._meta.get_field("name"), set()) == []


@pytest.mark.django_db
def test_a_sealed_column_left_out_is_sealed_row_by_row_never_one_token_for_all():
    """Issue 15: a blank political status is sealed (``seal_blank``); rows that leave it out must not share one
    token, which would tell them apart in a dump."""
    from django.db import connection

    from workforce.core.bulk import TableWriter
    from workforce.core.encryption import decrypt

    rows = [{"id": pk, "id_number": f"x{pk}", "id_number_hash": f"h{pk}", "id_number_masked": "m",
             "division_code": "510402", "birth_date": "1990-01-01", "gender": "M", "name": f"工人{pk}",
             "hukou_type": "urban"} for pk in (901, 902)]
    TableWriter(Worker, with_id=True).write(rows)

    with connection.cursor() as cursor:
        cursor.execute("SELECT political_status FROM registry_worker WHERE id IN (901, 902)")
        tokens = [row[0] for row in cursor.fetchall()]
    assert len(set(tokens)) == 2 and [decrypt(token) for token in tokens] == ["", ""]
