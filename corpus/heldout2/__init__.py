"""The second held-out corpus: written blind, for honest final figures.

See README.md. Regenerate with `python -m corpus.generate --heldout2`.
"""
