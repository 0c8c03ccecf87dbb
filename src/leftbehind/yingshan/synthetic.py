"""A synthetic questionnaire export calibrated to Yong et al. (2023).

**These are not real children.**  The real Yingshan data are available only on
request from the authors, so the pipeline and the analysis run on a generated
cohort that (a) reproduces every count the paper prints exactly and (b) fills
every gap with a value recorded, with its justification, in the assumptions
register ``data/synthetic/assumptions.csv``.  The generator reads its targets
from ``data/published/yong2023.csv`` and ``data/synthetic/calibration_targets.csv``
and its free parameters from the register, so the book's register table *is*
the generator's configuration.

Design (all seeded, vectorised numpy):

1. *Analysed pupils* (16,866): LBC status, sex and stage are fixed counts;
   the other covariates are drawn from the register's shares; pupils sit in
   schools (clusters) by stage and place of residence.
2. *Coping*: two correlated latent orientations -> seven factors -> 36 items
   on 1-4 (rounded continuous responses), with LBC and sex shifts.
3. *NSSI*: a logistic risk score (family, four coping factors, a school random
   intercept) plus Gumbel noise; within each group x sex x stage cell the top
   *k* pupils are cases, *k* fixed by the paper (IPF to the sex and stage
   margins).  A few within-cell swaps (and boarding flips among non-cases)
   then give the crude boarder odds ratio and its CI the printed 1.71 (1.33-2.18).
   Further swaps between cases and non-cases of similar risk remove chance
   associations with the candidates the paper did *not* retain
   (:func:`balance_null_effects`, also used for professional help).  Ranking by score + Gumbel noise is a draw from the
   conditional logistic model, so the score's coefficients are what a fitted
   model recovers.
4. *Help-seeking* among cases: exact category counts; professional help is
   the top of a second score (problem-solving +, patience -).
5. *Ages* are adjusted within their grade band until the mean and SD round to
   the printed 13.51 and 2.32.
6. *Excluded questionnaires*: 2,037 that break off part-way (incomplete) and
   102 complete but outside the age/grade criteria.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.core.fast_csv import write_csv
from leftbehind.spec.codebook import load_codebook
from leftbehind.core.paths import data_dir
from leftbehind.core.provenance import load_published

FACTORS = ("problem_solving", "social_support", "positive_reappraisal", "patience", "escape", "venting", "fantasy_denial")
STAGES = ("primary", "junior", "senior")
STAGE_GRADES = {"primary": (4, 5, 6), "junior": (7, 8, 9), "senior": (10, 11, 12)}
DEFAULT_SEED = 2023
#: Variables of the paper's final models (Tables 7 and 8) and the candidates it did not retain.
CANDIDATES = ["gender", "stage", "only_child", "residence", "boarder", "father_edu", "mother_edu", "family", *FACTORS]
NSSI_MODEL = ["gender", "stage", "family", "problem_solving", "social_support", "patience", "venting"]
NSSI_NULL = [c for c in CANDIDATES if c not in NSSI_MODEL]
HELP_MODEL = ["problem_solving", "patience"]
HELP_NULL = [c for c in CANDIDATES if c not in HELP_MODEL]


# --------------------------------------------------------------------------- inputs
def synthetic_dir() -> Path:
    return data_dir() / "synthetic"


def load_assumptions(path: Path | None = None) -> pd.DataFrame:
    """The assumptions register (id, assumption, value, justification, source), indexed by id."""
    table = pd.read_csv(path or synthetic_dir() / "assumptions.csv", dtype=str, keep_default_na=False)
    if table["id"].duplicated().any():
        raise ValueError("assumptions.csv: repeated id")
    return table.set_index("id")


def apply_overrides(register: pd.DataFrame, overrides: Mapping[str, str] | None) -> pd.DataFrame:
    """The register with some values replaced (``{id: ';'-separated value}``); unknown ids raise ``KeyError``.

    This is how the sensitivity analyses and the what-if notebook ask "what if we
    had assumed something else?" without touching ``assumptions.csv``.
    """
    if not overrides:
        return register
    unknown = [key for key in overrides if key not in register.index]
    if unknown:
        raise KeyError(f"assumptions.csv has no id {', '.join(unknown)}")
    changed = register.copy()
    for key, value in overrides.items():
        changed.loc[key, "value"] = str(value)
    return changed


def assumption_values(register: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each register value parsed as a float array (values are ';'-separated)."""
    return {key: np.array([float(v) for v in str(value).split(";")]) for key, value in register["value"].items()}


def load_targets() -> dict[str, float]:
    """Printed numbers (yong2023.csv) and derived counts (calibration_targets.csv) the cohort must match."""
    published = load_published("yong2023")["value"]
    derived = load_published("calibration_targets", synthetic_dir())["value"]
    return {**published.to_dict(), **derived.to_dict()}


# --------------------------------------------------------------------------- helpers
def split_counts(total: int, shares) -> np.ndarray:
    """Integer counts summing to ``total`` in proportion to ``shares`` (largest remainder)."""
    shares = np.asarray(shares, dtype=float) / np.sum(shares)
    raw = shares * total
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def shuffled_labels(rng, labels, counts) -> np.ndarray:
    """An array with exactly ``counts[i]`` copies of ``labels[i]``, in random order."""
    return rng.permutation(np.repeat(np.asarray(labels), counts))


