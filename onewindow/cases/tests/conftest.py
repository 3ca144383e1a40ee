from onewindow.cases.tests.api_support import api, item, labour_reviewer  # noqa: F401  (API test fixtures)
from onewindow.testing.cases import clock  # noqa: F401  (fixture)
