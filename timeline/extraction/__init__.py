"""Pure-Python extraction: article text (plus its publication date) in, typed dataclasses out.

Nothing in this package imports Django, so it can be tested, evaluated and benchmarked on its own.
"""
