//! Seeded randomness for training and evaluation: one small generator, so folds and per-set
//! samples are the same for the same seed on every machine. Used by `trainer.rs` (the
//! recipe's per-set sample) and `validation.rs` (fold assignment); it knows neither.

/// splitmix64: a tiny, well-known generator, enough to shuffle fold assignments reproducibly.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A seeded shuffle.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u64) {
    SplitMix64(seed).shuffle(items);
}
