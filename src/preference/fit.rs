//! The solvers: L2-regularised logistic regression (soft labels for sliders, Bradley–Terry
//! comparison rows for picks, all in one fit) and softmax regression for N classes, both fitted
//! fully by Newton's method with a backtracking line search.
//!
//! A fit minimises `Σ_i w_i · loss_i(θ) + ½ Σ_j λ_j θ_j²` — scikit-learn's objective with
//! `C = 1/λ` and an unpenalised intercept — so the two agree on the same labels.
//!
//! Speed comes from the design's shape: a row is a few dense columns (the 32 z values and the
//! intercept) plus a handful of hot one-hot columns (8 for a character, up to 16 for a
//! comparison). [`Design::gram`] builds `Xᵀ diag(d) X` from a GEMM on the dense block and
//! O(nnz²) scatter per row for the rest, so a Newton step on 1 000 labels costs about as much
//! as the 161 × 161 Cholesky factorisation it ends with.

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array1, Array2, ArrayViewMut2, Axis};
use serde::{Deserialize, Serialize};

/// How hard a fit pulls weights towards zero and when it stops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FitOptions {
    /// L2 strength λ on every weight (not the intercept); scikit-learn's `C` is `1/λ`.
    pub l2: f64,
    /// Newton steps at most; a fit converges in 5–10.
    pub max_iterations: usize,
    /// Stop when half the Newton decrement `gᵀ H⁻¹ g / 2` (what the next step would still gain)
    /// falls below this; that last step is then taken, so the objective ends within about its
    /// square of the optimum.
    pub tolerance: f64,
    /// Learn the L2 strength per gene from the labels (automatic relevance determination): genes
    /// the owner does not care about are shrunk away, so fewer labels reach a given accuracy.
    /// Taste models only; `l2` is then the starting strength. Off, a fit is scikit-learn's.
    pub relevance: bool,
    /// Evidence updates at most when `relevance` is on (each one a warm-started Newton fit).
    pub relevance_rounds: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            l2: 1.0,
            max_iterations: 50,
            tolerance: 1e-3,
            relevance: false,
            relevance_rounds: 12,
        }
    }
}

