from django.urls import path

from calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("units/", views.unit_children_view, name="unit_children"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/answer/", views.call_answer, name="answer"),
    path("<int:pk>/extend/", views.call_extend_view, name="extend"),
    path("<int:pk>/close/", views.call_close_view, name="close"),
    path("<int:pk>/progress/", views.call_progress_view, name="progress"),
    path("<int:pk>/progress.xlsx", views.call_progress_export, name="progress_export"),
    path("<int:pk>/remind/<int:unit_id>/", views.call_remind_view, name="remind"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.call_attachment, name="attachment"),
    path("points/", views.points_list, name="points"),
    path("points/new/", views.points_new, name="points_new"),
    path("points/<int:pk>/", views.points_detail, name="points_detail"),
    path("points/tag/<int:bulletin_pk>/", views.point_tag_view, name="point_tag"),
]
