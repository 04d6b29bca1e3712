//! Project archives: `Project::read_zip` never panics on any bytes, and a project it reads writes
//! into an archive again (`save_zip`, dry run: nothing touches the disk) without panicking.
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
});
