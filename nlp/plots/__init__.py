"""Plots shared by the analyses; Chinese labels render through :func:`use_cjk_font`."""
from nlp.plots.fonts import use_cjk_font

__all__ = ["use_cjk_font"]
