from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("frameworks/<str:code>/", views.framework_detail, name="framework"),
    path("frameworks/<str:code>/results/new/", views.result_create_view, name="result_create"),
    path("results/<str:code>/", views.result_detail, name="result"),
    path("results/<str:code>/edit/", views.result_edit_view, name="result_edit"),
    path("results/<str:code>/move/", views.result_move_view, name="result_move"),
    path("results/<str:code>/delete/", views.result_delete_view, name="result_delete"),
    path("alignments/", views.alignment_map_view, name="alignment_map"),
    path("alignments/new/", views.alignment_create_view, name="alignment_create"),
    path("alignments/<int:pk>/edit/", views.alignment_edit_view, name="alignment_edit"),
    path("alignments/<int:pk>/delete/", views.alignment_delete_view, name="alignment_delete"),
]
