"""Moved: this is `models.integrity_rules` now (the models use it). This name stays, for a short while, as an alias
of that very module for the files being split elsewhere; import `from models import integrity_rules`."""
import sys

from models import integrity_rules

sys.modules[__name__] = integrity_rules
