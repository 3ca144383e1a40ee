from onewindow.testing.cases import clock  # noqa: F401  (fixture)
