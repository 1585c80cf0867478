from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import language, views

# No app namespace: Django's auth views and templates expect these names ("login", "password_reset_done" …).
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    # The language switcher in every page's header posts here.
    path("language/", language.language_set, name="set_language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/email/", views.email_confirmation, name="email_confirmation"),
    path(
        "accounts/email/confirm/<str:token>/", views.email_confirmation_link, name="email_confirmation_link"
    ),
    path("accounts/data/", views.personal_data_page, name="personal_data"),
    path("accounts/data.json", views.personal_data_download, name="personal_data_download"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]
