from django.contrib import admin
from django.urls import include, path

from assessment.views import museums

admin.site.site_header = "museumai – NEMO administration"
admin.site.site_title = "museumai admin"

# A busy database fails outside a view too (e.g. saving the session): the same "try again" page.
handler500 = "museumai.middleware.server_error"

urlpatterns = [
    path("", museums.home, name="home"),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("nemo.urls")),
    path("framework/", include("recommendations.urls")),
    path("", include("assessment.urls")),
]
