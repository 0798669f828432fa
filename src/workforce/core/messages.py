"""Messages stored now and shown later: Chinese as stored, in the reader's language as shown (issue 15
point 4). The importer stores its problems this way; the identifier validators raise them.

A check runs in a background job, long before anyone reads its problems, and people read them in
Chinese or English. So a message is kept as what it was made from: a catalogue msgid (the Chinese
source text, marked with ``gettext_noop``) and its parameters. :class:`Message` is that pair, and is
also the Chinese text itself (a ``str``), which is what ``ImportProblem.message`` and
``RosterImport.message`` store, what logs print and what the tests compare; ``message_source`` beside
it stores the pair (:meth:`Message.source`), and :func:`render` shows it in the active language.
Rows stored before the source existed have only the Chinese text: :func:`render_stored` translates
those that are a catalogue msgid as they stand (the messages without parameters) and shows the others
as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext

Source = dict[str, Any]  # {"msgid": str, "params": {name: value or a nested Source}}


class Message(str):
    """A Chinese message that remembers its msgid and parameters. Parameters are numbers, text (a cell's
    value, a header) or other messages (a fragment such as "（文本第 3 行）", translated with it)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        message = super().__new__(cls, msgid % params if params else msgid)
        message.msgid, message.params = msgid, params
        return message

    def __mod__(self, params: dict[str, Any]) -> Message:
        """``message % {...}`` keeps the parameters (as gettext's ``_("…") % {...}`` is written)."""
        if self.params:
            raise TypeError("a message with parameters is formatted already")
        return Message(self.msgid, **params)

    # Pickled by huey and caches as what it is made from.
    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]:
        return _rebuild, (self.msgid, self.params)

    def source(self) -> Source:
        """The msgid and parameters as JSON, nested messages as their own sources."""
        return {"msgid": self.msgid,
                "params": {name: value.source() if isinstance(value, Message) else value
                           for name, value in self.params.items()}}

    def masked(self, mask: Callable[[str], str]) -> Message:
        """The same message with ``mask`` applied to every text parameter (nested ones too): a message may
        quote a cell, and what it quotes is stored as the cell's value is (``imports.masking``)."""
        return Message(self.msgid, **{name: masked_text(value, mask) for name, value in self.params.items()})


def deferred(msgid: str) -> Message:
    """The ``_`` of the modules whose messages are stored and shown later (``from … import deferred as
    _``): ``_("…")`` marks the msgid for the catalogue as gettext's does, and ``_("…") % {...}`` gives a
    :class:`Message`, translated when it is shown rather than in the job that made it."""
    return Message(msgid)


def _rebuild(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


def masked_text(value: Any, mask: Callable[[str], str]) -> Any:
    """``value`` with ``mask`` applied: a message's parameters, or plain text; numbers as they are."""
    if isinstance(value, Message):
        return value.masked(mask)
    if isinstance(value, str):
        return mask(value)
    return value


def source_of(message: str) -> Source | None:
    """What to store beside a message's Chinese text: its source, or None for plain text (a message not
    made as a :class:`Message`, e.g. a validator's)."""
    return message.source() if isinstance(message, Message) else None


def render(source: Source) -> str:
    """A stored message in the active language. A translation whose placeholders do not fit (the
    catalogue check forbids it) falls back to the Chinese text rather than failing the page."""
    params = {name: render(value) if isinstance(value, dict) else value
              for name, value in (source.get("params") or {}).items()}
    translated: str = gettext(source["msgid"])
    if not params:
        return translated
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        return str(source["msgid"]) % params


def shown(message: str) -> str:
    """A message about to be shown at once (a request's refusal): in the active language."""
    return render(message.source()) if isinstance(message, Message) else message


def render_stored(text: str, source: Source | None) -> str:
    """A stored message as shown: from its source when it has one, else the Chinese text translated if
    the catalogue has it as it stands (older rows), else as written."""
    return render(source) if source else gettext(text) if text else text
