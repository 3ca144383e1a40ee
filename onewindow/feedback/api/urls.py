from django.urls import path

from onewindow.feedback.api import figures, views

urlpatterns = [
    path("ratings/", views.RatingCreateApi.as_view(), name="api-ratings"),
    path("ratings/figures/", figures.rating_figures, name="api-rating-figures"),
    path("ratings/ranking/", figures.window_ranking, name="api-rating-ranking"),
]
