from django.urls import path

from . import views

app_name = "scorecard"
urlpatterns = [
    path("", views.scorecard_view, name="scorecard"),
    path("export.<str:fmt>", views.scorecard_export, name="export"),
    path("editions/", views.edition_list_view, name="editions"),
    path("editions/publish/", views.edition_publish_view, name="edition_publish"),
    path("editions/compare/", views.edition_compare_view, name="edition_compare"),
    path("editions/<int:pk>/", views.edition_detail_view, name="edition"),
    path("editions/<int:pk>/export.<str:fmt>", views.edition_export, name="edition_export"),
]
