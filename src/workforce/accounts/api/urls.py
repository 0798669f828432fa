"""API sign-in and tokens, under ``/api/auth/``."""

from django.urls import path

from workforce.accounts.api.views import ApiTokenDetail, ApiTokenList, ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="api_token"),
    path("tokens/", ApiTokenList.as_view(), name="api_tokens"),
    path("tokens/<int:pk>/", ApiTokenDetail.as_view(), name="api_token_detail"),
]
