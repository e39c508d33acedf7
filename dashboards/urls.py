from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("unit/<int:unit_id>/", views.dashboard, name="unit"),
    path("unit/<int:unit_id>/export.xlsx", views.export, name="export"),
]
