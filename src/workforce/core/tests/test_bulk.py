"""Bulk-loading helpers: the garbage collector's thresholds around bulk jobs."""

from __future__ import annotations

import gc

import pytest

from workforce.core.bulk import fewer_collections


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
