"""Numerical code kept apart from the analyses, each module with its origin, its citation, what
it is checked against and its licence.

- :mod:`~qualitykit.external.frisch_newton`: linear quantile regression (the growth
  percentiles' 100 fits per grade and subject) by the Frisch–Newton primal–dual interior-point
  method with Portnoy & Koenker's preprocessing. Written for qualitykit from the published
  descriptions of the algorithms (Portnoy & Koenker 1997; Koenker 2005; Mehrotra 1992;
  Chernozhukov, Fernández-Val & Melly 2022), not translated from any implementation; MIT, as
  the package.
"""
