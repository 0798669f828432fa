"""Pages of the skills app, under /skills/."""

from django.urls import path

from workforce.skills.views import competitions, exports, rules, sessions, workers

app_name = "skills"
urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("bodies/", sessions.body_list, name="body_list"),
    path("bodies/<int:pk>/", sessions.body_detail, name="body_detail"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/advance/", sessions.session_advance, name="session_advance"),
    path("sessions/<int:pk>/register/", sessions.candidate_register, name="candidate_register"),
    path("sessions/<int:pk>/publish/", sessions.session_publish, name="session_publish"),
    path("sessions/<int:pk>/issue/", sessions.session_issue, name="session_issue"),
    path("sessions/<int:pk>/export.<str:fmt>", exports.candidates_export, name="candidates_export"),
    path("candidates/<int:pk>/scores/", sessions.candidate_scores, name="candidate_scores"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("me/", workers.my_skills, name="my_skills"),
    path("competitions/", competitions.competition_list, name="competition_list"),
    path("competitions/<int:pk>/", competitions.competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/results/", competitions.competition_results, name="competition_results"),
    path("entrants/<int:pk>/correct/", competitions.entrant_correct, name="entrant_correct"),
]
