"""Planning workbook for factory-sellers on Amazon (工贸一体化).

Exports in → validated history → probabilistic demand forecasts → FBA replenishment and factory
production plans → dated HTML reports and CSV/Excel plans. See DESIGN in the README.

The package root imports nothing heavy, so that ``forecasting --help`` is instant.
"""

__version__ = "0.1.0"
