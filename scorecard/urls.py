from django.urls import path

from . import pack_views, views

app_name = "scorecard"
urlpatterns = [
    path("", views.scorecard_view, name="scorecard"),
    path("export.<str:fmt>", views.scorecard_export, name="export"),
    path("scorecard.pdf", pack_views.scorecard_pdf, name="scorecard_pdf"),
    path("over-time/", pack_views.overtime_view, name="overtime"),
    path("over-time/overtime.pdf", pack_views.overtime_pdf, name="overtime_pdf"),
    path("editions/", views.edition_list_view, name="editions"),
    path("editions/publish/", views.edition_publish_view, name="edition_publish"),
    path("editions/compare/", views.edition_compare_view, name="edition_compare"),
    path("editions/<int:pk>/", views.edition_detail_view, name="edition"),
    path("editions/<int:pk>/export.<str:fmt>", views.edition_export, name="edition_export"),
    path("editions/<int:pk>/edition.pdf", pack_views.edition_pdf, name="edition_pdf"),
]
