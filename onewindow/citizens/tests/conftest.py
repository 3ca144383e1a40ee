from onewindow.citizens.tests.support import outbox  # noqa: F401  (fixture)
from onewindow.testing.cases import clock  # noqa: F401  (fixture)
