"""Every held-out document, in order."""
from __future__ import annotations

from .doc_h01_autoparts import SPEC as H01
from .doc_h02_alumina import SPEC as H02
from .doc_h03_petrochem import SPEC as H03
from .doc_h04_grainoil import SPEC as H04
from .doc_h05_ethanol import SPEC as H05
from .doc_h06_capsules import SPEC as H06

ALL = [H01, H02, H03, H04, H05, H06]
