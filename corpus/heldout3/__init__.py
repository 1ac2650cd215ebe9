"""The third held-out corpus: written blind, for the honest figures the README reports.

See README.md. Regenerate with `python -m corpus.generate --heldout3`.
"""
