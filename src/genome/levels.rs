//! Code-gene levels ↔ latent values.
//!
//! Level v in 0..15 stands for `z = Φ⁻¹((v + 0.5) / 16)`: sixteen equal-probability bins of a
//! standard normal, so uniformly random genes decode to the generator's N(0, 1) prior.

/// The number of levels a code gene can hold (one nibble).
pub const LEVELS: usize = 16;

/// `Φ⁻¹((v + 0.5) / 16)` for v = 0..15, to f32 precision. A table rather than a call because the
/// generator input and the classifier features are built on hot paths.
const Z_OF_LEVEL: [f32; LEVELS] = [
    -1.862_731_9, -1.318_010_9, -1.009_990_3, -0.776_421_8, -0.579_132_3, -0.402_250_3,
    -0.237_202_1, -0.078_412_4, 0.078_412_4, 0.237_202_1, 0.402_250_3, 0.579_132_3,
    0.776_421_8, 1.009_990_3, 1.318_010_9, 1.862_731_9,
];

/// The latent value a level stands for (only the low nibble counts).
pub fn level_to_z(level: u8) -> f32 {
    Z_OF_LEVEL[(level & 0x0f) as usize]
}

/// The level whose bin contains `z`: `clamp(floor(16 · Φ(z)), 0, 15)`. NaN maps to the middle.
pub fn z_to_level(z: f64) -> u8 {
    if z.is_nan() {
        return 8;
    }
    let bin = (normal_cdf(z) * LEVELS as f64).floor();
    bin.clamp(0.0, (LEVELS - 1) as f64) as u8
}

/// Φ, the standard normal CDF, via the complementary error function (|error| < 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Φ⁻¹ for p in (0, 1), by Acklam's rational approximation refined with one Halley step
/// (|relative error| < 1e-9). Clamps p into (1e-12, 1 − 1e-12) so callers never see ±∞.
pub fn normal_quantile(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    const A: [f64; 6] = [
        -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.383577518672690e2,
        -3.066479806614716e1, 2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
        4.374664141464968, 2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let x = if p < 0.02425 {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p > 1.0 - 0.02425 {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // One Halley step against the accurate CDF.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// erfc(x) by W. J. Cody's rational Chebyshev approximation as in Numerical Recipes' `erfcc`
/// refined form (fractional error < 1.2e-7 everywhere).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t * (-z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
        .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_the_bin_centres_of_a_standard_normal() {
        for v in 0..LEVELS as u8 {
            let p = normal_cdf(level_to_z(v) as f64);
            assert!((p - (v as f64 + 0.5) / 16.0).abs() < 1e-6, "level {v}: Φ(z) = {p}");
        }
    }

    #[test]
    fn quantile_inverts_cdf() {
        for i in 1..1000 {
            let p = i as f64 / 1000.0;
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 1e-7, "p = {p}");
        }
    }

    #[test]
    fn every_level_requantises_to_itself_and_bins_are_ordered() {
        for v in 0..LEVELS as u8 {
            assert_eq!(z_to_level(level_to_z(v) as f64), v);
        }
        assert_eq!(z_to_level(-10.0), 0);
        assert_eq!(z_to_level(10.0), 15);
        assert_eq!(z_to_level(f64::NAN), 8);
        let mut last = 0;
        for i in -400..400 {
            let l = z_to_level(i as f64 / 100.0);
            assert!(l >= last);
            last = l;
        }
    }
}
