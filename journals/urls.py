from django.urls import path

from journals import views

app_name = "journals"
urlpatterns = [
    path("", views.journal_list, name="list"),
    path("<int:pk>/", views.reading_room, name="journal"),
    path("<int:pk>/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/print/", views.issue_print, name="print"),
    path("issues/<int:pk>/pick/", views.issue_pick, name="pick"),
    path("issues/<int:pk>/correction/", views.correction_add, name="correction"),
    path("issues/<int:pk>/sign-off/", views.issue_sign_off, name="sign_off"),
    path("issues/<int:pk>/delete/", views.issue_discard, name="discard"),
    path("issues/<int:pk>/items/<int:item>/", views.item_edit, name="item_edit"),
    path("issues/<int:pk>/items/<int:item>/remove/", views.item_remove, name="item_remove"),
    path("issues/<int:pk>/items/<int:item>/move/", views.item_move, name="item_move"),
]
