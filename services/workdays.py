"""Moved: working days are `models.workdays` (the deadlines of the models count them). This name stays,
for a short while, as an alias of that module for the files being split elsewhere; import
`from models import workdays`."""
import sys

from models import workdays

sys.modules[__name__] = workdays
