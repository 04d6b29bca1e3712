//! Project archives: `Project::read_zip` and `Project::from_zip_bytes` never panic on any bytes;
//! a project read writes into an archive again (`save_zip`, dry run: nothing touches the disk;
//! `to_zip_bytes`, in memory, carrying the archive's other entries over) without panicking; and
//! `Project::from_files` never panics on bytes given as any project file.
#![no_main]
use groovekit_octatrack::Project;
use groovekit_octatrack::model::project_zip::ZipOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.zip");
    if let Ok(mut p) = Project::read_zip(std::io::Cursor::new(data), path) {
        let _ = p.tempo();
        let _ = p.samples();
        // `zip_source` names "fuzz.zip", which does not exist: no samples, so no carry-over.
        let options = ZipOptions { samples: false, dry_run: true, ..Default::default() };
        let _ = p.save_zip(std::path::Path::new("/nonexistent-groovekit-fuzz/out.zip"), &options);
    }
    if let Ok(mut p) = Project::from_zip_bytes(data.to_vec()) {
        let _ = p.to_zip_bytes(&ZipOptions::default());
    }
    // The same bytes as each kind of project file (a cheap first byte picks which).
    let name = match data.first().map(|b| b % 4) {
        Some(0) => "project.work",
        Some(1) => "bank01.work",
        Some(2) => "arr01.strd",
        _ => "markers.work",
    };
    if let Ok(mut p) = Project::from_files([(name, data.to_vec())]) {
        let _ = p.to_files(false);
    }
});
