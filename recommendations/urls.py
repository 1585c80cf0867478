from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.framework_detail, name="framework"),
    path("export.json", views.framework_export, name="export"),
]
