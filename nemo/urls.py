from django.urls import path

from nemo import views

# No app namespace: the URL names predate this app and stay as they were.
urlpatterns = [
    path("nemo/overview/", views.sector_overview, name="nemo_overview"),
    path("nemo/overview.csv", views.sector_overview_file, name="nemo_overview_csv"),
    path(
        "nemo/overview.xlsx", views.sector_overview_file, {"file_format": "xlsx"}, name="nemo_overview_xlsx"
    ),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/sector.json", views.open_data_json, name="open_data_json"),
    path("open-data/sector.csv", views.open_data_csv, name="open_data_csv"),
]
