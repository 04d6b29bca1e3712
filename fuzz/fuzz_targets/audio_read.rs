//! Audio decoding (WAV, AIFF, AIFF-C, FLAC from memory) and the streaming integer reader never
//! panic on any bytes.
#![no_main]
use std::io::{Cursor, Seek, SeekFrom};
use std::path::Path;

use groovekit_audio::pcm::{PcmReader, probe_reader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = Path::new("fuzz.wav");
    let _ = groovekit_audio::read::read_audio_bytes(data, name);
    let mut c = Cursor::new(data);
    if let Ok(info) = probe_reader(&mut c, data.len() as u64, name) {
        if info.is_int() && c.seek(SeekFrom::Start(info.data_offset)).is_ok() {
            let mut r = PcmReader::from_reader(c, info, name);
            let mut buf = Vec::new();
            while let Ok(n) = r.read_int(&mut buf, 4096) {
                if n == 0 {
                    break;
                }
            }
        }
    }
});
