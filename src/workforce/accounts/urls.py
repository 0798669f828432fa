from django.urls import path

from workforce.accounts import security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in_view, name="login"),
    path("logout/", views.sign_out_view, name="logout"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("two-factor/enrol/", views.enrol_view, name="enrol"),
    path("tokens/", security_views.my_tokens, name="tokens"),
    path("tokens/<int:token_pk>/revoke/", security_views.my_token_revoke, name="token_revoke"),
]
