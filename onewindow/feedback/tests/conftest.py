from onewindow.testing.cases import clock  # noqa: F401  (fixture)
from onewindow.testing.hall import hall  # noqa: F401  (fixture)
