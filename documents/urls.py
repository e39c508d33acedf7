from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/file.<str:fmt>", views.document_file_view, name="file"),
]
