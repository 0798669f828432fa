"""Serializers of the API's sign-in and token endpoints (decision 0010)."""

from rest_framework import serializers

from workforce.accounts.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text="6-digit TOTP code, for staff roles")
    name = serializers.CharField(required=False, max_length=100, allow_blank=True,
                                 help_text="what the token is for, shown in the token list")


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "user", "username", "name", "prefix", "created_at", "expires_at", "last_used_at",
                  "is_two_factor_verified", "is_active", "revoked_at", "revoke_reason"]
        read_only_fields = fields