impl FitOptions {
    /// Check the options, naming what is wrong.
    pub fn check(&self) -> Result<(), super::PreferenceError> {
        if !(self.l2 > 0.0 && self.l2.is_finite()) {
            return Err(super::PreferenceError::InvalidOption(format!(
                "l2 must be a positive number (it keeps every fit well posed), got {}",
                self.l2
            )));
        }
        if self.max_iterations == 0 {
            return Err(super::PreferenceError::InvalidOption(
                "max_iterations must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// The penalty on the intercept: not zero, so a fit on comparisons alone (where the intercept
/// never appears) stays well posed and leaves it at 0.
const INTERCEPT_L2: f64 = 1e-6;

/// A structured design matrix: `dense` columns (the last one is the intercept, 1 for a labelled
/// character and 0 for a comparison) followed by `sparse` columns stored per row.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    /// n × dd, the intercept as its last column.
    dense: Array2<f64>,
    /// Start of each row's entries in `cols`/`vals` (n + 1 entries).
    row_ptr: Vec<usize>,
    /// Sparse column of each entry, counted from the first sparse column.
    cols: Vec<u32>,
    /// Value of each entry (±1 for one-hot features and their differences).
    vals: Vec<f64>,
    /// Sparse columns.
    ds: usize,
}

/// Collects rows before the dense block is frozen into an `Array2`.
pub(crate) struct DesignBuilder {
    /// Dense values row after row, intercept included.
    dense: Vec<f64>,
    /// Dense columns including the intercept.
    dd: usize,
    /// As in [`Design`].
    row_ptr: Vec<usize>,
    /// As in [`Design`].
    cols: Vec<u32>,
    /// As in [`Design`].
    vals: Vec<f64>,
    /// Sparse columns.
    ds: usize,
}

impl DesignBuilder {
    /// A builder for about `rows` rows of `dense` feature columns (the intercept is added) and
    /// `sparse` ones.
    pub fn new(dense: usize, sparse: usize, rows: usize) -> Self {
        let mut row_ptr = Vec::with_capacity(rows + 1);
        row_ptr.push(0);
        DesignBuilder {
            dense: Vec::with_capacity(rows * (dense + 1)),
            dd: dense + 1,
            row_ptr,
            cols: Vec::with_capacity(rows * 8),
            vals: Vec::with_capacity(rows * 8),
            ds: sparse,
        }
    }

    /// Append a row whose sparse columns are distinct (a character's hot columns).
    pub fn push(
        &mut self,
        dense: &[f64],
        intercept: f64,
        sparse: impl IntoIterator<Item = (u32, f64)>,
    ) {
        debug_assert_eq!(dense.len() + 1, self.dd);
        self.dense.extend_from_slice(dense);
        self.dense.push(intercept);
        for (c, v) in sparse {
            self.cols.push(c);
            self.vals.push(v);
        }
        self.row_ptr.push(self.cols.len());
    }

    /// Append a row whose sparse entries may repeat a column (a comparison's two characters):
    /// repeats are summed and zeros dropped.
    pub fn push_merged(
        &mut self,
        dense: &[f64],
        intercept: f64,
        sparse: impl IntoIterator<Item = (u32, f64)>,
    ) {
        debug_assert_eq!(dense.len() + 1, self.dd);
        self.dense.extend_from_slice(dense);
        self.dense.push(intercept);
        let start = self.cols.len();
        for (c, v) in sparse {
            debug_assert!((c as usize) < self.ds);
            if let Some(k) = self.cols[start..].iter().position(|x| *x == c) {
                self.vals[start + k] += v;
            } else {
                self.cols.push(c);
                self.vals.push(v);
            }
        }
        // Drop entries that cancelled (a comparison of two characters sharing a value).
        let mut k = start;
        while k < self.cols.len() {
            if self.vals[k] == 0.0 {
                self.cols.swap_remove(k);
                self.vals.swap_remove(k);
            } else {
                k += 1;
            }
        }
        self.row_ptr.push(self.cols.len());
    }

    /// The finished design.
    pub fn build(self) -> Design {
        let n = self.row_ptr.len() - 1;
        let dense = Array2::from_shape_vec((n, self.dd), self.dense).expect("rows × dense columns");
        Design {
            dense,
            row_ptr: self.row_ptr,
            cols: self.cols,
            vals: self.vals,
            ds: self.ds,
        }
    }
}

impl Design {
    /// Rows.
    pub fn rows(&self) -> usize {
        self.dense.nrows()
    }

    /// Dense columns including the intercept.
    pub fn dd(&self) -> usize {
        self.dense.ncols()
    }

    /// Parameters: dense features, intercept, sparse features.
    pub fn params(&self) -> usize {
        self.dd() + self.ds
    }

    /// Index of the intercept parameter.
    pub fn intercept(&self) -> usize {
        self.dd() - 1
    }

    /// `X θ`.
    pub fn margins(&self, theta: &[f64]) -> Vec<f64> {
        let dd = self.dd();
        let head = Array1::from(theta[..dd].to_vec());
        let mut m = self.dense.dot(&head).to_vec();
        let tail = &theta[dd..];
        for (i, mi) in m.iter_mut().enumerate() {
            for e in self.row_ptr[i]..self.row_ptr[i + 1] {
                *mi += self.vals[e] * tail[self.cols[e] as usize];
            }
        }
        m
    }

    /// `Xᵀ r`.
    pub fn xt(&self, r: &[f64]) -> Vec<f64> {
        let dd = self.dd();
        let mut g = vec![0.0; self.params()];
        let head = self.dense.t().dot(&Array1::from(r.to_vec()));
        g[..dd].copy_from_slice(head.as_slice().expect("contiguous"));
        for (i, ri) in r.iter().enumerate() {
            for e in self.row_ptr[i]..self.row_ptr[i + 1] {
                g[dd + self.cols[e] as usize] += self.vals[e] * ri;
            }
        }
        g
    }

    /// `Xᵀ diag(d) X`, full and symmetric, row-major `params × params`.
    pub fn gram(&self, d: &[f64]) -> Vec<f64> {
        let (p, dd) = (self.params(), self.dd());
        let mut h = vec![0.0; p * p];
        // Dense block by GEMM.
        let scaled = &self.dense * &Array1::from(d.to_vec()).insert_axis(Axis(1));
        let block = self.dense.t().dot(&scaled);
        for a in 0..dd {
            h[a * p..a * p + dd].copy_from_slice(block.row(a).as_slice().expect("contiguous"));
        }
        // Sparse rows against dense columns and against each other.
        let dense = self.dense.as_slice().expect("standard layout");
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe {
                avx2::scatter(
                    dense,
                    dd,
                    p,
                    d,
                    &self.row_ptr,
                    &self.cols,
                    &self.vals,
                    &mut h,
                )
            };
            return mirror(h, dd, p);
        }
        scatter(
            dense,
            dd,
            p,
            d,
            &self.row_ptr,
            &self.cols,
            &self.vals,
            &mut h,
        );
        mirror(h, dd, p)
    }
}

/// Copy the lower-left block of a Gram matrix into the upper-right.
fn mirror(mut h: Vec<f64>, dd: usize, p: usize) -> Vec<f64> {
    for j in dd..p {
        for a in 0..dd {
            h[a * p + j] = h[j * p + a];
        }
    }
    h
}

/// The hot loops again, compiled for AVX2: the crate is built for baseline x86-64, and these
/// dot products and axpys run twice as wide with it. Called only after runtime detection; the
/// bodies are the same `#[inline(always)]` functions, so there is one source of each loop.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    #[target_feature(enable = "avx2")]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scatter(
        dense: &[f64],
        dd: usize,
        p: usize,
        d: &[f64],
        row_ptr: &[usize],
        cols: &[u32],
        vals: &[f64],
        h: &mut [f64],
    ) {
        super::scatter(dense, dd, p, d, row_ptr, cols, vals, h)
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn cholesky_in_place(a: &mut [f64], p: usize) -> bool {
        super::cholesky_in_place(a, p)
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn solve_lower_upper(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
        super::solve_lower_upper(l, p, b)
    }
}

/// The sparse part of `Xᵀ diag(d) X`: each row's hot columns against the dense columns and against
/// each other, into the lower-left and lower-right blocks of `h`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn scatter(
    dense: &[f64],
    dd: usize,
    p: usize,
    d: &[f64],
    row_ptr: &[usize],
    cols: &[u32],
    vals: &[f64],
    h: &mut [f64],
) {
    for (i, di) in d.iter().enumerate() {
        if *di == 0.0 {
            continue;
        }
        let x = &dense[i * dd..(i + 1) * dd];
        let span = row_ptr[i]..row_ptr[i + 1];
        for e in span.clone() {
            let j = dd + cols[e] as usize;
            let v = di * vals[e];
            axpy(v, x, &mut h[j * p..j * p + dd]);
            for f in span.clone() {
                h[j * p + dd + cols[f] as usize] += v * vals[f];
            }
        }
    }
}

/// `y += a · x`.
#[inline(always)]
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// `a · b` with four accumulators, so the compiler can keep the adds in flight.
#[inline(always)]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Columns per panel of the blocked Cholesky.
const CHOLESKY_BLOCK: usize = 32;

/// In-place Cholesky factorisation `A = L Lᵀ` of a row-major `p × p` symmetric positive definite
/// matrix, reading only its lower triangle; the lower triangle becomes L (the upper holds
/// scratch). False if A is not positive definite. Blocked: each panel below a diagonal block and
/// each trailing update is a GEMM, so most of the work runs at GEMM speed.
pub(crate) fn cholesky(a: &mut [f64], p: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { avx2::cholesky_in_place(a, p) };
    }
    cholesky_in_place(a, p)
}

#[inline(always)]
fn cholesky_in_place(a: &mut [f64], p: usize) -> bool {
    let mut k0 = 0;
    while k0 < p {
        let k1 = (k0 + CHOLESKY_BLOCK).min(p);
        let nb = k1 - k0;
        // The diagonal block, unblocked (earlier columns were already subtracted).
        for i in k0..k1 {
            for j in k0..i {
                let s = a[i * p + j] - dot(&a[i * p + k0..i * p + j], &a[j * p + k0..j * p + j]);
                a[i * p + j] = s / a[j * p + j];
            }
            let s = a[i * p + i] - dot(&a[i * p + k0..i * p + i], &a[i * p + k0..i * p + i]);
            if s.is_nan() || s <= 0.0 || s.is_infinite() {
                return false;
            }
            a[i * p + i] = s.sqrt();
        }
        if k1 == p {
            break;
        }
        // The panel below it, P = A₂₁ L₁₁⁻ᵀ, and the trailing update A₂₂ −= P Pᵀ: two GEMMs.
        let mut inverse = Array2::<f64>::zeros((nb, nb));
        for c in 0..nb {
            inverse[[c, c]] = 1.0 / a[(k0 + c) * p + k0 + c];
            for r in c + 1..nb {
                let row = (k0 + r) * p + k0;
                let s: f64 = (c..r).map(|k| a[row + k] * inverse[[k, c]]).sum();
                inverse[[r, c]] = -s / a[row + r];
            }
        }
        let mut view = ArrayViewMut2::from_shape((p, p), &mut *a).expect("p × p");
        let below = view.slice(s![k1.., k0..k1]).to_owned();
        let mut panel = Array2::<f64>::zeros((p - k1, nb));
        general_mat_mul(1.0, &below, &inverse.t(), 0.0, &mut panel);
        view.slice_mut(s![k1.., k0..k1]).assign(&panel);
        general_mat_mul(
            -1.0,
            &panel,
            &panel.t(),
            1.0,
            &mut view.slice_mut(s![k1.., k1..]),
        );
        k0 = k1;
    }
    true
}

/// Solve `L Lᵀ x = b` with the factor from [`cholesky`].
pub(crate) fn cholesky_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { avx2::solve_lower_upper(l, p, b) };
    }
    solve_lower_upper(l, p, b)
}

