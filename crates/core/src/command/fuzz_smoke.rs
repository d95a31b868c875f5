//! A stable-Rust stand-in for `fuzz/fuzz_targets/command_parser.rs` (which
//! needs nightly and cargo-fuzz): the parser over many pseudo-random byte
//! strings from a deterministic xorshift generator, biased towards the bytes
//! the parser cares about, asserting it never panics.

use super::parse;

const RUNS: usize = 200_000;

/// xorshift64*: tiny, deterministic, good enough to shuffle bytes.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// How many of `PIECES`, from the first, are commands of ours.
const COMMANDS: usize = 6;

/// Pieces the parser treats specially, so random texts reach deep paths.
const PIECES: [&[u8]; 22] = [
    b"/consent ",
    b"/withdraw ",
    b"/policy ",
    b"/grant ",
    b"/audit ",
    b"/client ",
    b"@photo_guard_bot",
    b"KLN1 ",
    b"full ",
    b"until=",
    b"2026-02-29",
    b"purpose=",
    b"remind=",
    b"\"",
    b"\\",
    b"=",
    b" ",
    b"\n",
    "é“”".as_bytes(),
    b"\0",
    b"\xff\xfe",
    b"#",
];

fn text(rng: &mut XorShift) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Mostly a command of ours, so the arguments' paths are reached.
    if rng.below(4) != 0 {
        bytes.extend_from_slice(PIECES[rng.below(COMMANDS)]);
    }
    for _ in 0..rng.below(24) {
        match rng.below(3) {
            0 => bytes.push(rng.next() as u8),
            _ => bytes.extend_from_slice(PIECES[rng.below(PIECES.len())]),
        }
    }
    bytes
}

#[test]
fn the_parser_survives_two_hundred_thousand_pseudo_random_texts() {
    let mut rng = XorShift(0x5EED_F00D_6A4D_0001);
    let mut commands = 0;
    for _ in 0..RUNS {
        let bytes = text(&mut rng);
        if let Some(result) = parse(&String::from_utf8_lossy(&bytes), "photo_guard_bot") {
            commands += 1;
            if let Err(error) = result {
                let _ = (error.to_string(), error.command());
            }
        }
    }
    assert!(
        commands > RUNS * 3 / 4 - RUNS / 100,
        "only {commands} texts were commands"
    );
}
