"""The log-linear fit recovers known doubling times and states its uncertainty."""

import random

import pytest

from landscape.trends import decimal_year, fit_log_linear, t_quantile_975
import datetime as dt


def test_exact_exponential_gives_exact_doubling():
    years = [2010 + i / 4 for i in range(40)]
    values = [1e18 * 2 ** ((y - 2010) * 12 / 6) for y in years]  # doubles every 6 months
    fit = fit_log_linear(years, values)
    assert fit.doubling_months == pytest.approx(6.0, rel=1e-9)
    assert fit.growth_per_year == pytest.approx(4.0, rel=1e-9)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.n == 40 and fit.start == 2010 and fit.end == pytest.approx(2019.75)


def test_noisy_data_recovers_the_doubling_time_within_the_interval():
    rng = random.Random(7)
    years = [2012 + rng.random() * 10 for _ in range(300)]
    values = [1e20 * 2 ** ((y - 2012) * 12 / 7.5) * 10 ** rng.gauss(0, 0.3) for y in years]
    fit = fit_log_linear(years, values)
    assert fit.doubling_low < 7.5 < fit.doubling_high
    assert fit.doubling_months == pytest.approx(7.5, rel=0.1)
    assert fit.growth_low < fit.growth_per_year < fit.growth_high
    assert fit.predict(2012) == pytest.approx(1e20, rel=0.5)


def test_falling_series_gives_a_negative_doubling_time():
    years = [2000, 2001, 2002, 2003]
    fit = fit_log_linear(years, [8, 4, 2, 1])
    assert fit.doubling_months == pytest.approx(-12)


def test_t_quantiles():
    assert t_quantile_975(1) == pytest.approx(12.706)
    assert t_quantile_975(30) == pytest.approx(2.042)
    assert t_quantile_975(60) == pytest.approx(2.0003, abs=1e-3)
    assert t_quantile_975(10_000) == pytest.approx(1.960, abs=1e-3)


@pytest.mark.parametrize("years, values, message", [
    ([2020, 2021], [1, 2], "at least 3 points"),
    ([2020, 2021, 2022], [1, 0, 2], "positive"),
    ([2020, 2020, 2020], [1, 2, 3], "same date"),
])
def test_fit_refuses_what_it_cannot_fit(years, values, message):
    with pytest.raises(ValueError, match=message):
        fit_log_linear(years, values)


def test_decimal_year():
    assert decimal_year(dt.date(2020, 1, 1)) == 2020
    assert decimal_year(dt.date(2021, 7, 2)) == pytest.approx(2021.5, abs=0.003)