#[inline(always)]
fn solve_lower_upper(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..p {
        let row = &l[i * p..i * p + i];
        y[i] = (y[i] - dot(row, &y[..i])) / l[i * p + i];
    }
    for i in (0..p).rev() {
        y[i] /= l[i * p + i];
        let xi = y[i];
        let row = &l[i * p..i * p + i];
        for (yk, lk) in y[..i].iter_mut().zip(row) {
            *yk -= lk * xi;
        }
    }
    y
}

/// `(L Lᵀ)⁻¹`, row-major: the posterior covariance when L factors the Hessian.
pub(crate) fn cholesky_inverse(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    let mut e = vec![0.0; p];
    for k in 0..p {
        e.iter_mut().for_each(|x| *x = 0.0);
        e[k] = 1.0;
        let col = cholesky_solve(l, p, &e);
        for (i, c) in col.iter().enumerate() {
            inv[i * p + k] = *c;
        }
    }
    inv
}

/// `ln(1 + eˣ)` without overflow.
#[inline]
pub(crate) fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// The logistic function.
#[inline]
pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// A finished fit.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    /// The parameters, in the design's order (dense, intercept, sparse), class after class for
    /// softmax.
    pub theta: Vec<f64>,
    /// Newton steps taken.
    pub iterations: usize,
    /// Whether the decrement fell below the tolerance.
    pub converged: bool,
    /// Cholesky factor of the penalised Hessian at the last step (binary fits only): the
    /// Laplace posterior's precision, which the queue uses to find uncertain characters.
    pub hessian_factor: Option<Vec<f64>>,
}

