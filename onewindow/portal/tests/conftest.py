from onewindow.testing.cases import clock  # noqa: F401  (fixture)
from onewindow.testing.portal import citizen, item, offer, sms  # noqa: F401  (fixtures)
