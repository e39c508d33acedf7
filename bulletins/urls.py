from django.urls import path

from bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list_view, name="list"),
    path("new/", views.bulletin_create_view, name="create"),
    path("<int:pk>/", views.bulletin_detail_view, name="detail"),
    path("<int:pk>/edit/", views.bulletin_edit_view, name="edit"),
    path("<int:pk>/delete/", views.bulletin_delete_view, name="delete"),
    path("<int:pk>/compare/", views.version_compare_view, name="compare"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove_view, name="attachment_remove"),
]