def draw(rng, n, labels, shares) -> np.ndarray:
    return rng.choice(np.asarray(labels), size=n, p=np.asarray(shares) / np.sum(shares))


def ipf_round(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Integer 2 x k table near ``seed`` with the given row and column totals (IPF, then rounding the first row)."""
    table = seed.astype(float).copy()
    for _ in range(200):
        table *= (rows / table.sum(axis=1))[:, None]
        table *= (cols / table.sum(axis=0))[None, :]
    first = split_counts(int(rows[0]), table[0])
    out = np.vstack([first, cols - first])
    if (out < 0).any():
        raise ValueError("no non-negative table with these margins")
    return out


def top_k_within(score: np.ndarray, cells: np.ndarray, counts: dict) -> np.ndarray:
    """Boolean: within each cell, the ``counts[cell]`` rows with the highest score."""
    chosen = np.zeros(len(score), dtype=bool)
    for cell, k in counts.items():
        idx = np.flatnonzero(cells == cell)
        if k:
            chosen[idx[np.argsort(-score[idx], kind="stable")[:k]]] = True
    return chosen


# --------------------------------------------------------------------------- covariates
def schools(values) -> dict[tuple[str, str], list[str]]:
    """School ids by (place, stage) from the register's school counts."""
    towns, town_primary, town_junior, town_senior, county_primary, county_junior, county_senior = values.astype(int)
    out = {("town", "primary"): [], ("town", "junior"): [], ("town", "senior"): []}
    for t in range(1, towns + 1):
        out["town", "primary"] += [f"T{t}-P{k}" for k in range(1, town_primary + 1)]
        out["town", "junior"] += [f"T{t}-J{k}" for k in range(1, town_junior + 1)]
    out["town", "senior"] = [f"T{t}-S1" for t in range(1, town_senior + 1)]
    out["county", "primary"] = [f"C-P{k}" for k in range(1, county_primary + 1)]
    out["county", "junior"] = [f"C-J{k}" for k in range(1, county_junior + 1)]
    out["county", "senior"] = [f"C-S{k}" for k in range(1, county_senior + 1)]
    return out


#: The ninth sampling unit beside the eight towns.
COUNTY_TOWN = "county town"


def town_of(school_id: str) -> str:
    """The sampling unit of a school: ``"T<t>"`` for a town school (``T<t>-...``), ``"county town"`` otherwise.

    The paper sampled towns (all schools of eight towns plus the county town); the
    school ids :func:`schools` makes carry the town (register ``town_of_school``).
    """
    return school_id.split("-")[0] if school_id.startswith("T") else COUNTY_TOWN


def town_of_school(school_ids) -> pd.Series:
    """The town each school belongs to, read from the synthetic cohort's school ids.

    The paper sampled *towns* (all schools in eight towns plus the county town), so
    the town, not the school, is the primary sampling unit.  The generator names a
    town school ``T<t>-<level><k>`` (town ``t``) and a county-town school
    ``C-<level><k>`` (assumption ``schools``/``town_of_school`` in the register);
    this returns ``"T<t>"`` or ``"county town"`` (:func:`town_of`).  Real data need a town column instead: an id in
    any other form raises ``ValueError`` naming the ids.
    """
    ids = pd.Series(school_ids, dtype=str)
    bad = ids[~ids.str.match(r"^(T\d+|C)-[PJS]\d+$")].unique()
    if len(bad):
        raise ValueError(f"school_id: cannot tell the town of {len(bad)} school id(s) "
                         f"(first: {', '.join(map(str, bad[:5]))}); supply a town column for data not from the generator")
    return ids.map(town_of).rename("town")


def make_pupils(rng, n_lbc: int, n_nlbc: int, targets: dict, a: dict, lbc_girls: int) -> pd.DataFrame:
    """Demographics of the analysed pupils (LBC first); counts that the paper prints are exact."""
    n = n_lbc + n_nlbc
    lbc = np.r_[np.ones(n_lbc, bool), np.zeros(n_nlbc, bool)]
    girls_nlbc = int(round(a["nlbc_girl_share"][0] * n_nlbc))
    gender = np.r_[shuffled_labels(rng, ["girl", "boy"], [lbc_girls, n_lbc - lbc_girls]),
                   shuffled_labels(rng, ["girl", "boy"], [girls_nlbc, n_nlbc - girls_nlbc])]
    lbc_stage_counts = [int(targets[f"lbc_{s}_n"]) for s in STAGES]
    stage = np.r_[shuffled_labels(rng, STAGES, lbc_stage_counts),
                  shuffled_labels(rng, STAGES, split_counts(n_nlbc, a["nlbc_stage_shares"]))]
    grade = np.empty(n, dtype=int)
    for s in STAGES:
        idx = np.flatnonzero(stage == s)
        grade[idx] = rng.choice(STAGE_GRADES[s], size=len(idx))
    rural_lbc = int(targets["lbc_rural_n"])
    rural_nlbc = int(round(a["nlbc_rural_share"][0] * n_nlbc))
    residence = np.r_[shuffled_labels(rng, ["rural", "county_town"], [rural_lbc, n_lbc - rural_lbc]),
                      shuffled_labels(rng, ["rural", "county_town"], [rural_nlbc, n_nlbc - rural_nlbc])]
    family = np.r_[draw(rng, n_lbc, ["nuclear", "single_parent", "remarried"], a["family_lbc"]),
                   draw(rng, n_nlbc, ["nuclear", "single_parent", "remarried"], a["family_nlbc"])]
    only_p = np.where(lbc, a["only_child"][0], a["only_child"][1])
    only_child = np.where(rng.random(n) < only_p, "yes", "no")
    edu = ["below_junior", "junior_middle", "senior_middle", "college"]
    father_edu = np.r_[draw(rng, n_lbc, edu, a["father_edu_lbc"]), draw(rng, n_nlbc, edu, a["father_edu_nlbc"])]
    mother_edu = np.r_[draw(rng, n_lbc, edu, a["mother_edu_lbc"]), draw(rng, n_nlbc, edu, a["mother_edu_nlbc"])]
    # who is away: LBC by pattern with 6-12 months; some NLBC with a parent away 1-5 months
    pattern = draw(rng, n_lbc, ["father", "mother", "both"], a["lbc_parents_away"])
    nlbc_away = rng.random(n_nlbc) < a["nlbc_parent_away_share"][0]
    nlbc_pattern = np.where(nlbc_away, draw(rng, n_nlbc, ["father", "mother", "both"], a["lbc_parents_away"]), "none")
    pattern = np.r_[pattern, nlbc_pattern]
    father_away = np.isin(pattern, ["father", "both"])
    mother_away = np.isin(pattern, ["mother", "both"])
    months = np.where(lbc, rng.integers(6, 13, size=n), np.where(pattern != "none", rng.integers(1, 6, size=n), 0))
    # schools: county-town residents and some rural pupils attend county-town schools
    at_county = (residence == "county_town") | (rng.random(n) < a["rural_at_county_school"][0])
    school_lists = schools(a["schools"])
    school = np.empty(n, dtype=object)
    for place in ("town", "county"):
        for s in STAGES:
            idx = np.flatnonzero((at_county == (place == "county")) & (stage == s))
            school[idx] = rng.choice(school_lists[place, s], size=len(idx))
    board_p = a["boarder_by_stage"][[STAGES.index(s) for s in stage]] * np.where(residence == "rural", 1.0, 0.6)
    boarder = np.where(rng.random(n) < board_p, "yes", "no")
    return pd.DataFrame({
        "school_id": school, "gender": gender, "grade": grade, "stage": stage, "only_child": only_child,
        "boarder": boarder, "residence": residence, "father_away": father_away, "mother_away": mother_away,
        "months_apart": months, "father_edu": father_edu, "mother_edu": mother_edu, "family": family, "lbc": lbc,
    })


def calibrate_ages(rng, grade: np.ndarray, mean: float, sd: float, band, limits=(10, 18)) -> np.ndarray:
    """Whole-year ages within each grade's band whose mean and SD round (2 dp) to ``mean`` and ``sd``."""
    low = np.maximum(limits[0], grade + int(band[0]))
    high = np.minimum(limits[1], grade + int(band[1]))
    age = np.clip(grade + 6 + rng.integers(-1, 2, size=len(grade)), low, high)
    n = len(age)
    for _ in range(10_000):
        m, s = age.mean(), age.std(ddof=1)
        if round(m, 2) == mean and round(s, 2) == sd:
            return age
        want_var = np.sign(sd - s) if round(s, 2) != sd else 0
        d_sum = mean * n - age.sum()
        if round(m, 2) != mean:
            up = d_sum > 0
            movable = (age < high) if up else (age > low)
            side = (age >= m) if (want_var > 0) == up else (age < m)
            pool = np.flatnonzero(movable & side) if want_var else np.flatnonzero(movable)
            if len(pool) == 0:
                pool = np.flatnonzero(movable)
            k = max(1, min(len(pool), int(abs(d_sum) / 3)))
            age[rng.choice(pool, size=k, replace=False)] += 1 if up else -1
        else:  # paired moves keep the mean, change the spread
            hi_side, lo_side = age >= m, age < m
            if want_var > 0:
                ups, downs = np.flatnonzero(hi_side & (age < high)), np.flatnonzero(lo_side & (age > low))
            else:
                ups, downs = np.flatnonzero(lo_side & (age < high)), np.flatnonzero(hi_side & (age > low))
            target_q = (sd**2) * (n - 1) + age.sum() ** 2 / n
            k = max(1, min(len(ups), len(downs), int(abs(target_q - (age.astype(float) ** 2).sum()) / 12)))
            age[rng.choice(ups, size=k, replace=False)] += 1
            age[rng.choice(downs, size=k, replace=False)] -= 1
    raise RuntimeError("age calibration did not converge")


# --------------------------------------------------------------------------- coping
def coping_items(rng, lbc: np.ndarray, boy: np.ndarray, a: dict, factor_items: dict) -> pd.DataFrame:
    """36 item responses (1-4) from two correlated orientations -> seven factors -> items."""
    n = len(lbc)
    r = a["coping_orientation_correlation"][0]
    orient = rng.multivariate_normal([0, 0], [[1, r], [r, 1]], size=n)
    lam, item_l = a["coping_factor_loading"][0], a["coping_item_loading"][0]
    shift = a["coping_lbc_shift"]
    items = {}
    for k, factor in enumerate(FACTORS):
        block = 0 if k < 3 else 1
        latent = lam * orient[:, block] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
        latent = latent + shift[k] * lbc + (a["coping_escape_boys"][0] * boy if factor == "escape" else 0)
        for item in factor_items[factor]:
            response = item_l * latent + np.sqrt(1 - item_l**2) * rng.standard_normal(n)
            value = a["coping_item_means"][k] + a["coping_item_sd"][0] * response
            items[item] = np.clip(np.rint(value), 1, 4).astype(int)
    return pd.DataFrame(items)


def standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


# --------------------------------------------------------------------------- outcomes
def case_counts(pupils: pd.DataFrame, targets: dict, a: dict) -> dict:
    """Exact NSSI case counts per (lbc, gender, stage) cell."""
    out = {}
    lbc_stage = a["nssi_lbc_stage_counts"].astype(int)
    if lbc_stage[1] != int(targets["nssi_lbc_junior_n"]) or lbc_stage.sum() != int(targets["nssi_lbc_n"]):
        raise ValueError("assumptions.csv nssi_lbc_stage_counts disagree with the published targets")
    for is_lbc in (True, False):
        group = pupils[pupils["lbc"] == is_lbc]
        sizes = np.array([[((group["gender"] == g) & (group["stage"] == s)).sum() for s in STAGES] for g in ("girl", "boy")])
        if is_lbc:
            stage_totals = lbc_stage
            girls = int(targets["nssi_lbc_girls_n"])
            rows = np.array([girls, stage_totals.sum() - girls])
            seed = sizes * np.array([[2.0], [1.0]])
        else:
            stage_totals = np.rint(a["nssi_nlbc_stage_rates"] * sizes.sum(axis=0)).astype(int)
            seed = sizes * np.array([[a["nlbc_girl_or"][0]], [1.0]])
            share = seed / seed.sum(axis=0)
            girls = int(sum(split_counts(int(t), share[:, j])[0] for j, t in enumerate(stage_totals)))
            rows = np.array([girls, stage_totals.sum() - girls])
        table = ipf_round(seed, rows, stage_totals)
        for i, g in enumerate(("girl", "boy")):
            for j, s in enumerate(STAGES):
                out[(is_lbc, g, s)] = int(table[i, j])
    return out


def boarder_table_target(n: int, cases: int, a0: int, boarders0: int, target: tuple[float, float, float]):
    """The (boarder cases, boarders) nearest to the current ones whose crude OR and Wald 95 % CI round to ``target``.

    Every table is screened by its odds ratio alone (a value that rounds to ``target[0]`` lies within 0.005 of
    it; 0.006 leaves room for rounding error), then the few tables left are tested exactly -- the same tables,
    in the same order, as testing all of them, in a hundredth of the time.
    """
    def other_cells(a, nb):  # non-boarder cases, boarder non-cases, non-boarder non-cases
        return nb - a, cases - a, n - nb - (cases - a)

    a = np.arange(1, cases)[:, None]
    nb = np.arange(cases, n - cases)[None, :]
    b, c, d = other_cells(a, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        near = (b > 0) & (d > 0) & (np.abs(a * d / (b * c) - target[0]) <= 0.006)
    rows, cols = np.nonzero(near)
    a, nb = a[rows, 0], nb[0, cols]
    b, c, d = other_cells(a, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_or = np.log(a * d / (b * c))
        se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        ok = np.ones(len(rows), dtype=bool)
        for value, estimate in zip(target, (log_or, log_or - 1.959964 * se, log_or + 1.959964 * se)):
            ok &= np.round(np.exp(estimate), 2) == value
    if not ok.any():
        raise RuntimeError("no boarder table reproduces the printed odds ratio and CI")
    a, nb = a[ok], nb[ok]
    distance = np.abs(a - a0) * 50 + np.abs(nb - boarders0)
    best = np.argmin(distance)
    return int(a[best]), int(nb[best])


def match_boarder_or(rng, nssi, score, cells, boarder, target: tuple[float, float, float]):
    """Make the crude boarder OR and its CI among these pupils round to the printed ones; return (nssi, boarder).

    The nearest reproducing table is found by search; it is reached by swapping cases with the
    highest-scoring non-case of the other boarding status inside the same sex x stage cell (case counts per
    cell are kept), then by flipping the boarding status of random non-cases.
    """
    nssi, board = nssi.copy(), boarder == "yes"
    want_a, want_boarders = boarder_table_target(len(nssi), int(nssi.sum()), int((nssi & board).sum()),
                                                 int(board.sum()), target)
    for _ in range(10_000):
        a_now = int((nssi & board).sum())
        if a_now == want_a:
            break
        raise_a = a_now < want_a
        leaving = nssi & (board != raise_a)
        cell = cells[rng.choice(np.flatnonzero(leaving))]
        out_pool = np.flatnonzero(leaving & (cells == cell))
        in_pool = np.flatnonzero(~nssi & (board == raise_a) & (cells == cell))
        if len(in_pool):
            nssi[out_pool[np.argmin(score[out_pool])]] = False
            nssi[in_pool[np.argmax(score[in_pool])]] = True
    gap = want_boarders - int(board.sum())
    pool = np.flatnonzero(~nssi & (~board if gap > 0 else board))
    board[rng.choice(pool, size=abs(gap), replace=False)] = gap > 0
    return nssi, np.where(board, "yes", "no")


def design(frame: pd.DataFrame, z: dict, columns: list[str]) -> np.ndarray:
    """Dummy-coded (first level = reference) categorical columns and standardised coping factors, as a matrix."""
    reference = {"gender": "boy", "stage": "primary", "only_child": "no", "residence": "rural", "boarder": "no",
                 "father_edu": "below_junior", "mother_edu": "below_junior", "family": "nuclear"}
    parts = []
    for name in columns:
        if name in z:
            parts.append(np.asarray(z[name], dtype=float)[:, None])
        else:
            values = frame[name].to_numpy()
            levels = [v for v in sorted(set(values)) if v != reference[name]]
            parts.append(np.column_stack([(values == v).astype(float) for v in levels]))
    return np.column_stack(parts)


def logistic_fit(X: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Maximum-likelihood logistic coefficients by Newton-Raphson (X includes the constant).

    Used only inside the generator's calibration loop, where importing statsmodels would cost the
    ``simulate`` command its time budget; tests check it against ``statsmodels`` ``Logit``.
    """
    beta = np.zeros(X.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-X @ beta))
        step = np.linalg.solve(X.T @ ((p * (1 - p))[:, None] * X), X.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def balance_null_effects(rng, y, cells, model, null, max_z: float, max_swaps: int = 600, window: float = 0.15):
    """Reduce chance associations between the outcome and covariates the paper found unrelated.

    Calibration, like the exact counts: the paper reports which variables its backward elimination kept, so
    the synthetic outcome should carry no sizeable *adjusted* association with the others.  With the fitted
    probabilities p of a logistic model on ``model`` (plus a constant), each ``null`` column is residualised on
    the model (weighted least squares) and its score statistic z = sum(x~ (y - p)) / sqrt(sum(w x~^2)) computed.
    While some |z| >= ``max_z``, one case and one non-case of the same cell (``cells`` also encodes anything that
    must stay fixed, e.g. boarding) and similar fitted risk swap outcomes, choosing the swap that most reduces
    the sum of squared null z while keeping the model's own score equations near zero (``window`` bounds the
    difference in fitted log-odds of a swapped pair).  Returns the new y.
    """
    y = y.copy()
    X = np.column_stack([np.ones(len(y)), model])
    _, codes = np.unique(cells, return_inverse=True)
    members = [np.flatnonzero(codes == c) for c in range(codes.max() + 1)]
    for _ in range(3):
        params = logistic_fit(X, y.astype(float))
        p = 1 / (1 + np.exp(-X @ params))
        w = p * (1 - p)
        beta = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w[:, None] * null))
        resid = null - X @ beta
        scale = np.sqrt((w[:, None] * resid**2).sum(axis=0))
        info_m = np.sqrt((w[:, None] * X**2).sum(axis=0))
        xn, xm = resid / scale, X / info_m  # unit-scaled: z = column sums of x * (y - p)
        zn, zm = xn.T @ (y - p), xm.T @ (y - p)
        eta = X @ params
        for _ in range(max_swaps // 3):
            if np.abs(zn).max() < max_z:
                break
            j = int(np.argmax(np.abs(zn)))
            sign = np.sign(zn[j])
            cases = np.flatnonzero(y)
            top = cases[np.argsort(-sign * xn[cases, j])[:8]]
            best, best_gain = None, 0.0
            for i in top:
                group = members[codes[i]]
                group = group[~y[group]]
                pool = group[np.abs(eta[group] - eta[i]) < window]
                if len(pool) == 0:
                    continue
                d_n = xn[i][None, :] - xn[pool]
                d_m = xm[i][None, :] - xm[pool]
                new = ((zn[None, :] - d_n) ** 2).sum(axis=1) + ((zm[None, :] - d_m) ** 2).sum(axis=1)
                gain = (zn**2).sum() + (zm**2).sum() - new
                k = int(np.argmax(gain))
                if gain[k] > best_gain:
                    best, best_gain = (i, pool[k]), gain[k]
            if best is None:
                break
            i, k = best
            y[i], y[k] = False, True
            zn -= xn[i] - xn[k]
            zm -= xm[i] - xm[k]
    return y


def assign_treatment(rng, cases: np.ndarray, help_score: np.ndarray, counts: dict, a: dict) -> np.ndarray:
    """Treatment codes for the cases: professional = top of help score + Gumbel; codes 4-8 split by the register."""
    treatment = np.zeros(len(cases), dtype=int)
    idx = np.flatnonzero(cases)
    noisy = help_score[idx] + rng.gumbel(size=len(idx))
    order = idx[np.argsort(-noisy, kind="stable")]
    n_prof = counts["professional"]
    treatment[order[:n_prof]] = shuffled_labels(rng, [4, 5, 6, 7, 8], split_counts(n_prof, a["professional_codes"]))
    rest = counts["none"], counts["refused"], counts["self_help"]
    treatment[order[n_prof:]] = shuffled_labels(rng, [1, 2, 3], list(rest))
    return treatment


# --------------------------------------------------------------------------- excluded questionnaires
def extra_pupils(rng, n: int, a: dict, targets: dict, factor_items: dict) -> pd.DataFrame:
    """Questionnaires that will be excluded: same generator, random LBC status, 4 % NSSI."""
    n_lbc = int(round(n * targets["lbc_n"] / targets["analysed"]))
    girls = int(round(n_lbc * targets["lbc_girls_n"] / targets["lbc_n"]))
    fake_targets = dict(targets)
    shares = [targets[f"lbc_{s}_n"] / targets["lbc_n"] for s in STAGES]
    for s, c in zip(STAGES, split_counts(n_lbc, shares)):
        fake_targets[f"lbc_{s}_n"] = c
    fake_targets["lbc_rural_n"] = int(round(n_lbc * targets["lbc_rural_n"] / targets["lbc_n"]))
    pupils = make_pupils(rng, n_lbc, n - n_lbc, fake_targets, a, girls)
    pupils["age"] = np.clip(pupils["grade"] + 6 + rng.integers(-1, 2, size=n), 10, 18)
    items = coping_items(rng, pupils["lbc"].to_numpy(), (pupils["gender"] == "boy").to_numpy(), a, factor_items)
    nssi = rng.random(n) < a["extra_nssi_rate"][0]
    shares = [targets["help_none_n"], targets["help_refused_n"], targets["help_self_help_n"], targets["help_professional_n"]]
    treatment = np.where(nssi, draw(rng, n, [1, 2, 3, 4], shares), 0)
    treatment = np.where(treatment == 4, draw(rng, n, [4, 5, 6, 7, 8], a["professional_codes"]), treatment)
    return pd.concat([pupils, items], axis=1).assign(nssi=nssi, treatment=treatment)


def make_out_of_range(rng, rows: pd.DataFrame, split) -> pd.DataFrame:
    """Set age/grade outside the inclusion criteria: aged 9; aged 10 in grade 3; aged 19 in grade 12."""
    rows = rows.copy()
    n9, n10, n19 = split.astype(int)
    age = np.r_[np.full(n9, 9), np.full(n10, 10), np.full(n19, 19)]
    grade = np.r_[rng.choice([3, 4], size=n9), np.full(n10, 3), np.full(n19, 12)]
    rows["age"], rows["grade"] = age, grade
    rows["stage"] = np.where(grade <= 6, "primary", "senior")
    return rows


# --------------------------------------------------------------------------- raw export
def to_raw(frame: pd.DataFrame, codebook) -> pd.DataFrame:
    """Encode analysis-style values as raw codes in codebook column order (blank = <NA>)."""
    raw = pd.DataFrame(index=frame.index)
    for column in codebook.columns:
        name = column.name
        if name in ("response_id", "school_id"):
            raw[name] = frame[name].astype(str)
        elif column.type == "code" and name not in ("nssi", "treatment"):
            lookup = {str(entry["level"]): code for code, entry in column.codes.items()}
            text = (lambda v: str(v).lower()) if frame[name].dtype == bool else str
            where, distinct = pd.factorize(frame[name], use_na_sentinel=False)  # each distinct value looked up once
            codes = pd.array([lookup.get(text(v)) for v in distinct], dtype="Int64")
            raw[name] = pd.Series(codes.take(where), index=frame.index)
        elif name == "nssi":
            raw[name] = np.where(frame["nssi"].astype(bool), 1, 2)
            raw[name] = raw[name].astype("Int64")
        elif name == "treatment":
            raw[name] = frame["treatment"].astype("Int64").where(frame["nssi"].astype(bool))
        else:
            raw[name] = frame[name].astype("Int64")
    return raw


def break_off(rng, raw: pd.DataFrame, rows: np.ndarray, codebook) -> pd.DataFrame:
    """Blank every answer from a random position onwards in ``rows`` (an abandoned online questionnaire)."""
    answers = [c.name for c in codebook.columns if c.blank != "error"]
    start = rng.integers(0, len(answers), size=len(rows))
    for j, name in enumerate(answers):
        hit = rows[start <= j]
        raw.loc[hit, name] = pd.NA
    return raw


def simulate_raw(seed: int = DEFAULT_SEED, overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The synthetic raw export (one row per questionnaire, codebook columns, blanks as <NA>).

    ``overrides`` replaces assumption-register values for this run only (see :func:`apply_overrides`).
    """
    rng = np.random.default_rng(seed)
    codebook = load_codebook()
    targets = load_targets()
    a = assumption_values(apply_overrides(load_assumptions(), overrides))
    factor_items = codebook.factor_items()
    n_lbc = int(targets["lbc_n"])
    n_analysed = int(targets["analysed"])
    n_nlbc = n_analysed - n_lbc

    pupils = make_pupils(rng, n_lbc, n_nlbc, targets, a, int(targets["lbc_girls_n"]))
    pupils["age"] = calibrate_ages(rng, pupils["grade"].to_numpy(), targets["age_mean"], targets["age_sd"], a["age_band"])
    lbc = pupils["lbc"].to_numpy()
    items = coping_items(rng, lbc, (pupils["gender"] == "boy").to_numpy(), a, factor_items)
    z = {f: standardise(items[factor_items[f]].mean(axis=1).to_numpy()) for f in FACTORS}

    # NSSI: risk score + Gumbel, exact counts per group x sex x stage cell
    schools_seen = np.unique(pupils["school_id"])
    school_effect = dict(zip(schools_seen, rng.normal(0, a["school_effect_sd"][0], size=len(schools_seen))))
    if a["town_effect_sd"][0] > 0:  # own stream, so the default (no town effect) leaves every other draw unchanged
        towns = sorted({town_of(s) for s in schools_seen})
        town_rng = np.random.default_rng([seed, 1])
        town_effect = dict(zip(towns, town_rng.normal(0, a["town_effect_sd"][0], size=len(towns))))
        school_effect = {s: e + town_effect[town_of(s)] for s, e in school_effect.items()}
    family_or = np.log(a["nssi_family_or"])
    coef = a["nssi_coping_log_or"]
    risk = (
        family_or[0] * (pupils["family"] == "single_parent") + family_or[1] * (pupils["family"] == "remarried")
        + coef[0] * z["problem_solving"] + coef[1] * z["social_support"] + coef[2] * z["patience"] + coef[3] * z["venting"]
        + pupils["school_id"].map(school_effect)
    ).to_numpy(dtype=float)
    score = risk + rng.gumbel(size=len(risk))
    cells = (pd.Series(np.where(lbc, "True", "False")) + "|" + pupils["gender"].to_numpy(dtype=str) + "|"
             + pupils["stage"].to_numpy(dtype=str)).to_numpy(dtype=str)  # "True|girl|junior": group x sex x stage
    counts = {f"{l}|{g}|{s}": k for (l, g, s), k in case_counts(pupils, targets, a).items()}
    nssi = top_k_within(score, cells, counts)
    in_lbc = np.flatnonzero(lbc)
    nssi[in_lbc], boarder_lbc = match_boarder_or(rng, nssi[in_lbc], score[in_lbc], cells[in_lbc],
                                                 pupils["boarder"].to_numpy()[in_lbc],
                                                 (targets["or_boarder"], targets["or_boarder_ci_low"],
                                                  targets["or_boarder_ci_high"]))
    pupils.loc[lbc, "boarder"] = boarder_lbc
    lbc_rows = pupils.loc[lbc].reset_index(drop=True)
    z_lbc = {f: z[f][lbc] for f in FACTORS}
    keep = np.array([f"{c}|{b}" for c, b in zip(cells[in_lbc], lbc_rows["boarder"])])
    nssi[in_lbc] = balance_null_effects(rng, nssi[in_lbc], keep, design(lbc_rows, z_lbc, NSSI_MODEL),
                                        design(lbc_rows, z_lbc, NSSI_NULL), a["null_balance_max_z"][0])

    # help-seeking among cases, exact counts (NLBC in the same proportions)
    help_coef = a["professional_log_or"]
    help_score = help_coef[0] * z["problem_solving"] + help_coef[1] * z["patience"]
    lbc_counts = {k: int(targets[f"help_{k}_n"]) for k in ("none", "refused", "self_help", "professional")}
    nlbc_cases = int((nssi & ~lbc).sum())
    nlbc_counts = dict(zip(lbc_counts, split_counts(nlbc_cases, list(lbc_counts.values()))))
    treatment = assign_treatment(rng, nssi & lbc, help_score, lbc_counts, a)
    case_rows = np.flatnonzero(nssi & lbc)
    cases_frame = pupils.iloc[case_rows].reset_index(drop=True)
    z_cases = {f: z[f][case_rows] for f in FACTORS}
    professional = treatment[case_rows] >= 4
    balanced = balance_null_effects(rng, professional, np.zeros(len(case_rows), dtype=int),
                                    design(cases_frame, z_cases, HELP_MODEL), design(cases_frame, z_cases, HELP_NULL),
                                    a["null_balance_max_z"][0], window=0.4)
    moved_in, moved_out = case_rows[balanced & ~professional], case_rows[~balanced & professional]
    treatment[moved_in], treatment[moved_out] = treatment[moved_out], treatment[moved_in]
    treatment += assign_treatment(rng, nssi & ~lbc, help_score, nlbc_counts, a)
    analysed = pd.concat([pupils, items], axis=1).assign(nssi=nssi, treatment=treatment)

    # excluded questionnaires
    n_incomplete = int(targets["collected"] - targets["valid_methods"])
    n_out = int(targets["valid_methods"] - targets["analysed"])
    extra = extra_pupils(rng, n_incomplete + n_out, a, targets, factor_items)
    extra = pd.concat([extra.iloc[:n_incomplete], make_out_of_range(rng, extra.iloc[n_incomplete:], a["out_of_range_split"])])
    everyone = pd.concat([analysed, extra], ignore_index=True)
    everyone["response_id"] = ""
    raw = to_raw(everyone, codebook)
    raw = break_off(rng, raw, np.arange(len(analysed), len(analysed) + n_incomplete), codebook)

    order = rng.permutation(len(raw))
    raw = raw.iloc[order].reset_index(drop=True)
    raw["response_id"] = [f"Q{i:05d}" for i in range(1, len(raw) + 1)]
    return raw


def write_raw(raw: pd.DataFrame, path: Path) -> Path:
    """Write the export as the contract's CSV (UTF-8, comma, blanks empty, ``\n`` line ends).

    :func:`leftbehind.core.fast_csv.write_csv` writes pandas' bytes several times faster (each scenario of the
    robustness chapter writes one export).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(raw, path)
    return path


# --------------------------------------------------------------------------- fidelity
def _odds_ratio(table) -> tuple[float, float, float]:
    from statsmodels.stats.contingency_tables import Table2x2

    fitted = Table2x2(np.asarray(table, dtype=float))
    low, high = fitted.oddsratio_confint()
    return float(fitted.oddsratio), float(low), float(high)


def calibrated_values(analysis: pd.DataFrame, flow: dict) -> dict[str, tuple[float, str]]:
    """Each calibrated number computed from the pipeline's output, keyed like ``yong2023.csv`` (value, what it is)."""
    lbc = analysis[analysis["lbc"]]
    nlbc = analysis[~analysis["lbc"]]
    cases = lbc[lbc["nssi"] == 1]
    pct = lambda part, whole: 100 * part / whole  # noqa: E731
    girl = lbc["gender"] == "girl"
    board = lbc["boarder"] == "yes"
    nssi = lbc["nssi"] == 1

    def two_by_two(exposed):
        return [[(exposed & nssi).sum(), (exposed & ~nssi).sum()], [(~exposed & nssi).sum(), (~exposed & ~nssi).sum()]]

    or_girl, or_girl_low, or_girl_high = _odds_ratio(two_by_two(girl))
    or_board, or_board_low, or_board_high = _odds_ratio(two_by_two(board))
    help_counts = cases["help_seeking"].value_counts()
    county = analysis[analysis["residence"] == "county_town"].groupby("lbc")["nssi"].mean()
    junior = analysis[analysis["stage"] == "junior"].groupby("lbc")["nssi"].mean()
    values = {
        "collected": (flow["collected"], "questionnaires"),
        "valid_methods": (flow["valid"], "complete questionnaires"),
        "valid_rate_pct": (pct(flow["valid"], flow["collected"]), "valid / collected"),
        "analysed": (flow["analysed"], "analysed pupils"),
        "lbc_n": (len(lbc), "left-behind children"),
        "lbc_share_pct": (pct(len(lbc), len(analysis)), "LBC / analysed"),
        "lbc_boys_n": ((~girl).sum(), "boys among LBC"),
        "lbc_girls_n": (girl.sum(), "girls among LBC"),
        "lbc_boys_pct": (pct((~girl).sum(), len(lbc)), "boys / LBC"),
        "lbc_girls_pct": (pct(girl.sum(), len(lbc)), "girls / LBC"),
        "age_mean": (analysis["age"].mean(), "mean age, all analysed"),
        "age_sd": (analysis["age"].std(), "SD of age, all analysed"),
        "lbc_rural_pct": (pct((lbc["residence"] == "rural").sum(), len(lbc)), "rural / LBC"),
        "nssi_lbc_n": (len(cases), "LBC with NSSI"),
        "nssi_lbc_pct": (pct(len(cases), len(lbc)), "NSSI / LBC"),
        "or_girls_vs_boys": (or_girl, "OR girls vs boys, LBC"),
        "or_girls_vs_boys_ci_low": (or_girl_low, "lower 95% limit"),
        "or_girls_vs_boys_ci_high": (or_girl_high, "upper 95% limit"),
        "nssi_junior_lbc_pct": (100 * junior[True], "NSSI, junior-middle LBC"),
        "nssi_junior_nlbc_pct": (100 * junior[False], "NSSI, junior-middle NLBC"),
        "nssi_county_first_pct": (100 * county[False], "NSSI, county-town NLBC (our reading; not calibrated)"),
        "nssi_county_second_pct": (100 * county[True], "NSSI, county-town LBC (our reading; not calibrated)"),
        "or_boarder": (or_board, "OR boarders vs non-boarders, LBC"),
        "or_boarder_ci_low": (or_board_low, "lower 95% limit"),
        "or_boarder_ci_high": (or_board_high, "upper 95% limit"),
        "help_no_treatment_pct": (pct(help_counts.get("none", 0), len(cases)), "no treatment / LBC with NSSI"),
        "help_refused_pct": (pct(help_counts.get("refused", 0), len(cases)), "refused / LBC with NSSI"),
        "help_self_help_pct": (pct(help_counts.get("self_help", 0), len(cases)), "self-help / LBC with NSSI"),
        "help_professional_pct": (pct(help_counts.get("professional", 0), len(cases)), "professional / LBC with NSSI"),
    }
    for stage in STAGES:
        n = (lbc["stage"] == stage).sum()
        values[f"lbc_{stage}_n"] = (n, f"{stage} stage among LBC")
        values[f"lbc_{stage}_pct"] = (pct(n, len(lbc)), f"{stage} / LBC")
    values["nlbc_n"] = (len(nlbc), "other pupils")
    return values


#: Printed numbers we report but do not calibrate (the sentence is ambiguous about which group is which).
NOT_CALIBRATED = ("nssi_county_first_pct", "nssi_county_second_pct")


def fidelity_table(analysis: pd.DataFrame, flow: dict, published: pd.DataFrame) -> pd.DataFrame:
    """Every calibrated number next to the paper's printed value (keys read from ``yong2023.csv`` at run time).

    ``synthetic`` is rounded to the paper's printed decimals; ``matches`` says whether it equals the printed value.
    Keys absent from the published file are skipped.
    """
    rows = []
    for key, (value, what) in calibrated_values(analysis, flow).items():
        if key not in published.index:
            continue
        entry = published.loc[key]
        decimals = int(entry["decimals"])
        shown = round(float(value), decimals)
        rows.append({
            "key": key, "what": what, "paper": entry["printed"],
            "synthetic": f"{shown:.{decimals}f}",
            "matches": ("yes" if shown == float(entry["value"]) else "no") + (" (not calibrated)" if key in NOT_CALIBRATED else ""),
            "where in the paper": f"{entry['section']}, {entry['paragraph']}",
        })
    return pd.DataFrame(rows)