/// The penalty vector of a design: λ on every weight, a token amount on the intercept.
pub(crate) fn penalty(design: &Design, l2: f64) -> Vec<f64> {
    let mut pen = vec![l2; design.params()];
    pen[design.intercept()] = INTERCEPT_L2;
    pen
}

/// Binary logistic regression with soft targets `y` in 0..=1 and row weights `w`.
pub(crate) fn logistic(
    design: &Design,
    y: &[f64],
    w: &[f64],
    opts: &FitOptions,
    start: Option<&[f64]>,
) -> Fitted {
    logistic_penalised(design, y, w, &penalty(design, opts.l2), opts, start)
}

/// `diag((L Lᵀ)⁻¹)`: the posterior variances, `‖L⁻¹ eᵢ‖²` by forward substitution from row i.
pub(crate) fn inverse_diagonal(l: &[f64], p: usize) -> Vec<f64> {
    let mut y = vec![0.0; p];
    (0..p)
        .map(|i| {
            y[i] = 1.0 / l[i * p + i];
            for k in i + 1..p {
                y[k] = -dot(&l[k * p + i..k * p + k], &y[i..k]) / l[k * p + k];
            }
            y[i..].iter().map(|v| v * v).sum()
        })
        .collect()
}

/// Logistic regression whose L2 strength is learned per group of parameters (automatic relevance
/// determination, MacKay's evidence updates): a group the labels do not support is pulled to
/// zero, one they do is set free. `groups[j]` is parameter j's group; `None` for the intercept.
/// Returns the fit and each group's final strength.
pub(crate) fn logistic_relevance(
    design: &Design,
    y: &[f64],
    w: &[f64],
    groups: &[Option<usize>],
    opts: &FitOptions,
) -> (Fitted, Vec<f64>) {
    let p = design.params();
    let n_groups = groups.iter().flatten().max().map_or(0, |g| g + 1);
    let (floor, ceiling) = (opts.l2 * 1e-2, opts.l2 * 1e4);
    let mut strength = vec![opts.l2; n_groups];
    let mut fit: Option<Fitted> = None;
    // One penalised fit at the current group strengths, warm-started from the previous round.
    let refit = |strength: &[f64], previous: Option<&Fitted>| {
        let pen: Vec<f64> = groups.iter().map(|g| g.map_or(INTERCEPT_L2, |g| strength[g])).collect();
        logistic_penalised(design, y, w, &pen, opts, previous.map(|f| f.theta.as_slice()))
    };
    for _ in 0..opts.relevance_rounds {
        let next = refit(&strength, fit.as_ref());
        let Some(factor) = next.hessian_factor.as_ref() else {
            return (next, strength);
        };
        let var = inverse_diagonal(factor, p);
        let (mut sq, mut gamma) = (vec![0.0; n_groups], vec![0.0; n_groups]);
        for j in 0..p {
            if let Some(g) = groups[j] {
                sq[g] += next.theta[j] * next.theta[j];
                gamma[g] += 1.0 - strength[g] * var[j];
            }
        }
        let mut change: f64 = 0.0;
        for g in 0..n_groups {
            let updated = (gamma[g].max(1e-6) / sq[g].max(1e-12)).clamp(floor, ceiling);
            change = change.max((updated / strength[g]).ln().abs());
            strength[g] = updated;
        }
        fit = Some(next);
        if change < 0.05 {
            break;
        }
    }
    let last = refit(&strength, fit.as_ref());
    (last, strength)
}

