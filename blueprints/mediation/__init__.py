from .views import bp  # noqa: F401
from . import evaluation  # noqa: F401,E402  (adds the evaluation routes to bp)
from . import work  # noqa: F401,E402  (adds the consultation and screening routes to bp)
from . import imports  # noqa: F401,E402  (adds the import routes to bp)
