//! A picture of a chain: its waveform with a numbered marker at each slice start, as SVG (text
//! written by hand) or PNG (pixels drawn here, compressed with miniz_oxide). The audio is read
//! once, streaming, into one min/max pair per pixel column.

use std::path::Path;

use groovekit_audio::pcm::PcmReader;

use crate::model::sample_settings::Slice;
use crate::ops::chain::ChainError;

/// Min/max of each column of the picture, over all channels, full scale = 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Peaks {
    /// (min, max) per column.
    pub columns: Vec<(f32, f32)>,
    /// Frames in the audio.
    pub frames: u64,
}

/// Reads `audio` once and reduces it to `width` columns.
pub fn peaks(audio: &Path, width: usize) -> Result<Peaks, ChainError> {
    let width = width.max(1);
    let mut r = PcmReader::open(audio)?;
    let frames = r.info().frames;
    let ch = usize::from(r.info().channels.max(1));
    let mut columns = vec![(0.0f32, 0.0f32); width];
    let mut buf = Vec::new();
    let mut at = 0u64;
    loop {
        let n = r.read_f32(&mut buf, 1 << 15)?;
        if n == 0 {
            break;
        }
        for (k, frame) in buf.chunks_exact(ch).enumerate() {
            let col = (((at + k as u64) as u128 * width as u128) / u128::from(frames.max(1))) as usize;
            if let Some(c) = columns.get_mut(col.min(width - 1)) {
                for &s in frame {
                    let s = if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 };
                    c.0 = c.0.min(s);
                    c.1 = c.1.max(s);
                }
            }
        }
        at += n as u64;
    }
    Ok(Peaks { columns, frames })
}

fn x_of(frame: u32, frames: u64, width: usize) -> usize {
    ((u128::from(frame) * width as u128) / u128::from(frames.max(1))) as usize
}

/// The SVG text of the picture.
pub fn svg(p: &Peaks, slices: &[Slice], height: usize) -> String {
    let w = p.columns.len();
    let h = height.max(40);
    let mid = h as f32 / 2.0;
    let amp = mid - 14.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#16181d\"/>\n"
    );
    for (i, sl) in slices.iter().enumerate() {
        if i % 2 == 1 {
            let x0 = x_of(sl.start, p.frames, w);
            let x1 = x_of(sl.end, p.frames, w);
            s += &format!(
                "<rect x=\"{x0}\" y=\"0\" width=\"{}\" height=\"{h}\" fill=\"#20242c\"/>\n",
                x1.saturating_sub(x0)
            );
        }
    }
    let mut path = String::new();
    for (x, &(lo, hi)) in p.columns.iter().enumerate() {
        let y0 = mid - hi * amp;
        let y1 = (mid - lo * amp).max(y0 + 1.0);
        path += &format!("M{x}.5 {y0:.1}V{y1:.1}");
    }
    s += &format!("<path d=\"{path}\" stroke=\"#4fc3f7\" stroke-width=\"1\" fill=\"none\"/>\n");
    for (i, sl) in slices.iter().enumerate() {
        let x = x_of(sl.start, p.frames, w);
        s += &format!(
            "<line x1=\"{x}.5\" y1=\"0\" x2=\"{x}.5\" y2=\"{h}\" stroke=\"#ffb74d\" stroke-width=\"1\"/>\n<text x=\"{}\" y=\"11\" font-family=\"monospace\" font-size=\"10\" fill=\"#ffb74d\">{}</text>\n",
            x + 2,
            i + 1
        );
    }
    s += "</svg>\n";
    s
}

/// 3×5 pixel digits for the PNG slice numbers.
const DIGITS: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b010, 0b010, 0b010],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

struct Canvas {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Canvas {
    fn set(&mut self, x: usize, y: usize, c: [u8; 3]) {
        if x < self.w && y < self.h {
            let i = (y * self.w + x) * 3;
            if let Some(p) = self.px.get_mut(i..i + 3) {
                p.copy_from_slice(&c);
            }
        }
    }
    fn text(&mut self, x: usize, y: usize, n: usize, c: [u8; 3]) {
        let scale = 2;
        for (k, ch) in n.to_string().bytes().enumerate() {
            let d = DIGITS[usize::from(ch - b'0') % 10];
            for (row, bits) in d.iter().enumerate() {
                for col in 0..3 {
                    if bits & (0b100 >> col) != 0 {
                        for dy in 0..scale {
                            for dx in 0..scale {
                                self.set(x + (k * 4 + col) * scale + dx, y + row * scale + dy, c);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The PNG bytes of the picture.
pub fn png(p: &Peaks, slices: &[Slice], height: usize) -> Vec<u8> {
    let w = p.columns.len().max(1);
    let h = height.max(40);
    let mut c = Canvas { w, h, px: vec![0; w * h * 3] };
    let (bg, band, wave, mark) = ([0x16, 0x18, 0x1d], [0x20, 0x24, 0x2c], [0x4f, 0xc3, 0xf7], [0xff, 0xb7, 0x4d]);
    for y in 0..h {
        for x in 0..w {
            c.set(x, y, bg);
        }
    }
    for (i, sl) in slices.iter().enumerate() {
        if i % 2 == 1 {
            for x in x_of(sl.start, p.frames, w)..x_of(sl.end, p.frames, w).min(w) {
                for y in 0..h {
                    c.set(x, y, band);
                }
            }
        }
    }
    let mid = h as f32 / 2.0;
    let amp = mid - 14.0;
    for (x, &(lo, hi)) in p.columns.iter().enumerate() {
        let y0 = (mid - hi * amp).max(0.0) as usize;
        let y1 = ((mid - lo * amp).max(0.0) as usize).max(y0);
        for y in y0..=y1.min(h - 1) {
            c.set(x, y, wave);
        }
    }
    for (i, sl) in slices.iter().enumerate() {
        let x = x_of(sl.start, p.frames, w);
        for y in 0..h {
            c.set(x, y, mark);
        }
        c.text(x + 3, 2, i + 1, mark);
    }
    encode_png(w, h, &c.px)
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// Encodes 8-bit RGB pixels as a PNG.
fn encode_png(w: usize, h: usize, rgb: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity((w * 3 + 1) * h);
    for row in rgb.chunks(w * 3) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(w as u32).to_be_bytes());
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6));
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
#[path = "chain_preview_tests.rs"]
mod tests;
