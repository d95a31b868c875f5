use super::*;

/// A frame whose brightness encodes its scene (cuts change it a lot) and
/// whose first byte (a luma pixel) its index.
fn frame(scene: u8, index: u8) -> Yuv {
    let mut raw = vec![scene; crate::yuv::frame_bytes(64, 36)];
    raw[0] = index;
    Yuv::from_raw(64, 36, raw).unwrap()
}

fn face(x: u32) -> Face {
    Face {
        x,
        y: 5,
        w: 10,
        h: 10,
        score: 0.9,
    }
}

/// Runs the sampler over `scenes` (one brightness per frame); the detector
/// finds a face at x = 2 * index on every frame it is asked about.
fn run(scenes: &[u8], step: u64) -> (Vec<u64>, Vec<Vec<Face>>) {
    let mut asked = Vec::new();
    let mut emitted = Vec::new();
    let mut s = Sampler::new(
        step,
        (64, 36),
        Motion::default(),
        |f: &Yuv| -> Result<Vec<Face>, ()> {
            let i = u64::from(f.luma()[0]);
            asked.push(i);
            Ok(vec![face(2 * i as u32)])
        },
        |_f: Yuv, boxes: Vec<Face>| -> Result<(), ()> {
            emitted.push(boxes);
            Ok(())
        },
    );
    for (i, scene) in scenes.iter().enumerate() {
        s.push(frame(*scene, i as u8)).unwrap();
    }
    s.finish().unwrap();
    (asked, emitted)
}

#[test]
fn every_step_th_frame_and_the_last_are_sampled_and_every_frame_is_emitted() {
    let (asked, emitted) = run(&[100; 12], 5);
    assert_eq!(asked, vec![0, 5, 10, 11]);
    assert_eq!(emitted.len(), 12);
    for (i, boxes) in emitted.iter().enumerate() {
        assert!(!boxes.is_empty(), "frame {i} has no mask");
    }
}

#[test]
fn a_cut_is_sampled_on_both_sides() {
    let mut scenes = vec![20u8; 8];
    scenes.extend([220u8; 4]);
    let (asked, emitted) = run(&scenes, 5);
    assert_eq!(asked, vec![0, 5, 7, 8, 11]);
    assert_eq!(emitted.len(), 12);
}
