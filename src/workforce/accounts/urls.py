"""The pages of accounts: signing in (namespace ``accounts``, under ``/accounts/``) and the user
administration (namespace ``users``, under ``/users/``, ``user_urlpatterns``)."""

from django.urls import path

from workforce.accounts.views import security, sign_in, users

app_name = "accounts"
urlpatterns = [
    path("login/", sign_in.sign_in_view, name="login"),
    path("logout/", sign_in.sign_out_view, name="logout"),
    path("two-factor/", sign_in.two_factor_view, name="two_factor"),
    path("two-factor/enrol/", sign_in.enrol_view, name="enrol"),
    path("tokens/", security.my_tokens, name="tokens"),
    path("tokens/<int:token_pk>/revoke/", security.my_token_revoke, name="token_revoke"),
]

# Included by the project's urls.py as ``include((user_urlpatterns, "users"))`` under /users/.
user_urlpatterns = [
    path("", users.user_list, name="list"),
    path("new/", users.user_create, name="create"),
    path("<int:pk>/edit/", users.user_edit, name="edit"),
    path("<int:pk>/unlock/", security.user_unlock, name="unlock"),
    path("<int:pk>/enrolment-code/", security.user_enrolment_code, name="enrolment_code"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", security.user_token_revoke, name="token_revoke"),
    path("<int:pk>/tokens/revoke-all/", security.user_tokens_revoke_all, name="tokens_revoke_all"),
]
