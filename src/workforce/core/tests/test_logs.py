"""A refused page is one line in the server log, and the browser's icon is found (issue 15 point 16)."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from django.conf import settings


@pytest.fixture
def server_log():
    """The platform's logging as configured, writing to a buffer instead of stderr."""
    logging.config.dictConfig(settings.LOGGING)
    buffer = io.StringIO()
    handler = logging.getLogger().handlers[0]
    stream = handler.setStream(buffer)
    yield buffer
    handler.setStream(stream)


def test_a_403_is_logged_once_without_a_traceback(personas, sign_in, server_log):
    client = sign_in(personas.worker_user)

    response = client.get("/users/")

    assert response.status_code == 403
    lines = server_log.getvalue().splitlines()
    assert lines == ["Forbidden (Permission denied): /users/"]


def test_a_500_keeps_its_traceback(server_log):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=True,
                                                  extra={"status_code": 500})

    assert "Traceback" in server_log.getvalue()
    assert server_log.getvalue().count("Internal Server Error: /x/") == 1


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    assert (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
