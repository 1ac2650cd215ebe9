"""Every sample document, in the order the corpus lists them."""
from __future__ import annotations

from .doc_a01_sugar import SPEC as A01
from .doc_a02_cement import SPEC as A02
from .doc_a03_paper import SPEC as A03
from .doc_a04_zinc import SPEC as A04
from .doc_a05_cassava import SPEC as A05
from .doc_a06_ceramics import SPEC as A06
from .doc_a07_pharma import SPEC as A07
from .doc_a08_silk import SPEC as A08
from .doc_a09_rosin import SPEC as A09
from .doc_a10_calcium import SPEC as A10
from .doc_a11_glass import SPEC as A11
# pairs for `cpscreen compare` and the batch cross-check: two rounds of one enterprise, and a
# work summary with the audit report of the same round
from .doc_p01_dairy_previous import SPEC as P01
from .doc_p02_dairy_current import SPEC as P02
from .doc_p03_brewery_summary import SPEC as P03
from .doc_p04_brewery_audit import SPEC as P04

ALL = [A01, A02, A03, A04, A05, A06, A07, A08, A09, A10, A11, P01, P02, P03, P04]
