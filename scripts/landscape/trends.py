"""Log-linear trend fits: least squares on log10(value) against decimal year, with a t-based 95% interval."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Sequence

METHOD = "log-linear least squares"

# Two-sided 95% quantiles of Student's t (t_{0.975, df}) for df = 1..30; beyond, a Cornish-Fisher series.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """t_{0.975} with ``df`` degrees of freedom (exact to 3 decimals for df <= 30, to 1e-5 beyond)."""
    if df < 1:
        raise ValueError("need at least one degree of freedom")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class Fit:
    n: int
    start: float  # decimal year of the earliest point fitted
    end: float  # decimal year of the latest point fitted
    slope_log10_per_year: float
    intercept_log10: float  # log10(value) at year 0 (use predict())
    growth_per_year: float  # x per year
    growth_low: float | None
    growth_high: float | None
    doubling_months: float | None  # None when the fit does not grow; negative = halving time
    doubling_low: float | None
    doubling_high: float | None
    r2: float
    method: str = METHOD

    def predict(self, year: float) -> float:
        return 10 ** (self.intercept_log10 + self.slope_log10_per_year * year)


def decimal_year(date: dt.date) -> float:
    start = dt.date(date.year, 1, 1)
    days = (dt.date(date.year + 1, 1, 1) - start).days
    return date.year + (date - start).days / days


def year_to_date(year: float) -> dt.date:
    whole = math.floor(year)
    start = dt.date(whole, 1, 1)
    days = (dt.date(whole + 1, 1, 1) - start).days
    return start + dt.timedelta(days=round((year - whole) * days))


def _doubling(slope: float) -> float | None:
    return 12 * math.log10(2) / slope if slope != 0 else None


def fit_log_linear(years: Sequence[float], values: Sequence[float]) -> Fit:
    """Fit log10(value) = a + b * year by ordinary least squares.

    Raises ValueError for fewer than three points, non-positive values or a single distinct year.
    The 95% interval of the slope uses Student's t with n - 2 degrees of freedom.
    """
    if len(years) != len(values):
        raise ValueError("years and values differ in length")
    n = len(years)
    if n < 3:
        raise ValueError(f"a trend needs at least 3 points, got {n}")
    if any(v is None or not v > 0 or not math.isfinite(v) for v in values):
        raise ValueError("a log-linear fit needs positive values")
    xs = [float(x) for x in years]
    ys = [math.log10(float(v)) for v in values]
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("all points fall on the same date")
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys)]
    sse = sum(r * r for r in residuals)
    syy = sum((y - mean_y) ** 2 for y in ys)
    r2 = 1 - sse / syy if syy > 0 else 1.0
    se_slope = math.sqrt(sse / (n - 2) / sxx)
    half = t_quantile_975(n - 2) * se_slope
    slope_low, slope_high = slope - half, slope + half
    doubling = _doubling(slope)
    if slope > 0 and slope_low > 0:
        doubling_low, doubling_high = _doubling(slope_high), _doubling(slope_low)
    elif slope < 0 and slope_high < 0:
        doubling_low, doubling_high = _doubling(slope_low), _doubling(slope_high)
    else:  # the interval includes no change: doubling time unbounded
        doubling_low = doubling_high = None
    return Fit(
        n=n,
        start=min(xs),
        end=max(xs),
        slope_log10_per_year=slope,
        intercept_log10=intercept,
        growth_per_year=10**slope,
        growth_low=10**slope_low,
        growth_high=10**slope_high,
        doubling_months=doubling,
        doubling_low=doubling_low,
        doubling_high=doubling_high,
        r2=r2,
    )
