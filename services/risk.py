"""Moved: the risk score is `models.risk` (the domain computes it). This name stays, for a short while,
as an alias of that module for the files being split elsewhere; import `from models import risk`."""
import sys

from models import risk

sys.modules[__name__] = risk
