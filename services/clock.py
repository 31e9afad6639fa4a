"""Moved: the clock is `models.clock` (below the models). This name stays, for a short while, as an
alias of that very module (one clock, one state) for the files being split elsewhere; import
`from models import clock` in new code."""
import sys

from models import clock

sys.modules[__name__] = clock
