#!/usr/bin/python3
"""Generate reference vectors for package analytics.

Run from the repository root with Debian's interpreter (python3-scipy, python3-numpy):

    /usr/bin/python3 analytics/testdata/gen_vectors.py > analytics/vectors_test.go && gofmt -w analytics/vectors_test.go

The references below restate the rules of the Polar flow server's code at
version 1.5.0 (as the project's vendor notes and issue 11 record them); they
are written from those rules, not taken from the server:

- Baselines: Python's statistics.mean / median / stdev / quantiles(n=4) on the
  non-null values dated on or after today - 90 days (today and later dates
  included: 1.5.0 has no "date < today" filter, also not for training_load),
  values > 0 only for training_load and training_load_ratio; status by sample
  count (>= 21 ready, >= 7 partial); 7/30/90 most-recent means.
- Baseline comparisons (insights): the current value is the latest row's,
  null or a -1.0 / 0 sentinel included; percent_of_baseline = current /
  baseline_value * 100 when current is not null and baseline_value is not 0.
- Anomaly scan: the latest non-null value (> 0 for the training-load
  metrics), skipped when 0; critical strictly outside q1 - 3 iqr .. q3 + 3 iqr,
  warning strictly outside the 1.5 iqr bounds; listed in the order the
  baselines are written: hrv_rmssd, sleep_score, resting_hr, training_load,
  training_load_ratio; reported once data age (days since the earliest sleep
  or HRV date, plus 1) reaches 21.
- Analytics status: distinct dates per table dated on or after today - 90
  days; features at 7, 14, 21, 30, 60, 90 days of the smallest table count;
  progress round(days / required * 100, 1), 100 once unlocked.

Everything is deterministic (fixed seeds).
"""
import math
import random
import statistics
import sys

import numpy as np
import scipy
from scipy import stats

R = random.Random(20260105)


def g(x):
    """A Go float64 literal that parses to the same bits."""
    if x is None:
        return "nan"
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def gp(x):
    return "nil" if x is None else "f64p(%s)" % g(x)


def floats(xs):
    return "[]float64{" + ", ".join(g(v) for v in xs) + "}"


def ints(xs):
    return "[]int{" + ", ".join(str(v) for v in xs) + "}"


# ---------------------------------------------------------------- baseline

def ref_baseline(days, values):
    """days[i] is a day offset (bigger is more recent); values may hold None/NaN."""
    pairs = [(d, v) for d, v in zip(days, values) if v is not None and not math.isnan(v)]
    # most recent first; Python's sort is stable, as is the Go one (input order on equal dates)
    pairs.sort(key=lambda p: -p[0])
    vals = [v for _, v in pairs]
    n = len(vals)
    out = dict(n=n, mean=None, median=None, q1=None, q3=None, iqr=None, sd=None,
               min=None, max=None, lo=None, hi=None, b7=None, b30=None, b90=None,
               start=None, end=None)
    out["status"] = "ready" if n >= 21 else "partial" if n >= 7 else "insufficient"
    if n >= 7:
        out["mean"] = statistics.mean(vals)
        out["median"] = statistics.median(vals)
        q = statistics.quantiles(vals, n=4)
        out["q1"], out["q3"] = q[0], q[2]
        out["iqr"] = q[2] - q[0]
        out["lo"] = q[0] - 1.5 * out["iqr"]
        out["hi"] = q[2] + 1.5 * out["iqr"]
        out["sd"] = statistics.stdev(vals)
        out["min"], out["max"] = min(vals), max(vals)
        out["b7"] = statistics.mean(vals[:7])
        if n >= 30:
            out["b30"] = statistics.mean(vals[:30])
        if n >= 90:
            out["b90"] = statistics.mean(vals[:90])
    else:
        out["mean"] = statistics.mean(vals) if vals else 0.0
        if vals:
            out["min"], out["max"] = min(vals), max(vals)
    if pairs:
        out["start"] = min(d for d, _ in pairs)
        out["end"] = max(d for d, _ in pairs)
    return out


def gen_values(kind, n):
    if kind == "hrv":
        return [round(R.gauss(45, 9), 1) for _ in range(n)]
    if kind == "sleep":
        return [float(R.randint(55, 95)) for _ in range(n)]
    if kind == "ratio":
        return [round(R.uniform(0.6, 1.8), 2) for _ in range(n)]
    if kind == "random":
        return [R.uniform(-1e3, 1e3) * R.random() for _ in range(n)]
    if kind == "bigoffset":
        return [1e6 + R.random() * 1e-3 for _ in range(n)]
    if kind == "ties":
        return [float(R.choice([60, 61, 61, 62, 63])) for _ in range(n)]
    if kind == "tiny":
        return [R.random() * 1e-300 for _ in range(n)]
    if kind == "constant":
        return [52.0] * n
    raise ValueError(kind)


