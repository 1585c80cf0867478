from django.urls import URLPattern, URLResolver, include, path, register_converter

from assessment.views import assessments, museums, plan, register, report
from museumai.converters import IdConverter

register_converter(IdConverter, "id")

app_name = "assessment"

# Everything of one assessment, under museums/<museum_id>/assessments/<assessment_id>/.
assessment_urls: list[URLPattern | URLResolver] = [
    path("", assessments.assessment_detail, name="assessment_detail"),
    path("areas/<id:number>/", assessments.assessment_area, name="area"),
    path("questions/<id:question_id>/history/", assessments.answer_history, name="answer_history"),
    path("targets/", assessments.assessment_targets, name="targets"),
    path("results/", assessments.assessment_results, name="results"),
    path("results/report.pdf", report.assessment_report, name="report"),
    path("export/answers.csv", assessments.export_answers, name="export_answers"),
    path("export/scores.csv", assessments.export_scores, name="export_scores"),
    # The same rows as XLSX, for people who open them in a spreadsheet.
    path(
        "export/answers.xlsx",
        assessments.export_answers,
        {"file_format": "xlsx"},
        name="export_answers_xlsx",
    ),
    path("export/scores.xlsx", assessments.export_scores, {"file_format": "xlsx"}, name="export_scores_xlsx"),
    path("submit/", assessments.assessment_submit, name="assessment_submit"),
    path("discard/", assessments.assessment_discard, name="assessment_discard"),
    path("copy-previous/", assessments.assessment_copy_previous, name="assessment_copy_previous"),
    path("ai-use/", assessments.assessment_ai_use, name="assessment_ai_use"),
]

# Everything of one museum, under museums/<museum_id>/.
museum_urls: list[URLPattern | URLResolver] = [
    path("", museums.museum_home, name="museum_home"),
    path("edit/", museums.museum_edit, name="museum_edit"),
    path("delete/", museums.museum_delete, name="museum_delete"),
    path("switch/", museums.museum_switch, name="museum_switch"),
    path("team/", museums.team, name="team"),
    path("team/invite/", museums.invitation_create, name="invitation_create"),
    path("team/<id:membership_id>/role/", museums.membership_role, name="membership_role"),
    path("team/<id:membership_id>/remove/", museums.membership_remove, name="membership_remove"),
    path("invitations/<id:invitation_id>/withdraw/", museums.invitation_withdraw, name="invitation_withdraw"),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    # The museum's action plan: one living plan, carried across assessments.
    path("plan/", plan.plan_page, name="plan"),
    path("plan/new/", plan.action_create, name="action_create"),
    path("plan/<id:action_id>/", plan.action_edit, name="action_edit"),
    path("plan/export.csv", plan.plan_export, name="plan_export"),
    path("plan/export.xlsx", plan.plan_export, {"file_format": "xlsx"}, name="plan_export_xlsx"),
    path("plan/calendar.ics", plan.plan_calendar, name="plan_calendar"),
    # The museum's AI register: its systems, each with its triage and duties.
    path("register/", register.register_page, name="register"),
    path("register/new/", register.system_create, name="system_create"),
    path("register/export.csv", register.register_export, name="register_export"),
    path(
        "register/export.xlsx", register.register_export, {"file_format": "xlsx"}, name="register_export_xlsx"
    ),
    path("register/<id:system_id>/", register.system_page, name="system"),
    path("register/<id:system_id>/edit/", register.system_edit, name="system_edit"),
    path("register/<id:system_id>/triage/", register.system_triage, name="system_triage"),
    path("register/<id:system_id>/delete/", register.system_delete, name="system_delete"),
    path("register/<id:system_id>/duties/<slug:duty>/", register.duty_edit, name="duty_edit"),
    path("assessments/start/", assessments.assessment_start, name="assessment_start"),
    path("assessments/<id:assessment_id>/", include(assessment_urls)),
]

urlpatterns = [
    path("museums/", museums.museum_list, name="museum_list"),
    path("museums/new/", museums.museum_create, name="museum_create"),
    path("museums/<id:museum_id>/", include(museum_urls)),
    path("invitations/<str:token>/", museums.invitation_accept, name="invitation_accept"),
]
