//! `bench/serve` (issue 25 "Speed"): times, in this process, the Set index of the generated Set
//! (16 projects, 5 000 samples), the pattern and Set pages' server time (`App::handle`, no
//! socket), and the peaks of a one-minute WAV. Run through `bench/serve/run.sh` (release build);
//! prints one JSON object. `bench_serve index DIR` indexes DIR alone and prints its time and the
//! process's peak memory (VmHWM), so the generator's memory does not count.

#[path = "../../groovekit-octatrack/tests/support/gen_set.rs"]
mod gen_set;

use std::path::Path;
use std::time::Instant;

use groovekit_octatrack::ops::set_index::SetIndex;
use groovekit_serve::App;
use groovekit_serve::http::Request;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    )
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn one_minute_wav(path: &Path) {
    let frames: u32 = 44_100 * 60;
    let data_len = frames * 4;
    let mut v = Vec::with_capacity(44 + data_len as usize);
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    for x in [
        16u32.to_le_bytes().to_vec(),
        1u16.to_le_bytes().to_vec(),
        2u16.to_le_bytes().to_vec(),
        44_100u32.to_le_bytes().to_vec(),
        (44_100u32 * 4).to_le_bytes().to_vec(),
        4u16.to_le_bytes().to_vec(),
        16u16.to_le_bytes().to_vec(),
    ] {
        v.extend_from_slice(&x);
    }
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let s = ((i.wrapping_mul(2_654_435_761) >> 16) as i16) / 4;
        v.extend_from_slice(&s.to_le_bytes());
        v.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, v).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("index") {
        let dir = Path::new(&args[2]);
        let ms = time_ms(5, || {
            SetIndex::open(dir).unwrap();
        });
        println!("{{\"set_index_ms\": {ms:.1}, \"peak_memory_mb\": {:.1}}}", vm_hwm_kb() as f64 / 1024.0);
        return;
    }
    let tmp = std::env::temp_dir().join(format!("groovekit-bench-serve-{}", std::process::id()));
    let set = tmp.join("SET");
    std::fs::create_dir_all(&set).unwrap();
    gen_set::generate(&set, 5_000, 4_410);
    let index_ms = time_ms(5, || {
        SetIndex::open(&set).unwrap();
    });
    let app = App::new(std::slice::from_ref(&set), "127.0.0.1:7777".parse().unwrap(), false).unwrap();
    let get = |t: &str| {
        let r = app.handle(&Request::new("GET", t).header("Host", "127.0.0.1:7777"));
        assert_eq!(r.status, 200, "{t}: {}", r.text());
    };
    let set_page_ms = time_ms(9, || get("/set/0"));
    let set_page_rescan_ms = time_ms(3, || get("/set/0?rescan=1"));
    // The pattern page of the densest project at hand: the real-device one when the fixtures are
    // there (copied beside the Set), else the generated P01.
    let fx = std::env::var_os("GROOVEKIT_FIXTURES").map(|f| Path::new(&f).join("octatrack/real-device"));
    let pattern_target = match fx.filter(|f| f.is_dir()) {
        Some(f) => {
            let dir = set.join("REAL");
            std::fs::create_dir_all(&dir).unwrap();
            for e in std::fs::read_dir(&f).unwrap().flatten() {
                std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
            "/pattern/0/REAL?bank=1&pattern=1"
        }
        None => "/pattern/0/P01?bank=1&pattern=1",
    };
    let pattern_page_ms = time_ms(21, || get(pattern_target));
    let wav = tmp.join("minute.wav");
    one_minute_wav(&wav);
    let peaks_ms = time_ms(9, || {
        groovekit_serve::peaks::peaks(&wav, 1200).unwrap();
    });
    println!(
        "{{\"set_index_ms\": {index_ms:.1}, \"set_page_ms\": {set_page_ms:.1}, \"set_page_rescan_ms\": {set_page_rescan_ms:.1}, \
         \"pattern_page_ms\": {pattern_page_ms:.2}, \"pattern_page\": \"{pattern_target}\", \"peaks_1min_wav_ms\": {peaks_ms:.1}, \"set_dir\": \"{}\"}}",
        set.display()
    );
    if std::env::var_os("KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
