from django.urls import path

from workforce.accounts import security_views, user_views

app_name = "users"
urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("new/", user_views.user_create, name="create"),
    path("<int:pk>/edit/", user_views.user_edit, name="edit"),
    path("<int:pk>/unlock/", security_views.user_unlock, name="unlock"),
    path("<int:pk>/enrolment-code/", security_views.user_enrolment_code, name="enrolment_code"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", security_views.user_token_revoke, name="token_revoke"),
    path("<int:pk>/tokens/revoke-all/", security_views.user_tokens_revoke_all, name="tokens_revoke_all"),
]
