//! `.ot` sample settings: any bytes either fail with an error or give a model that writes back
//! the same image (checksum recomputed) and survives a document round trip.
#![no_main]
use groovekit_octatrack::human::sample_settings::{build, dump};
use groovekit_octatrack::model::sample_settings::SampleSettings;
use groovekit_octatrack::raw::image::ChecksumPolicy;
use groovekit_octatrack::raw::sample_settings::SampleSettingsFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((file, _)) = SampleSettingsFile::read(data, ChecksumPolicy::Lenient) else { return };
    let Ok(model) = SampleSettings::from_file(&file) else { return };
    let fixed = file.to_bytes();
    assert_eq!(model.to_bytes().unwrap(), fixed);
    let _ = model.problems(Some(1000));
    if let Ok(text) = dump(&fixed, groovekit_core::doc::Syntax::Yaml) {
        assert_eq!(build(&text).unwrap(), fixed);
    }
});
