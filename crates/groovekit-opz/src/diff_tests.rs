//! Unit tests of `diff` (kept beside it, out of the library source).

use super::*;
use crate::model::{Component, default_project};
use crate::ops;

fn fixture(rel: &str, test: &str) -> Option<Vec<u8>> {
    let dir = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    Some(std::fs::read(dir.join(rel)).unwrap())
}

fn lines(d: &[Difference]) -> Vec<String> {
    d.iter().map(ToString::to_string).collect()
}

#[test]
fn a_project_equals_itself_and_differs_from_another() {
    let (Some(a), Some(b)) = (
        fixture("opz/error-garden/project01.opz", "diff_self"),
        fixture("opz/error-garden/project02.opz", "diff_self"),
    ) else {
        return;
    };
    let (a, b) = (Project::parse(&a).unwrap(), Project::parse(&b).unwrap());
    assert!(diff_projects(&a, &a).unwrap().is_empty());
    let d = diff_projects(&a, &b).unwrap();
    assert!(d.iter().any(|x| matches!(x.place, Place::Step { .. }) && x.field == "notes"), "{:?}", lines(&d));
    // Every difference points at a byte inside the file.
    assert!(d.iter().all(|x| (x.offset as usize) < a.as_bytes().len()));
}

#[test]
fn edits_show_as_the_field_at_its_place_numbered_from_1() {
    let a = default_project();
    let mut b = a.clone();
    ops::set_tempo(&mut b, 96).unwrap();
    ops::select_chain(&mut b, Some(2)).unwrap();
    ops::set_chain(&mut b, 15, &[0, 0, 3]).unwrap();
    let n = ops::NewNote { note: 60, velocity: 100, duration: 6144, micro: 0 };
    ops::add_note(&mut b, 2, 4, 4, n).unwrap();
    let d = diff_projects(&a, &b).unwrap();
    let got = lines(&d);
    assert!(got.contains(&"project: tempo (BPM): 120 -> 96".to_string()), "{got:?}");
    assert!(got.contains(&"project: selected chain: none -> saved chain 3".to_string()), "{got:?}");
    assert!(got.contains(&"chain 16: patterns: (empty) -> 1 1 4".to_string()), "{got:?}");
    assert!(
        got.contains(
            &"pattern 3, track bass, step 5: notes: (none) -> C4 vel 100 len 2 sixteenths (6144 ticks)".to_string()
        ),
        "{got:?}"
    );
    assert_eq!(d.len(), 4, "{got:?}");
    let note = d.iter().find(|x| x.field == "notes").unwrap();
    assert_eq!(note.offset as usize, raw::note_offset(2, 4, 4, 0));
}

#[test]
fn mutes_sounds_and_steps_are_named() {
    let a = default_project();
    let mut b = a.clone();
    // Mute the bass (track 5) in pattern 1's active group: bit (4 % 4) * 2 + 1 of byte group * 4 + 1.
    let group = usize::from(a.image().u8_at(raw::pattern_offset(0) + pattern::ACTIVE_MUTE_GROUP)).min(9);
    let at = raw::pattern_offset(0) + pattern::MUTES + group * 4 + 1;
    let v = b.image().u8_at(at) | 0x02;
    b.image_mut().put(at, &[v]);
    // A filter change on the lead, a lock and a component on the arp's step 2.
    let s = raw::sound_offset(0, 5) + 8;
    let f = b.image().u8_at(s).wrapping_add(10);
    b.image_mut().put(s, &[f]);
    let mut st = b.step(0, 6, 1).unwrap();
    st.mask |= 1 << Component::Multiply.bit();
    st.lock_mask[13] = 0xFF;
    st.lock_values[13] = 40;
    b.set_step(0, 6, 1, &st).unwrap();
    let got = lines(&diff_projects(&a, &b).unwrap());
    assert!(got.contains(&"pattern 1, track bass: mute: playing -> muted".to_string()), "{got:?}");
    assert!(got.iter().any(|l| l.starts_with("pattern 1, track lead: sound filter: ")), "{got:?}");
    assert!(
        got.iter().any(|l| l.starts_with("pattern 1, track arp, step 2: components: (none) -> multiply")),
        "{got:?}"
    );
    assert!(
        got.contains(&"pattern 1, track arp, step 2: parameter locks: (none) -> arp_speed=40".to_string()),
        "{got:?}"
    );
}

