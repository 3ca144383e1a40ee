"""好差评与群众监督: rating pages (evaluator, link, card entry), rectification, follow-ups, complaints, the
problem ledger, micro-innovation and the figures. Each views module declares its own urlpatterns."""

from onewindow.feedback.views import figures, ratings, rectification, supervision

app_name = "feedback"

urlpatterns = [*ratings.urlpatterns, *rectification.urlpatterns, *supervision.urlpatterns, *figures.urlpatterns]
