"""cpscreen: pre-screens Guangxi cleaner-production audit submissions."""
__version__ = "0.1.0"
