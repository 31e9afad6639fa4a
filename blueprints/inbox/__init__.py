from .notifications import bp as notifications_bp  # noqa: F401
from .views import bp  # noqa: F401
