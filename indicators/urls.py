from django.urls import path

from . import computation_views, proposal_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create, name="indicator_create"),
    path("worklist/", views.worklist, name="worklist"),
    path("review/", views.review_queue, name="review_queue"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("<str:code>/", views.indicator_detail, name="indicator"),
    path("<str:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("<str:code>/computation/", computation_views.computation_edit, name="computation_edit"),
    path("<str:code>/baseline/", views.baseline_edit, name="baseline_edit"),
    path("<str:code>/targets/new/", views.target_create, name="target_create"),
    path("<str:code>/targets/<str:period>/edit/", views.target_edit, name="target_edit"),
    path("<str:code>/targets/<str:period>/review/", views.target_review, name="target_review"),
    path("<str:code>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("<str:code>/measurements/<str:period>/", views.measurement_detail, name="measurement"),
    path("<str:code>/measurements/<str:period>/edit/", views.measurement_edit, name="measurement_edit"),
    path("<str:code>/measurements/<str:period>/review/", views.measurement_review, name="measurement_review"),
    path("<str:code>/proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal"),
]
