//! `project.work`: the line layer and the model never panic, anything that parses writes back
//! byte for byte, and the readable document (as a value, YAML and JSON) of anything that parses
//! rebuilds the same bytes.
#![no_main]
use groovekit_octatrack::human::project as human;
use groovekit_octatrack::model::project::Project;
use groovekit_octatrack::raw::project::ProjectText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = ProjectText::parse(data) {
        assert_eq!(raw.to_bytes(), data);
    }
    if let Ok(p) = Project::parse(data) {
        assert_eq!(p.to_bytes(), data);
        let _ = p.samples();
        let _ = p.tempo_bpm();
        let doc = human::to_doc(&p);
        let back = human::from_doc(&doc).expect("a dumped document builds");
        assert_eq!(back.to_bytes(), data);
        for syntax in [groovekit_core::doc::Syntax::Yaml, groovekit_core::doc::Syntax::Json] {
            let text = human::to_text(&p, syntax).expect("a project dumps");
            let back = human::from_text(&text).expect("a dumped text builds");
            assert_eq!(back.to_bytes(), data);
        }
    }
});
