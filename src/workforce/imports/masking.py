"""Problem values as the registry shows them: an import keeps, shows and exports the value of a bad
cell only masked (decision 0011). The row and the column header say which cell it is; the masked
value (``510402********1234``, ``139****5678``) lets the uploader recognise it, and the marked
problem report (the uploader's own sheet, sealed at rest) has it in full."""

from __future__ import annotations

import re

from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.core.messages import Message
from workforce.imports.columns import COLUMNS_BY_KEY

MASKED_KINDS = {"id_number": mask_id_number, "phone": mask_phone}
MASKED_FROM_DIGITS = 7  # fewer digits (a division code, a formula's text) identify no one: shown as written
# In any other column: what could be an ID number (15 or more digits, maybe ending in X) or a mobile.
_LOOSE_NUMBERS = re.compile(r"\d{14,}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)")


def _mask_loose(match: re.Match) -> str:
    text = match.group()
    return mask_phone(text) if len(text) == 11 else mask_id_number(text)


def masked_problem_value(key: str | None, value: str) -> str:
    """The value of a bad cell of column ``key`` (the importer's column key, None for an unknown one) as
    it may be stored: masked like the registry masks it in the ID number and phone columns (``mask_*``
    keep only their ends) once it holds 7 digits or more, and every number that looks like an ID or
    mobile number masked in any other column."""
    if not value:
        return value
    column = COLUMNS_BY_KEY.get(key or "")
    mask = MASKED_KINDS.get(column.kind) if column is not None else None
    if mask is not None and sum(character.isdigit() for character in value) >= MASKED_FROM_DIGITS:
        return mask(value.strip())
    return _LOOSE_NUMBERS.sub(_mask_loose, value)


def masked_message(message: str) -> str:
    """A problem message as it may be stored: what it quotes from the file (a field too many, an unclosed
    quote) masked like a value of an unknown column; a :class:`Message` stays one (its parameters
    masked), so it can still be shown translated."""
    if isinstance(message, Message):
        return message.masked(lambda text: masked_problem_value(None, text))
    return masked_problem_value(None, message)
