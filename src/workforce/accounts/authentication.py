"""API token authentication against the platform's own tokens (decision 0010)."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from workforce.accounts.services import AuthenticationRefused, authenticate_token


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` as DRF's token authentication reads it, checked by
    :func:`~workforce.accounts.services.authenticate_token` (hashed at rest, expiry, revocation, TOTP for
    staff); the user's role comes in the same query, because it decides every request's scope."""

    def authenticate_credentials(self, key):
        try:
            token = authenticate_token(key)
        except AuthenticationRefused as refused:
            raise exceptions.AuthenticationFailed(refused.message) from None
        return token.user, token
