from django.urls import path

from onewindow.feedback.api import figures

urlpatterns = [
    path("ratings/figures/", figures.rating_figures, name="api-rating-figures"),
    path("ratings/ranking/", figures.window_ranking, name="api-rating-ranking"),
]
