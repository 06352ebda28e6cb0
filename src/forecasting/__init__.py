"""Planning workbook for factory-sellers on Amazon (工贸一体化).

Exports in → validated history → probabilistic demand forecasts → FBA replenishment and factory
production plans → dated HTML reports and CSV/Excel plans. See DESIGN in the README.

The package root imports nothing heavy, so that ``forecasting --help`` is instant. It does pin the
BLAS/OpenMP thread pools to one thread (unless the user set them): the models fit many small
problems, where multi-threaded BLAS is several times slower (measured: 3 statsmodels ETS fits of a
900-day series took 4.1 s with the default pool vs 0.6 s with one thread on the 2-core reference
machine under load); parallelism comes from worker processes instead (``--jobs``).
"""

import os as _os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
