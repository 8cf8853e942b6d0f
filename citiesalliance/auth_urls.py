"""django.contrib.auth.urls, same names and paths, with the views of citiesalliance/auth_views.py."""
from django.contrib.auth import views as django_views
from django.urls import path

from . import auth_views as views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", django_views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", django_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", views.needs_mail(django_views.PasswordResetView.as_view()), name="password_reset"),
    path("password_reset/done/", views.needs_mail(django_views.PasswordResetDoneView.as_view()),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.needs_mail(views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("reset/done/", views.needs_mail(django_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
]
