//! Pieces of the voice mixer shared by every renderer: pan laws and sample interpolation.

/// How a pan position in [-1, 1] becomes left/right gains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PanLaw {
    /// sin/cos law: equal power at every position (centre = -3 dB per side).
    #[default]
    ConstantPower,
    /// Linear crossfade: centre = -6 dB per side (0.5 each).
    Linear,
}

/// Left and right gains for `pan` in [-1 (left), 1 (right)]; values outside are clamped.
pub fn pan_gains(pan: f32, law: PanLaw) -> (f32, f32) {
    let p = if pan.is_finite() { pan.clamp(-1.0, 1.0) } else { 0.0 };
    let x = (p + 1.0) * 0.5; // 0 = left, 1 = right
    match law {
        PanLaw::ConstantPower => {
            let a = x * std::f32::consts::FRAC_PI_2;
            (a.cos(), a.sin())
        }
        PanLaw::Linear => (1.0 - x, x),
    }
}

/// How samples are read between stored frames when a voice plays at another pitch or rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interpolation {
    /// Nearest (previous) frame: the sound of hardware with no interpolation.
    Nearest,
    /// Straight line between neighbours.
    #[default]
    Linear,
    /// 4-point cubic Hermite.
    Cubic,
    /// Windowed sinc (8 taps each side).
    Sinc,
}

impl std::str::FromStr for Interpolation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "nearest" | "none" => Ok(Self::Nearest),
            "linear" => Ok(Self::Linear),
            "cubic" => Ok(Self::Cubic),
            "sinc" => Ok(Self::Sinc),
            _ => Err(format!("unknown interpolation '{s}': use nearest, linear, cubic or sinc")),
        }
    }
}

/// Reads mono `data` at fractional position `pos` (in frames) with `interp`. Frames outside the
/// data read as silence, so callers never index out of bounds.
pub fn sample_at(data: &[f32], pos: f64, interp: Interpolation) -> f32 {
    let get = |i: i64| -> f32 { if i < 0 { 0.0 } else { data.get(i as usize).copied().unwrap_or(0.0) } };
    let i = pos.floor() as i64;
    let t = (pos - pos.floor()) as f32;
    match interp {
        Interpolation::Nearest => get(i),
        Interpolation::Linear => {
            let a = get(i);
            a + (get(i + 1) - a) * t
        }
        Interpolation::Cubic => {
            let (y0, y1, y2, y3) = (get(i - 1), get(i), get(i + 1), get(i + 2));
            let c1 = 0.5 * (y2 - y0);
            let c2 = y0 - 2.5 * y1 + 2.0 * y2 - 0.5 * y3;
            let c3 = 0.5 * (y3 - y0) + 1.5 * (y1 - y2);
            ((c3 * t + c2) * t + c1) * t + y1
        }
        Interpolation::Sinc => {
            const TAPS: i64 = 8;
            let mut acc = 0.0f32;
            for k in (1 - TAPS)..=TAPS {
                let x = k as f32 - t;
                let sinc =
                    if x.abs() < 1e-6 { 1.0 } else { (std::f32::consts::PI * x).sin() / (std::f32::consts::PI * x) };
                // Blackman window over the 2*TAPS span.
                let w = {
                    let n = (x + TAPS as f32) / (2 * TAPS) as f32;
                    0.42 - 0.5 * (2.0 * std::f32::consts::PI * n).cos() + 0.08 * (4.0 * std::f32::consts::PI * n).cos()
                };
                acc += get(i + k) * sinc * w;
            }
            acc
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_laws() {
        let (l, r) = pan_gains(0.0, PanLaw::ConstantPower);
        assert!((l - r).abs() < 1e-6 && (l * l + r * r - 1.0).abs() < 1e-5);
        assert_eq!(pan_gains(-1.0, PanLaw::Linear), (1.0, 0.0));
        let (l, r) = pan_gains(1.0, PanLaw::ConstantPower);
        assert!(l.abs() < 1e-6 && (r - 1.0).abs() < 1e-6);
    }

    #[test]
    fn interpolators_hit_stored_frames_and_never_panic() {
        let d = [0.0, 1.0, 0.0, -1.0];
        for m in [Interpolation::Nearest, Interpolation::Linear, Interpolation::Cubic, Interpolation::Sinc] {
            assert!((sample_at(&d, 1.0, m) - 1.0).abs() < 1e-3, "{m:?}");
            let _ = sample_at(&d, -100.5, m);
            let _ = sample_at(&d, 1e12, m);
        }
        assert!((sample_at(&d, 0.5, Interpolation::Linear) - 0.5).abs() < 1e-6);
    }
}
