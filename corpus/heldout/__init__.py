"""The held-out corpus: documents the tool's authors have not tuned against.

See README.md. Regenerate with `python -m corpus.generate --heldout`.
"""
