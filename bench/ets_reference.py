#!/usr/bin/python3
# Reference ETS fits for tests/core/test-baselines.c, made with statsmodels
# (Debian 12: python3-statsmodels 0.13.5).  Run: /usr/bin/python3 bench/ets_reference.py
# Prints, per case, the fitted parameters, SSE, log-likelihood and the
# h-step point forecasts that the test embeds.
import numpy as np
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

AIR = [112,118,132,129,121,135,148,148,136,119,104,118,115,126,141,135,125,149,170,170,158,133,114,140,
       145,150,178,163,172,178,199,199,184,162,146,166,171,180,193,181,183,218,230,242,209,191,172,194,
       196,196,236,235,229,243,264,272,237,211,180,201,204,188,235,227,234,264,302,293,259,229,203,229,
       242,233,267,269,270,315,364,347,312,274,237,278,284,277,317,313,318,374,413,405,355,306,271,306,
       315,301,356,348,355,422,465,467,404,347,305,336,340,318,362,348,363,435,491,505,404,359,310,337,
       360,342,406,396,420,472,548,559,463,407,362,405,417,391,419,461,472,535,622,606,508,461,390,432]
SHORT = [10.0, 12.0, 11.5, 13.0, 14.2, 13.8, 15.1, 16.0, 15.7, 17.2, 18.1, 17.9, 19.5, 20.3, 20.1]

cases = [
    ("air_AAM", AIR, dict(error="add", trend="add", seasonal="mul", seasonal_periods=12), 12),
    ("air_AAdM", AIR, dict(error="add", trend="add", damped_trend=True, seasonal="mul", seasonal_periods=12), 12),
    ("air_AAA", AIR, dict(error="add", trend="add", seasonal="add", seasonal_periods=12), 12),
    ("short_ANN", SHORT, dict(error="add"), 5),
    ("short_AAN", SHORT, dict(error="add", trend="add"), 5),
]
# statsmodels' single default start lands in a local optimum on AirPassengers
# AAM (SSE 16016 against 12891), so every case keeps the best of several
# starts (alpha in 0.1..0.9, gamma in 0.001..0.1) by SSE.
def fit_best(y, kw):
    mod = ETSModel(np.asarray(y, float), **kw)
    best = mod.fit(disp=False, maxiter=10000)
    base = best.params.copy()
    for a in (0.1, 0.3, 0.5, 0.7, 0.9):
        for g in (0.001, 0.01, 0.1):
            sp = base.copy()
            sp[0] = a
            if "trend" in kw:
                sp[1] = min(0.01, a / 2)
            if "seasonal" in kw:
                sp[2] = min(g, (1 - a) * 0.9)
            try:
                r = mod.fit(start_params=sp, disp=False, maxiter=10000)
            except Exception:
                continue
            if np.sum(r.resid ** 2) < np.sum(best.resid ** 2):
                best = r
    return best

for name, y, kw, h in cases:
    res = fit_best(y, kw)
    sse = float(np.sum(res.resid ** 2))
    print(name, "params", dict(zip(res.param_names, np.round(res.params, 6))))
    print(name, "sse %.6f loglik %.6f aicc %.6f" % (sse, res.llf, res.aicc))
    print(name, "forecast", ", ".join("%.4f" % v for v in res.forecast(h)))

# Theta as in the M4 benchmark code (Benchmarks() + Theta.classic() in R),
# rebuilt with numpy + statsmodels: 90 % seasonality test on the ACF,
# classical multiplicative decomposition (seasonal_decompose = R decompose),
# theta line 2 = 2 y - linear trend, SES (ETS ANN by maximum likelihood),
# forecast = (SES + trend line) / 2, reseasonalised.
from statsmodels.tsa.seasonal import seasonal_decompose
from statsmodels.tsa.stattools import acf

def m4_theta(y, m, h):
    y = np.asarray(y, float)
    n = len(y)
    idx = np.ones(max(m, 1))
    if m > 1 and n >= 3 * m:
        r = acf(y, nlags=m, fft=False)[1:]
        clim = 1.645 / np.sqrt(n) * np.sqrt(np.cumsum(np.r_[1, 2 * r ** 2]))
        if abs(r[m - 1]) > clim[m - 1]:
            idx = seasonal_decompose(y, model="multiplicative", period=m).seasonal[:m]
    des = y / np.resize(idx, n)
    t = np.arange(1, n + 1)
    b, a = np.polyfit(t, des, 1)
    line2 = 2 * des - (a + b * t)
    ses = fit_best(line2, dict(error="add"))
    tf = np.arange(n + 1, n + h + 1)
    si = np.resize(idx, n + h)[n:]
    return (0.5 * ses.forecast(h) + 0.5 * (a + b * tf)) * si, ses.params[0]

for name, y, m, h in (("theta_short", SHORT, 1, 5), ("theta_air", AIR, 12, 12)):
    fc, alpha = m4_theta(y, m, h)
    print(name, "ses alpha %.6f" % alpha)
    print(name, "forecast", ", ".join("%.4f" % v for v in fc))
