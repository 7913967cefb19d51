from django.contrib.auth import views as auth_views
from django.urls import path

from core.sessions import SessionExtendView

from . import views
from .forms import LoginForm, OutboxPasswordResetForm
from .oidc_views import OidcCallbackView, OidcLoginView, OidcLogoutView
from .views import (
    InvitationAcceptView,
    InvitationCreateView,
    UserActiveView,
    UserListView,
    UserUpdateView,
)

# Names are Django's own (login, logout, password_reset …) so that its views and templates find them.
urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", OidcLogoutView.as_view(), name="logout"),  # Django's, and the provider's after single sign-on
    path("logga-in/sso/<slug:provider>/", OidcLoginView.as_view(), name="oidc_login"),
    path("logga-in/sso/<slug:provider>/svar/", OidcCallbackView.as_view(), name="oidc_callback"),
    path("logga-in/kod/", views.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path("session/forlang/", SessionExtendView.as_view(), name="session_extend"),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("aterstall/", auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm), name="password_reset"),
    path("aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("aterstall/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("aviseringar/", views.NotificationSettingsView.as_view(), name="notification_settings"),
    path("tvastegs/", views.SecondFactorView.as_view(), name="second_factor"),
    path("tvastegs/aktivera/", views.TotpEnrolView.as_view(), name="totp_enrol"),
    path("tvastegs/stang-av/", views.SecondFactorDisableView.as_view(), name="second_factor_disable"),
    path("tvastegs/reservkoder/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("tvastegs/reservkoder/nya/", views.RecoveryCodesGenerateView.as_view(), name="recovery_codes_generate"),
    path("tvastegs/reservkoder.txt", views.RecoveryCodesDownloadView.as_view(), name="recovery_codes_download"),
    path("sessioner/", views.SessionListView.as_view(), name="sessions"),
    path("sessioner/<int:pk>/avsluta/", views.SessionEndView.as_view(), name="session_end"),
    path("sessioner/avsluta-andra/", views.SessionsEndOthersView.as_view(), name="sessions_end_others"),
    path("sessioner/avsluta-alla/", views.SessionsEndAllView.as_view(), name="sessions_end_all"),
]

# User administration and invitations (issue 18).
urlpatterns += [
    path("anvandare/", UserListView.as_view(), name="user_list"),
    path("anvandare/<int:pk>/", UserUpdateView.as_view(), name="user_update"),
    path("anvandare/<int:pk>/aktiv/", UserActiveView.as_view(), name="user_active"),
    path("bjud-in/", InvitationCreateView.as_view(), name="user_invite"),
    path("inbjudan/<int:pk>/<str:token>/", InvitationAcceptView.as_view(), name="invitation_accept"),
]
