from django.urls import path

from bench import views

app_name = "bench"
urlpatterns = [
    path("open/", views.ceiling_open, name="open"),
    path("login-only/", views.ceiling_login, name="login_only"),
]
