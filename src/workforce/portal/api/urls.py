"""The portal's API under ``/api/portal/``."""

from django.urls import path

from workforce.portal.api.views import CodeRequestView, PasswordResetView, SignUpView

urlpatterns = [
    path("codes/", CodeRequestView.as_view(), name="api_portal_code"),
    path("sign-up/", SignUpView.as_view(), name="api_portal_sign_up"),
    path("password-reset/", PasswordResetView.as_view(), name="api_portal_reset"),
]
