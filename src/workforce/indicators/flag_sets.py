"""The registry's list filters on masked attributes answered from the indicators' columns (decision 0009):
the columns already hold every worker's hukou flag decrypted, kept current after each change by the cost of
the change (decision 0006), so a filtered list needs no decryption. Registered in ``IndicatorsConfig.ready``
with ``registry.flag_sources``; the registry never imports this module."""

from __future__ import annotations

import datetime

import numpy as np

from workforce.indicators.engine import RegistryColumns


class ColumnFlagSets:
    """``registry.flag_sources.WorkerFlagSets`` read from one ``RegistryColumns`` (one stamp throughout)."""

    def __init__(self, columns: RegistryColumns):
        self.columns = columns

    def rural_hukou(self) -> list[int]:
        # The record's own hukou (``Worker.hukou_type``), which the filter asks about, not the dated facts.
        return np.flatnonzero(self.columns.is_rural_default).tolist()

    def migrants(self, on: datetime.date) -> list[int]:
        # As ``registry.services.facts.migrants_among``: the record's hukou, the spells covering the day
        # and each employer's industry today (the spell arrays hold active workers' spells only; a merged
        # record has none left, its spells moved to the survivor).
        c = self.columns
        day = on.toordinal()
        covering = (c.spell_start <= day) & (c.spell_end >= day) & c.employer_is_non_farm[c.spell_employer]
        working = np.zeros(c.worker_count, dtype=bool)
        working[c.spell_worker[covering]] = True
        return np.flatnonzero(working & c.is_rural_default).tolist()

    def union_members(self, on: datetime.date) -> list[int]:
        # The members' periods as the rolls hold them (every worker's, merged records' included: their
        # periods moved to the survivor).
        c = self.columns
        day = on.toordinal()
        covering = (c.member_start <= day) & (c.member_end >= day)
        return np.unique(c.member_worker[covering]).tolist()


def flag_sets_now() -> ColumnFlagSets | None:
    """The provider registered with the registry: None unless the columns can be had without a whole load."""
    from workforce.indicators.storage import columns_without_whole_load

    columns = columns_without_whole_load()
    return ColumnFlagSets(columns) if columns is not None else None