def baseline_cases():
    cases = []
    sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 20, 21, 22, 29, 30, 31, 45, 60, 89, 90, 91, 120]
    for kind in ["hrv", "sleep", "ratio", "random", "bigoffset", "ties", "tiny", "constant"]:
        for n in sizes:
            if kind in ("tiny", "constant", "bigoffset") and n not in (0, 2, 7, 21, 30, 90, 91):
                continue
            vals = gen_values(kind, n)
            days = list(range(n))
            order = list(range(n))
            R.shuffle(order)  # any input order
            days = [days[i] for i in order]
            vals = [vals[i] for i in order]
            cases.append(("%s_n%d" % (kind, n), days, vals))
    # NaN / missing values dropped
    vals = gen_values("hrv", 40)
    for i in (0, 3, 9, 17, 33):
        vals[i] = float("nan")
    cases.append(("hrv_with_nan_n40", list(range(40)), vals))
    vals = gen_values("hrv", 9)
    vals[2] = float("nan")
    vals[5] = float("nan")
    cases.append(("hrv_nan_drops_below_7", list(range(9)), vals))
    # gaps in the dates
    days = sorted(R.sample(range(200), 35))
    cases.append(("hrv_gappy_n35", days, gen_values("hrv", 35)))
    # a long series (a year of nights), shuffled
    vals = gen_values("hrv", 400)
    days = list(range(400))
    R.shuffle(days)
    cases.append(("hrv_year_n400", days, vals))
    return cases


def emit_baselines(w):
    w("var baselineVectors = []baselineVector{\n")
    for name, days, vals in baseline_cases():
        o = ref_baseline(days, vals)
        w("\t{name: \"%s\", days: %s, values: %s,\n" % (name, ints(days), floats(vals)))
        w("\t\twant: baselineWant{n: %d, status: \"%s\", mean: %s, median: %s, q1: %s, q3: %s, iqr: %s, sd: %s, min: %s, max: %s, lo: %s, hi: %s, b7: %s, b30: %s, b90: %s, start: %d, end: %d}},\n" % (
            o["n"], o["status"], g(o["mean"]), g(o["median"]), g(o["q1"]), g(o["q3"]), g(o["iqr"]), g(o["sd"]),
            g(o["min"]), g(o["max"]), g(o["lo"]), g(o["hi"]), gp(o["b7"]), gp(o["b30"]), gp(o["b90"]),
            -1 if o["start"] is None else o["start"], -1 if o["end"] is None else o["end"]))
    w("}\n\n")


# ---------------------------------------------------------- mean and stdev

def emit_moments(w):
    """Exactly rounded mean and stdev from statistics, on awkward inputs."""
    w("var momentVectors = []momentVector{\n")
    cases = []
    for n in (2, 3, 4, 5, 7, 10, 21, 90, 91, 500):
        for _ in range(12):
            kind = R.choice(["u", "hrv", "big", "mixed", "pow"])
            if kind == "u":
                xs = [R.random() for _ in range(n)]
            elif kind == "hrv":
                xs = [round(R.gauss(45, 9), 1) for _ in range(n)]
            elif kind == "big":
                xs = [1e9 + R.random() for _ in range(n)]
            elif kind == "mixed":
                xs = [R.uniform(-1, 1) * 10 ** R.randint(-5, 5) for _ in range(n)]
            else:
                xs = [1.0 + R.randint(0, 3) * 2.0 ** -52 for _ in range(n)]
            cases.append(xs)
    # halfway cases for the mean
    cases.append([1.0, 1.0 + 2.0 ** -52])
    cases.append([1.0 + 2.0 ** -52, 1.0 + 2.0 ** -51])
    cases.append([3.0, 2.0 ** 53])
    cases.append([1e308, 1e308])
    cases.append([0.1, 0.2, 0.3])
    for xs in cases:
        w("\t{values: %s, mean: %s, sd: %s},\n" % (floats(xs), g(statistics.mean(xs)), g(statistics.stdev(xs))))
    w("}\n\n")


# -------------------------------------------------------------- quantiles

def numpy_linear(xs, q):
    return float(np.quantile(np.array(xs, dtype=float), q))