/// Logistic regression with an explicit penalty per parameter.
pub(crate) fn logistic_penalised(
    design: &Design,
    y: &[f64],
    w: &[f64],
    pen: &[f64],
    opts: &FitOptions,
    start: Option<&[f64]>,
) -> Fitted {
    let p = design.params();
    let mut theta = start.map(|s| s.to_vec()).unwrap_or_else(|| vec![0.0; p]);
    let objective = |theta: &[f64], m: &[f64]| -> f64 {
        let data: f64 = m
            .iter()
            .zip(y)
            .zip(w)
            .map(|((mi, yi), wi)| wi * (softplus(*mi) - yi * mi))
            .sum();
        data + 0.5 * theta.iter().zip(pen).map(|(t, l)| l * t * t).sum::<f64>()
    };
    let mut margins = design.margins(&theta);
    let mut f = objective(&theta, &margins);
    let (mut iterations, mut converged) = (0, false);
    // The Hessian's factor is rebuilt while it changes a lot, then reused (a chord step costs a
    // gradient instead of a Gram product and a factorisation) while the steps keep converging fast.
    let mut factor: Option<Vec<f64>> = None;
    let (mut fresh, mut last_decrement) = (true, f64::INFINITY);
    while iterations < opts.max_iterations {
        iterations += 1;
        let prob: Vec<f64> = margins.iter().map(|m| sigmoid(*m)).collect();
        let resid: Vec<f64> = prob
            .iter()
            .zip(y)
            .zip(w)
            .map(|((pi, yi), wi)| wi * (pi - yi))
            .collect();
        let mut g = design.xt(&resid);
        for ((gj, tj), lj) in g.iter_mut().zip(&theta).zip(pen) {
            *gj += lj * tj;
        }
        let rebuilt = fresh || factor.is_none();
        if rebuilt {
            let curv: Vec<f64> = prob
                .iter()
                .zip(w)
                .map(|(pi, wi)| wi * pi * (1.0 - pi))
                .collect();
            let mut h = design.gram(&curv);
            for (j, lj) in pen.iter().enumerate() {
                h[j * p + j] += lj;
            }
            if !cholesky(&mut h, p) {
                break; // cannot happen with λ > 0 short of NaNs in the data
            }
            factor = Some(h);
        }
        let step = cholesky_solve(factor.as_deref().expect("factored above"), p, &g);
        let decrement = dot(&g, &step);
        if decrement * 0.5 <= opts.tolerance {
            // Close enough that the full step is safe: take it and stop.
            theta.iter_mut().zip(&step).for_each(|(a, s)| *a -= s);
            converged = true;
            break;
        }
        // Reuse a fresh factor once the decrement is small (the Hessian has settled: measured on
        // 1 000 swipes, reusing from a decrement of 20 saves a fifth of the fit); keep reusing it
        // while each step at least halves the decrement.
        fresh = if rebuilt {
            decrement > 20.0
        } else {
            decrement > 0.5 * last_decrement
        };
        last_decrement = decrement;
        (theta, margins, f) = backtrack(&theta, &step, f, decrement, |t| design.margins(t), |t, m: &Vec<f64>| objective(t, m));
    }
    Fitted {
        theta,
        iterations,
        converged,
        hessian_factor: factor,
    }
}

