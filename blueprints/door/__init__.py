"""The parties' own door: public application, dispatch, follow-up, on-screen signing (issue 17)."""
from blueprints.door import signing  # noqa: F401  (adds the signing routes to the staff blueprint)
from blueprints.door.public import bp as public_bp  # noqa: F401
from blueprints.door.work import bp  # noqa: F401