def emit_quantiles(w):
    w("var quantileVectors = []quantileVector{\n")
    for n in list(range(2, 16)) + [20, 21, 29, 30, 90, 91]:
        for kind in ("hrv", "ties", "random"):
            xs = gen_values(kind, n)
            for k in (4, 10):
                ex = statistics.quantiles(xs, n=k)
                inc = statistics.quantiles(xs, n=k, method="inclusive")
                lin = [numpy_linear(xs, i / k) for i in range(1, k)]
                w("\t{values: %s, n: %d, exclusive: %s, inclusive: %s, linear: %s},\n" % (
                    floats(xs), k, floats(ex), floats(inc), floats(lin)))
    w("}\n\n")


# ------------------------------------------------------------ correlation

def emit_correlation(w):
    w("var correlationVectors = []correlationVector{\n")
    cases = []
    for n in (3, 4, 5, 6, 7, 8, 10, 20, 21, 29, 30, 60, 90):
        for kind in ("cont", "ties", "neg", "indep"):
            if kind == "cont":
                x = [R.gauss(70, 10) for _ in range(n)]
                y = [0.6 * v + R.gauss(0, 8) for v in x]
            elif kind == "ties":
                x = [float(R.randint(70, 75)) for _ in range(n)]
                y = [round(0.5 * v + R.gauss(0, 2)) for v in x]
            elif kind == "neg":
                x = [R.gauss(50, 5) for _ in range(n)]
                y = [-v + R.gauss(0, 6) for v in x]
            else:
                x = [R.random() for _ in range(n)]
                y = [R.random() for _ in range(n)]
            cases.append(("%s_n%d" % (kind, n), x, y))
    cases.append(("perfect_n10", list(map(float, range(10))), [v * v for v in map(float, range(10))]))
    cases.append(("perfect_neg_n5", [1.0, 2.0, 3.0, 4.0, 5.0], [9.0, 7.0, 5.0, 3.0, 1.0]))
    cases.append(("ties_both_n8", [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0], [2.0, 1.0, 2.0, 3.0, 3.0, 5.0, 5.0, 5.0]))
    cases.append(("n2", [1.0, 2.0], [3.0, 1.0]))
    cases.append(("constant_x", [5.0, 5.0, 5.0, 5.0], [1.0, 2.0, 3.0, 4.0]))
    for name, x, y in cases:
        s = stats.spearmanr(x, y)
        p = stats.pearsonr(x, y) if not (len(set(x)) == 1 or len(set(y)) == 1) else None
        pr = (float("nan"), float("nan")) if p is None else (p[0], p[1])
        w("\t{name: \"%s\", x: %s, y: %s, rho: %s, rhoP: %s, r: %s, rP: %s},\n" % (
            name, floats(x), floats(y), g(s[0]), g(s[1]), g(pr[0]), g(pr[1])))
    w("}\n\n")


# ------------------------------------------------------------------- HRV

def ref_hrv(rr, filt):
    """Time-domain HRV with the package's documented artifact rule."""
    rr = list(rr)
    keep = [True] * len(rr)
    if filt:
        # In range [300, 2000] ms and within 20 % of the median of the
        # in-range intervals among it and its three neighbours on each side
        # (of an even count, within 20 % of either middle value).
        inr = [300.0 <= v <= 2000.0 for v in rr]
        for i, v in enumerate(rr):
            if not inr[i]:
                keep[i] = False
                continue
            win = sorted(rr[j] for j in range(max(0, i - 3), min(len(rr), i + 4)) if inr[j])
            h = len(win) // 2
            mids = [win[h]] if len(win) % 2 else [win[h - 1], win[h]]
            keep[i] = any(abs(v - m) <= 0.2 * m for m in mids)
    kept = np.array([v for v, k in zip(rr, keep) if k], dtype=float)
    diffs = np.array([rr[i] - rr[i - 1] for i in range(1, len(rr)) if keep[i] and keep[i - 1]], dtype=float)
    out = dict(n=len(kept), dropped=len(rr) - len(kept), ndiff=len(diffs))
    out["mean"] = float(np.mean(kept)) if len(kept) else None
    out["sdnn"] = float(np.std(kept, ddof=1)) if len(kept) >= 2 else None
    out["rmssd"] = float(np.sqrt(np.mean(diffs ** 2))) if len(diffs) else None
    out["nn50"] = int(np.sum(np.abs(diffs) > 50.0)) if len(diffs) else 0
    out["pnn50"] = float(100.0 * out["nn50"] / len(diffs)) if len(diffs) else None
    return out


