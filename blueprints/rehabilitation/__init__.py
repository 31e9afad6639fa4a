from .views import bp  # noqa: F401
# Each module adds its routes to the one blueprint `rehabilitation` (endpoint names as before).
from . import subject, groups, plans, records, risk, documents, worklist  # noqa: F401,E402
