//! Seeded randomness: one small generator, so the same seed gives the same sequence on every
//! machine. The bot model's training uses it for its per-set samples and fold assignment;
//! the benchmarks use it to give followers ids in no particular key order. It knows none of
//! them.

/// splitmix64: a tiny, well-known generator, enough to shuffle fold assignments reproducibly.
/// Its first output is a bijection of the seed, so distinct seeds give distinct values.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A seeded shuffle.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u64) {
    SplitMix64(seed).shuffle(items);
}
