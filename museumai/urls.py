from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.views import accounts, museums, nemo

admin.site.site_header = "museumai – NEMO administration"
admin.site.site_title = "museumai admin"

urlpatterns = [
    path("", museums.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("admin/", admin.site.urls),
    path("nemo/overview/", nemo.sector_overview, name="nemo_overview"),
    path("nemo/overview.csv", nemo.sector_overview_csv, name="nemo_overview_csv"),
    path("framework/", include("recommendations.urls")),
    path("", include("assessment.urls")),
]