#[test]
fn every_changed_byte_is_reported() {
    let a = default_project();
    // One byte in each region (header, unknown bytes, track settings, empty slot, step chunk,
    // sound, mutes, sends, unused, trailer) and a sample of the rest of the file.
    let mut offsets = vec![0, 10, 517, 530, 568, 570, 572 + 5, 572 + 192 + 2, 572 + 7232 + 30, 572 + 21_060];
    offsets.extend([572 + 21_350, 572 + 21_385, 572 + 21_390, raw::LEN_WITHOUT_TRAILER + 1]);
    offsets.extend((0..a.as_bytes().len()).step_by(1_009));
    for at in offsets {
        let mut b = a.clone();
        let v = b.image().u8_at(at) ^ 0x40;
        b.image_mut().put(at, &[v]);
        let d = diff_projects(&a, &b).unwrap();
        assert!(!d.is_empty(), "byte {at} changed but no difference was reported");
    }
}

#[test]
fn kits_compare_by_slices_keys_and_audio() {
    let Some(bytes) = fixture("opz/samplepacks/perc-kick076_patch.aif", "diff_kits") else { return };
    let a = Kit::parse(&bytes).unwrap();
    assert!(diff_kits(&a, &a).unwrap().is_empty());
    let mut b = a.clone();
    let mut slices = b.slices().unwrap();
    slices[2].pitch += 512;
    b.set_slices(&slices).unwrap();
    let mut json = b.json().unwrap();
    json["name"] = "other".into();
    b.set_json(&json).unwrap();
    let got = lines(&diff_kits(&a, &b).unwrap());
    assert!(
        got.iter().any(|l| l.starts_with("slice 3: pitch: ") && l.ends_with(&format!("{}", slices[2].pitch))),
        "{got:?}"
    );
    assert!(got.iter().any(|l| l.starts_with("kit: op-1 name: ") && l.ends_with("\"other\"")), "{got:?}");
    // Audio: one sample changed inside slice 1.
    let mut c = a.clone();
    let ssnd = c.aiff.chunks.iter_mut().find(|c| &c.id == b"SSND").unwrap();
    ssnd.data[8 + 20] ^= 0x10;
    let got = lines(&diff_kits(&a, &c).unwrap());
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("slice 1: audio (first different frame: 10 of the slice)"), "{got:?}");
    // Only the JSON's spacing differs: still reported.
    let mut d = a.clone();
    let mut text = b"op-1".to_vec();
    text.extend_from_slice(d.json_bytes());
    text.extend_from_slice(b" ");
    let i = d.aiff.chunks.iter().position(|c| &c.id == b"APPL").unwrap();
    d.aiff.chunks[i].data = text;
    assert!(!diff_kits(&a, &d).unwrap().is_empty());
}

#[test]
fn plugs_read_as_inspect_shows_them() {
    let Some(root) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "opz plug diff") else {
        return;
    };
    let dir = root.join("opz/error-garden");
    let a = Project::parse(&std::fs::read(dir.join("project01.opz")).unwrap()).unwrap();
    let b = Project::parse(&std::fs::read(dir.join("project05.opz")).unwrap()).unwrap();
    let lines = diff_projects(&a, &b).unwrap();
    let plug = lines.iter().find(|d| d.field == "plug").expect("the fixtures' plugs differ");
    assert!(!plug.to_string().contains("0x") && plug.a == "137450687", "{plug}");
}
