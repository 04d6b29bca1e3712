//! OP-Z projects: any bytes, and any patch of the default project, never panic; what parses
//! round-trips byte for byte through the typed model and (when `build` accepts it) the document.
#![no_main]
use groovekit_opz::model::{Project, ProjectModel, default_project};
use groovekit_opz::{human, midi, ops, view};
use libfuzzer_sys::fuzz_target;

fn exercise(bytes: &[u8]) {
    let Ok(p) = Project::parse(bytes) else { return };
    let model = ProjectModel::from_bytes(bytes).expect("parsed projects decode");
    assert_eq!(model.to_bytes().expect("decoded projects encode"), bytes);
    let _ = ops::check_project(&p);
    let _ = view::text(&p, usize::from(bytes[700] % 16), true);
    let _ = view::svg(&p, usize::from(bytes[701] % 16));
    let _ = midi::export(&p, &midi::ExportOptions::default());
    let text = human::dump(&p, groovekit_core::doc::Syntax::Json).expect("every project dumps");
    if let Ok(back) = human::build(&text) {
        assert_eq!(back.as_bytes(), bytes);
    }
}

fuzz_target!(|data: &[u8]| {
    // Short inputs cannot be whole projects: apply them as (u32 offset, 8 bytes) patches to the
    // default project so the fuzzer reaches the pattern code.
    let _ = Project::parse(data);
    let mut image = default_project().into_bytes();
    let len = image.len();
    for patch in data.chunks_exact(12) {
        let at = u32::from_le_bytes([patch[0], patch[1], patch[2], patch[3]]) as usize % (len - 8);
        image[at..at + 8].copy_from_slice(&patch[4..12]);
    }
    exercise(&image);
});
