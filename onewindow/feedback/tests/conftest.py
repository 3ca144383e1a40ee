from onewindow.feedback.tests.ratings_support import instant_item, sms  # noqa: F401  (fixtures)
from onewindow.feedback.tests.rectification_support import reasoned_item  # noqa: F401  (fixture)
from onewindow.testing.cases import clock  # noqa: F401  (fixture)
from onewindow.testing.hall import hall  # noqa: F401  (fixture)
