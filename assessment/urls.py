from django.urls import path

from assessment.views import assessments, museums

app_name = "assessment"

urlpatterns = [
    path("museums/", museums.museum_list, name="museum_list"),
    path("museums/new/", museums.museum_create, name="museum_create"),
    path("museums/<int:museum_id>/", museums.museum_home, name="museum_home"),
    path("museums/<int:museum_id>/edit/", museums.museum_edit, name="museum_edit"),
    path("museums/<int:museum_id>/switch/", museums.museum_switch, name="museum_switch"),
    path("museums/<int:museum_id>/team/", museums.team, name="team"),
    path("museums/<int:museum_id>/team/invite/", museums.invitation_create, name="invitation_create"),
    path(
        "museums/<int:museum_id>/team/<int:membership_id>/role/",
        museums.membership_role,
        name="membership_role",
    ),
    path(
        "museums/<int:museum_id>/team/<int:membership_id>/remove/",
        museums.membership_remove,
        name="membership_remove",
    ),
    path(
        "museums/<int:museum_id>/invitations/<int:invitation_id>/withdraw/",
        museums.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", museums.invitation_accept, name="invitation_accept"),
    path("museums/<int:museum_id>/assessments/", assessments.assessment_list, name="assessment_list"),
    path("museums/<int:museum_id>/assessments/start/", assessments.assessment_start, name="assessment_start"),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/",
        assessments.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/areas/<int:number>/",
        assessments.assessment_area,
        name="area",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/questions/<int:question_id>/history/",
        assessments.answer_history,
        name="answer_history",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/targets/",
        assessments.assessment_targets,
        name="targets",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/results/",
        assessments.assessment_results,
        name="results",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/export/answers.csv",
        assessments.export_answers,
        name="export_answers",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/export/scores.csv",
        assessments.export_scores,
        name="export_scores",
    ),
    path(
        "museums/<int:museum_id>/assessments/<int:assessment_id>/submit/",
        assessments.assessment_submit,
        name="assessment_submit",
    ),
]
