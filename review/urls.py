from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("handled/", views.handled, name="handled"),
    path("<int:pk>/", views.decide, name="decide"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("adoptions/<int:pk>/instruction/", views.instruction_add, name="instruction_add"),
]
