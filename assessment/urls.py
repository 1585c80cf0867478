from django.urls import path, register_converter

from assessment.views import assessments, museums
from museumai.converters import IdConverter

register_converter(IdConverter, "id")

app_name = "assessment"

urlpatterns = [
    path("museums/", museums.museum_list, name="museum_list"),
    path("museums/new/", museums.museum_create, name="museum_create"),
    path("museums/<id:museum_id>/", museums.museum_home, name="museum_home"),
    path("museums/<id:museum_id>/edit/", museums.museum_edit, name="museum_edit"),
    path("museums/<id:museum_id>/switch/", museums.museum_switch, name="museum_switch"),
    path("museums/<id:museum_id>/team/", museums.team, name="team"),
    path("museums/<id:museum_id>/team/invite/", museums.invitation_create, name="invitation_create"),
    path(
        "museums/<id:museum_id>/team/<id:membership_id>/role/",
        museums.membership_role,
        name="membership_role",
    ),
    path(
        "museums/<id:museum_id>/team/<id:membership_id>/remove/",
        museums.membership_remove,
        name="membership_remove",
    ),
    path(
        "museums/<id:museum_id>/invitations/<id:invitation_id>/withdraw/",
        museums.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", museums.invitation_accept, name="invitation_accept"),
    path("museums/<id:museum_id>/assessments/", assessments.assessment_list, name="assessment_list"),
    path("museums/<id:museum_id>/assessments/start/", assessments.assessment_start, name="assessment_start"),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/",
        assessments.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/areas/<id:number>/",
        assessments.assessment_area,
        name="area",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/questions/<id:question_id>/history/",
        assessments.answer_history,
        name="answer_history",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/targets/",
        assessments.assessment_targets,
        name="targets",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/results/",
        assessments.assessment_results,
        name="results",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/export/answers.csv",
        assessments.export_answers,
        name="export_answers",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/export/scores.csv",
        assessments.export_scores,
        name="export_scores",
    ),
    path(
        "museums/<id:museum_id>/assessments/<id:assessment_id>/submit/",
        assessments.assessment_submit,
        name="assessment_submit",
    ),
]
