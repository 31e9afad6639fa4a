"""Moved: this is `models.mediation_figures` now (the models use it). This name stays, for a short while, as an alias
of that very module for the files being split elsewhere; import `from models import mediation_figures`."""
import sys

from models import mediation_figures

sys.modules[__name__] = mediation_figures
