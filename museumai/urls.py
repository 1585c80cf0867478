from django.contrib import admin
from django.urls import include, path

from assessment.views import accounts, museums

admin.site.site_header = "museumai – NEMO administration"
admin.site.site_title = "museumai admin"

urlpatterns = [
    path("", museums.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("framework/", include("recommendations.urls")),
    path("", include("assessment.urls")),
]
