"""Spreadsheet imports and exports for administrators (included at /imports/; names "imports:...")."""
from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("cancel/", views.cancel, name="cancel"),
    path("problems/", views.problems, name="problems"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/status/", views.job_status, name="job_status"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
]
