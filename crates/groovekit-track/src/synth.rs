//! Generated voices: a band-limited harmonic tone with an attack/decay envelope.

use crate::model::ToneParams;

/// Length of the linear fade at the end of every generated tone, in seconds (avoids a click
/// when the tone is cut at its duration).
pub const END_FADE_SECONDS: f64 = 0.005;

/// Frames of a tone of `dur` seconds at `rate`.
pub fn tone_frames(dur: f64, rate: u32) -> usize {
    (dur * f64::from(rate)).round().max(0.0) as usize
}

/// Renders a tone as mono samples at `rate`.
///
/// Partial k (1-based, up to `harmonics`) has amplitude 1/k; partials at or above Nyquist
/// (k·freq >= rate/2) are left out, so the tone never aliases. The sum is divided by Σ 1/k over
/// all requested partials, so the peak never exceeds `amp`. The envelope rises linearly over
/// `attack` seconds, then falls as exp(-(t - attack) / decay) (no fall when decay = 0), and the
/// last [`END_FADE_SECONDS`] fade linearly to silence.
pub fn tone(p: &ToneParams, rate: u32) -> Vec<f32> {
    let frames = tone_frames(p.dur, rate);
    let sr = f64::from(rate);
    let nyquist = sr / 2.0;
    let norm: f64 = (1..=p.harmonics.max(1)).map(|k| 1.0 / f64::from(k)).sum();
    let partials: Vec<(f64, f64)> = (1..=p.harmonics.max(1))
        .map(f64::from)
        .filter(|k| k * p.freq < nyquist)
        .map(|k| (std::f64::consts::TAU * k * p.freq / sr, 1.0 / k / norm))
        .collect();
    let fade = (END_FADE_SECONDS * sr).round().max(1.0);
    let mut out = Vec::with_capacity(frames);
    for n in 0..frames {
        let t = n as f64 / sr;
        let rise = if p.attack > 0.0 && t < p.attack { t / p.attack } else { 1.0 };
        let fall = if p.decay > 0.0 { (-(t - p.attack).max(0.0) / p.decay).exp() } else { 1.0 };
        let tail = ((frames - n) as f64 / fade).min(1.0);
        let nf = n as f64;
        let wave: f64 = partials.iter().map(|(w, a)| a * (w * nf).sin()).sum();
        out.push((p.amp * rise * fall * tail * wave) as f32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_shape() {
        let p = ToneParams { freq: 1000.0, dur: 0.1, amp: 0.5, attack: 0.01, harmonics: 1, decay: 0.0 };
        let v = tone(&p, 48_000);
        assert_eq!(v.len(), 4800);
        assert_eq!(v[0], 0.0);
        // Peak never exceeds amp; after the attack a 1 kHz sine at 48 kHz reaches it (every 48 frames).
        let peak = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!(peak <= 0.5 + 1e-6 && peak > 0.499, "{peak}");
        // Frame 492 is 10.25 ms: past the attack, a quarter period after a zero crossing: sin = 1.
        assert!((v[492] - 0.5).abs() < 1e-4, "{}", v[492]);
        // Half-way up the attack (5 ms = 240 frames, sine at phase 0): 0; 252 frames = +1/4 period.
        assert!((v[252] - 0.5 * 252.0 / 480.0).abs() < 1e-4);
    }

    #[test]
    fn partials_above_nyquist_are_dropped() {
        // 10 kHz at 32 kHz: only the fundamental (20 kHz >= 16 kHz), scaled by 1/(1 + 1/2).
        let p = ToneParams { freq: 10_000.0, dur: 0.05, amp: 1.0, attack: 0.0, harmonics: 2, decay: 0.0 };
        let v = tone(&p, 32_000);
        let expect = |n: usize| (std::f64::consts::TAU * 10_000.0 * n as f64 / 32_000.0).sin() / 1.5;
        for n in [1, 2, 3, 7] {
            assert!((f64::from(v[n]) - expect(n)).abs() < 1e-6, "{n}");
        }
    }
}
