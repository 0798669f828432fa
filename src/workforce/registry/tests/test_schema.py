"""The registry's indexes as the bulk paths expect them (decision 0008)."""

import importlib

import pytest
from django.db import connection

PATTERN_INDEXED = importlib.import_module("workforce.registry.migrations.0005_drop_pattern_indexes").PATTERN_INDEXED


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "column"), PATTERN_INDEXED)
def test_hash_and_code_columns_keep_a_plain_index_and_no_pattern_index(table, column):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table)
        leading = [name for name, index in indexes.items()
                   if (index["index"] or index["unique"]) and index["columns"][:1] == [column]]
        assert leading, f"{table}.{column} lost its index"
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                           [table, f"%({column} varchar_pattern_ops)%"])
            assert cursor.fetchall() == []
