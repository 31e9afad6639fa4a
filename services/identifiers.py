"""Moved: this is `models.identifiers` now (the models check identifiers). This name stays, for a short
while, as an alias of that very module for the files being split elsewhere; import
`from models import identifiers`."""
import sys

from models import identifiers

sys.modules[__name__] = identifiers