def emit_hrv(w):
    w("var hrvVectors = []hrvVector{\n")
    for n in (2, 3, 10, 60, 300, 1000):
        for filt in (False, True):
            rr = []
            v = 820.0
            for i in range(n):
                v = v + R.gauss(0, 35)
                v = min(max(v, 450.0), 1400.0)
                x = round(v, 1)
                if filt and n >= 10 and R.random() < 0.05:
                    x = R.choice([150.0, 2600.0, x * 1.6, x * 0.5])
                rr.append(x)
            o = ref_hrv(rr, filt)
            w("\t{rr: %s, filter: %s, n: %d, dropped: %d, ndiff: %d, mean: %s, sdnn: %s, rmssd: %s, nn50: %d, pnn50: %s},\n" % (
                floats(rr), "true" if filt else "false", o["n"], o["dropped"], o["ndiff"], g(o["mean"]), g(o["sdnn"]), g(o["rmssd"]), o["nn50"], g(o["pnn50"])))
    w("}\n\n")


# ------------------------------------------------ server rules (version 1.5.0)

R2 = random.Random(20260806)
LOAD_METRICS = ("training_load", "training_load_ratio")
METRIC_ORDER = ("hrv_rmssd", "sleep_score", "resting_hr", "training_load", "training_load_ratio")


def isnull(v):
    return v is None or math.isnan(v)


def server_baseline(metric, today, days, values):
    """The server's baseline query: date >= today - 90, not null, > 0 for load."""
    keep = [(d, v) for d, v in zip(days, values)
            if d >= today - 90 and not isnull(v) and (metric not in LOAD_METRICS or v > 0)]
    return ref_baseline([d for d, _ in keep], [v for _, v in keep])


def series_values(metric, n):
    if metric == "hrv_rmssd":
        return [round(R2.gauss(48, 8), 1) for _ in range(n)]
    if metric == "sleep_score":
        return [float(R2.randint(60, 92)) for _ in range(n)]
    if metric == "resting_hr":
        return [float(R2.randint(48, 58)) for _ in range(n)]
    if metric == "training_load":
        return [round(R2.uniform(40, 160), 1) for _ in range(n)]
    return [round(R2.uniform(0.7, 1.6), 2) for _ in range(n)]


def server_baseline_cases():
    today = 200
    cases = []
    # Issue 11, point 1: cardio load 10, 20 ... 70 on the 7 days up to today.
    cases.append(("issue_load_today", "training_load", today, [today - 6 + i for i in range(7)],
                  [10.0 * (i + 1) for i in range(7)]))
    for metric in METRIC_ORDER:
        for n in (3, 7, 8, 21, 30, 60, 95, 130):
            days = sorted(R2.sample(range(today - n - 10, today + 2), n))  # some later than today
            vals = series_values(metric, n)
            for i in range(n):
                r = R2.random()
                if r < 0.08:
                    vals[i] = float("nan")
                elif metric in LOAD_METRICS and r < 0.2:
                    vals[i] = R2.choice([-1.0, 0.0])
            order = list(range(n))
            R2.shuffle(order)
            cases.append(("%s_n%d" % (metric, n), metric, today, [days[i] for i in order], [vals[i] for i in order]))
    return cases


def emit_server_baselines(w):
    w("var serverBaselineVectors = []serverBaselineVector{\n")
    for name, metric, today, days, vals in server_baseline_cases():
        o = server_baseline(metric, today, days, vals)
        w("\t{name: \"%s\", metric: \"%s\", today: %d, days: %s, values: %s,\n" % (name, metric, today, ints(days), floats(vals)))
        w("\t\twant: baselineWant{n: %d, status: \"%s\", mean: %s, median: %s, q1: %s, q3: %s, iqr: %s, sd: %s, min: %s, max: %s, lo: %s, hi: %s, b7: %s, b30: %s, b90: %s, start: %d, end: %d}},\n" % (
            o["n"], o["status"], g(o["mean"]), g(o["median"]), g(o["q1"]), g(o["q3"]), g(o["iqr"]), g(o["sd"]),
            g(o["min"]), g(o["max"]), g(o["lo"]), g(o["hi"]), gp(o["b7"]), gp(o["b30"]), gp(o["b90"]),
            -1 if o["start"] is None else o["start"], -1 if o["end"] is None else o["end"]))
    w("}\n\n")


def severity(o, v):
    if o["q1"] is None:
        return ""
    iqr = o["q3"] - o["q1"]
    if v < o["q1"] - 3 * iqr or v > o["q3"] + 3 * iqr:
        return "critical"
    if v < o["q1"] - 1.5 * iqr or v > o["q3"] + 1.5 * iqr:
        return "warning"
    return ""