/// Softmax regression over `k` classes: `classes[i]` is row i's class, `w` the row weights.
/// Parameters are class after class, every class its own full vector (identifiable through the
/// penalty).
pub(crate) fn softmax(
    design: &Design,
    classes: &[usize],
    w: &[f64],
    k: usize,
    opts: &FitOptions,
) -> Fitted {
    let (n, p) = (design.rows(), design.params());
    let kp = k * p;
    let pen = penalty(design, opts.l2);
    let mut theta = vec![0.0; kp];
    let all_margins = |theta: &[f64]| -> Vec<Vec<f64>> {
        (0..k)
            .map(|c| design.margins(&theta[c * p..(c + 1) * p]))
            .collect()
    };
    let objective = |theta: &[f64], m: &[Vec<f64>]| -> f64 {
        let mut data = 0.0;
        for i in 0..n {
            let top = (0..k).map(|c| m[c][i]).fold(f64::MIN, f64::max);
            let lse = top + (0..k).map(|c| (m[c][i] - top).exp()).sum::<f64>().ln();
            data += w[i] * (lse - m[classes[i]][i]);
        }
        let reg: f64 = (0..kp).map(|j| pen[j % p] * theta[j] * theta[j]).sum();
        data + 0.5 * reg
    };
    let mut margins = all_margins(&theta);
    let mut f = objective(&theta, &margins);
    let (mut iterations, mut converged) = (0, false);
    while iterations < opts.max_iterations {
        iterations += 1;
        // Class probabilities per row.
        let mut prob = vec![vec![0.0; n]; k];
        for i in 0..n {
            let top = (0..k).map(|c| margins[c][i]).fold(f64::MIN, f64::max);
            let z: f64 = (0..k).map(|c| (margins[c][i] - top).exp()).sum();
            for c in 0..k {
                prob[c][i] = (margins[c][i] - top).exp() / z;
            }
        }
        let mut g = vec![0.0; kp];
        for c in 0..k {
            let resid: Vec<f64> = (0..n)
                .map(|i| w[i] * (prob[c][i] - (classes[i] == c) as u8 as f64))
                .collect();
            let gc = design.xt(&resid);
            for j in 0..p {
                g[c * p + j] = gc[j] + pen[j] * theta[c * p + j];
            }
        }
        let mut h = vec![0.0; kp * kp];
        for c in 0..k {
            for e in c..k {
                let d: Vec<f64> = (0..n)
                    .map(|i| w[i] * prob[c][i] * ((c == e) as u8 as f64 - prob[e][i]))
                    .collect();
                let block = design.gram(&d);
                for a in 0..p {
                    for b in 0..p {
                        h[(c * p + a) * kp + e * p + b] = block[a * p + b];
                        h[(e * p + b) * kp + c * p + a] = block[a * p + b];
                    }
                }
            }
        }
        for j in 0..kp {
            h[j * kp + j] += pen[j % p];
        }
        if !cholesky(&mut h, kp) {
            break;
        }
        let step = cholesky_solve(&h, kp, &g);
        let decrement = dot(&g, &step);
        if decrement * 0.5 <= opts.tolerance {
            theta.iter_mut().zip(&step).for_each(|(a, s)| *a -= s);
            converged = true;
            break;
        }
        (theta, margins, f) = backtrack(&theta, &step, f, decrement, &all_margins, |t, m: &Vec<Vec<f64>>| objective(t, m));
    }
    Fitted {
        theta,
        iterations,
        converged,
        hessian_factor: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_design() -> Design {
        let mut b = DesignBuilder::new(2, 3, 3);
        b.push(&[1.0, -0.5], 1.0, [(0, 1.0), (2, 1.0)]);
        b.push(&[0.2, 0.3], 1.0, [(1, 1.0), (2, 1.0)]);
        b.push_merged(&[-1.0, 0.0], 0.0, [(0, 1.0), (0, -1.0), (1, -1.0)]);
        b.build()
    }

    fn dense_of(d: &Design) -> Vec<Vec<f64>> {
        (0..d.rows())
            .map(|i| {
                let mut row = d.dense.row(i).to_vec();
                let mut tail = vec![0.0; d.ds];
                for e in d.row_ptr[i]..d.row_ptr[i + 1] {
                    tail[d.cols[e] as usize] += d.vals[e];
                }
                row.extend(tail);
                row
            })
            .collect()
    }

    #[test]
    fn gram_and_products_match_the_dense_matrix() {
        let d = small_design();
        let x = dense_of(&d);
        let weights = [0.5, 2.0, 1.5];
        let h = d.gram(&weights);
        let p = d.params();
        for a in 0..p {
            for b in 0..p {
                let want: f64 = (0..3).map(|i| weights[i] * x[i][a] * x[i][b]).sum();
                assert!((h[a * p + b] - want).abs() < 1e-12, "({a},{b})");
            }
        }
        let theta: Vec<f64> = (0..p).map(|j| j as f64 * 0.1 - 0.2).collect();
        let m = d.margins(&theta);
        for i in 0..3 {
            assert!((m[i] - dot(&x[i], &theta)).abs() < 1e-12);
        }
        let g = d.xt(&weights);
        for j in 0..p {
            assert!((g[j] - (0..3).map(|i| weights[i] * x[i][j]).sum::<f64>()).abs() < 1e-12);
        }
        // The cancelled entry of row 2 was dropped.
        assert_eq!(d.row_ptr[3] - d.row_ptr[2], 1);
    }

    #[test]
    fn cholesky_solves_and_inverts() {
        let a = vec![4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let mut l = a.clone();
        assert!(cholesky(&mut l, 3));
        let x = cholesky_solve(&l, 3, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[i * 3 + j] * x[j]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let inv = cholesky_inverse(&l, 3);
        for i in 0..3 {
            for j in 0..3 {
                let e: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((e - (i == j) as u8 as f64).abs() < 1e-12);
            }
        }
        let mut not_pd = vec![1.0, 2.0, 2.0, 1.0];
        assert!(!cholesky(&mut not_pd, 2));
    }

    #[test]
    fn newton_reaches_the_stationary_point() {
        let d = small_design();
        let y = [1.0, 0.3, 1.0];
        let w = [1.0, 1.0, 2.0];
        let opts = FitOptions {
            l2: 0.5,
            tolerance: 1e-14,
            ..FitOptions::default()
        };
        let fit = logistic(&d, &y, &w, &opts, None);
        assert!(fit.converged);
        let m = d.margins(&fit.theta);
        let r: Vec<f64> = (0..3).map(|i| w[i] * (sigmoid(m[i]) - y[i])).collect();
        let pen = penalty(&d, opts.l2);
        let g = d.xt(&r);
        for j in 0..d.params() {
            assert!((g[j] + pen[j] * fit.theta[j]).abs() < 1e-6, "gradient {j}");
        }
    }
}

/// Backtracking (Armijo) line search along a Newton step, shared by both Newton solvers: halve
/// the step until the objective falls by a quarter of the predicted decrease (or the step is
/// negligible). Returns the accepted parameters, their margins and objective value.
fn backtrack<M>(
    theta: &[f64],
    step: &[f64],
    f: f64,
    decrement: f64,
    margins_of: impl Fn(&[f64]) -> M,
    objective: impl Fn(&[f64], &M) -> f64,
) -> (Vec<f64>, M, f64) {
    let mut t = 1.0;
    loop {
        let trial: Vec<f64> = theta.iter().zip(step).map(|(a, s)| a - t * s).collect();
        let m = margins_of(&trial);
        let ft = objective(&trial, &m);
        if ft <= f - 0.25 * t * decrement || t < 1e-10 {
            return (trial, m, ft);
        }
        t *= 0.5;
    }
}
