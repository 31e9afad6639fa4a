"""Moved: this is `models.measures` now (the models use it). This name stays, for a short while, as an alias
of that very module for the files being split elsewhere; import `from models import measures`."""
import sys

from models import measures

sys.modules[__name__] = measures
