"""Moved: this is `models.quarters` now (the models gate late records). This name stays, for a short
while, as an alias of that very module for the files being split elsewhere; import
`from models import quarters`."""
import sys

from models import quarters

sys.modules[__name__] = quarters