def user_case(i, today):
    """One user's five series over up to 120 days, with nulls, sentinels, a
    null or sentinel latest row now and then, and outliers near the end."""
    user = {}
    for metric in METRIC_ORDER:
        n = R2.choice([0, 5, 15, 25, 40, 70, 100, 120]) if i % 4 and i >= 3 else R2.choice([40, 70, 100])
        days = list(range(today - n + 1, today + 1))
        vals = series_values(metric, n)
        for k in range(n):
            r = R2.random()
            if r < 0.07:
                vals[k] = float("nan")
            elif metric in LOAD_METRICS and r < 0.15:
                vals[k] = R2.choice([-1.0, 0.0])
        if n >= 2:
            r = R2.random()
            if r < 0.35 or i < 3:  # an outlier yesterday or today; every metric for the first users
                k = n - 1 - R2.randint(0, 1)
                base = [v for v in vals if not isnull(v) and v > 0] or [1.0]
                lo, hi = min(base), max(base)
                vals[k] = R2.choice([lo - (hi - lo) * R2.uniform(0.5, 4), hi + (hi - lo) * R2.uniform(0.5, 4)])
                if metric in LOAD_METRICS and vals[k] <= 0:
                    vals[k] = hi + (hi - lo) * 2.5
            if R2.random() < 0.3 and i >= 3:  # the latest row null, or a sentinel
                vals[n - 1] = R2.choice([-1.0, 0.0]) if metric in LOAD_METRICS else float("nan")
        # rows in no particular order, as a caller may pass them
        order = list(range(n))
        R2.shuffle(order)
        user[metric] = ([days[k] for k in order], [vals[k] for k in order])
    return user


def emit_users(w):
    w("var userVectors = []userVector{\n")
    today = 150
    for i in range(40):
        user = user_case(i, today)
        firsts = [min(user[m][0]) for m in ("sleep_score", "hrv_rmssd") if user[m][0]]
        age = today - min(firsts) + 1 if firsts else 0
        metrics, anomalies = [], []
        for m in METRIC_ORDER:
            days, vals = user[m]
            o = server_baseline(m, today, days, vals)
            current, has = float("nan"), False
            if days:
                k = max(range(len(days)), key=lambda j: days[j])
                current, has = vals[k], True
            pct = None
            if has and not isnull(current) and o["mean"]:
                pct = current / o["mean"] * 100
            metrics.append("{metric: \"%s\", n: %d, status: \"%s\", mean: %s, hasRow: %s, current: %s, percent: %s}" % (
                m, o["n"], o["status"], g(o["mean"]), "true" if has else "false", g(current), gp(pct)))
            valid = [(d, v) for d, v in zip(days, vals) if not isnull(v) and (m not in LOAD_METRICS or v > 0)]
            if valid and age >= 21:
                v = max(valid, key=lambda p: p[0])[1]
                sev = severity(o, v) if v else ""
                if sev:
                    anomalies.append("{metric: \"%s\", severity: \"%s\", value: %s}" % (m, sev, g(v)))
        w("\t{name: \"user%02d\", today: %d, age: %d,\n" % (i, today, age))
        w("\t\tseries: [5]seriesVector{%s},\n" % ", ".join(
            "{days: %s, values: %s}" % (ints(user[m][0]), floats(user[m][1])) for m in METRIC_ORDER))
        w("\t\tmetrics: []userMetricWant{%s},\n" % ", ".join(metrics))
        w("\t\tanomalies: []anomalyWant{%s}},\n" % ", ".join(anomalies))
    w("}\n\n")


def emit_readiness(w):
    w("var readinessVectors = []readinessVector{\n")
    for days in range(0, 96):
        progress = [100 if days >= t else round(days / t * 100, 1) for t in (7, 14, 21, 30, 60, 90)]
        w("\t{days: %d, progress: %s},\n" % (days, floats(progress)))
    w("}\n\n")


def main():
    out = []
    w = out.append
    w("// Code generated by gen_vectors.py; DO NOT EDIT.\n")
    w("// Python %s, numpy %s, scipy %s.\n\n" % (sys.version.split()[0], np.__version__, scipy.__version__))
    w("package analytics\n\n")
    emit_baselines(w)
    emit_moments(w)
    emit_quantiles(w)
    emit_correlation(w)
    emit_hrv(w)
    emit_server_baselines(w)
    emit_users(w)
    emit_readiness(w)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    main()
