from django.contrib import admin
from django.urls import include, path

from assessment.views import accounts, museums, nemo

admin.site.site_header = "museumai – NEMO administration"
admin.site.site_title = "museumai admin"

urlpatterns = [
    path("", museums.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("nemo/overview/", nemo.sector_overview, name="nemo_overview"),
    path("nemo/overview.csv", nemo.sector_overview_csv, name="nemo_overview_csv"),
    path("framework/", include("recommendations.urls")),
    path("", include("assessment.urls")),
]
