//! The content-addressed portrait cache: a portrait is decoded once per (model, main genes).
//!
//! Sub values never reach the generator, so two genomes with equal mains share a portrait and a
//! key. [`PortraitCache`] is the small trait a persistent store (sled, later) implements;
//! [`MemoryCache`] is the bounded in-memory one every [`Generator`](super::Generator) starts with.

use super::image::RgbImage;
use super::model::ModelHash;
use crate::genome::{Genome, GENES};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Bytes of a packed key: the 32-byte model hash, then 40 main values two to a byte.
pub const KEY_BYTES: usize = 32 + GENES / 2;

/// What a portrait is a pure function of: the model's weights and the genome's 40 main values.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortraitKey {
    /// The packed key (see [`KEY_BYTES`]): fixed-size so it is `Copy`, hashes fast and is
    /// directly a store key.
    bytes: [u8; KEY_BYTES],
}

impl PortraitKey {
    /// The key of `genome`'s portrait as drawn by the model with hash `model`.
    pub fn new(model: ModelHash, genome: &Genome) -> Self {
        let mut bytes = [0u8; KEY_BYTES];
        bytes[..32].copy_from_slice(&model.0);
        for (i, pair) in genome.as_bytes().chunks_exact(2).enumerate() {
            bytes[32 + i] = (pair[0] & 0xf0) | (pair[1] >> 4);
        }
        PortraitKey { bytes }
    }

    /// The packed key, for a byte-keyed store.
    pub fn as_bytes(&self) -> &[u8; KEY_BYTES] {
        &self.bytes
    }

    /// The genome with these main values and every sub 0: the canonical genome of the key.
    pub fn main_genome(&self) -> Genome {
        let mut genome = [0u8; GENES];
        for (i, byte) in self.bytes[32..].iter().enumerate() {
            genome[2 * i] = byte & 0xf0;
            genome[2 * i + 1] = byte << 4;
        }
        Genome::from_bytes(genome)
    }
}

impl std::fmt::Debug for PortraitKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PortraitKey({}…/{})", &hex::encode(&self.bytes[..6]), hex::encode(&self.bytes[32..]))
    }
}

/// Where decoded portraits are kept. Implementations are shared between the request path and the
/// batching thread, so they take `&self` and are `Send + Sync`; both calls must be cheap (no
/// inference, no network), and `put` may drop entries it has no room for.
pub trait PortraitCache: Send + Sync {
    /// The portrait stored under `key`, if any.
    fn get(&self, key: &PortraitKey) -> Option<Arc<RgbImage>>;
    /// Store `portrait` under `key`.
    fn put(&self, key: PortraitKey, portrait: Arc<RgbImage>);
}

/// An in-memory LRU bounded by entry count and by pixel bytes, whichever binds first.
pub struct MemoryCache {
    /// The entries and their byte total. A std Mutex because it is held for a hash-map step,
    /// never across an await.
    inner: Mutex<Lru>,
    /// Most pixel bytes held; the least recently used portraits go first when a put exceeds it.
    max_bytes: usize,
}

/// The LRU and the bytes it holds.
struct Lru {
    /// Portraits by key, least recently used first out (bounded by count).
    entries: LruCache<PortraitKey, Arc<RgbImage>>,
    /// Sum of `byte_len` over `entries`.
    bytes: usize,
}

impl MemoryCache {
    /// A cache of at most `max_entries` portraits and `max_bytes` bytes of pixels.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        let cap = NonZeroUsize::new(max_entries.max(1)).expect("max(1)");
        MemoryCache { inner: Mutex::new(Lru { entries: LruCache::new(cap), bytes: 0 }), max_bytes }
    }

    /// Portraits held now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pixel bytes held now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl PortraitCache for MemoryCache {
    fn get(&self, key: &PortraitKey) -> Option<Arc<RgbImage>> {
        self.lock().entries.get(key).cloned()
    }

    fn put(&self, key: PortraitKey, portrait: Arc<RgbImage>) {
        let size = portrait.byte_len();
        if size > self.max_bytes {
            return;
        }
        let mut lru = self.lock();
        lru.bytes += size;
        // `push` hands back the replaced entry, or the one evicted for count.
        if let Some((_, old)) = lru.entries.push(key, portrait) {
            lru.bytes -= old.byte_len();
        }
        while lru.bytes > self.max_bytes {
            let Some((_, old)) = lru.entries.pop_lru() else { break };
            lru.bytes -= old.byte_len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::Gene;

    fn genome(seed: u8) -> Genome {
        let mut bytes = [0u8; GENES];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = seed.wrapping_mul(31).wrapping_add((i as u8).wrapping_mul(17));
        }
        Genome::from_bytes(bytes)
    }

    fn picture(side: u32) -> Arc<RgbImage> {
        Arc::new(RgbImage::filled(side, side, [1, 2, 3]))
    }

    const MODEL: ModelHash = ModelHash([7; 32]);

    #[test]
    fn keys_ignore_sub_values_but_not_mains_or_the_model() {
        let a = genome(1);
        let mut same_mains = a;
        let mut other_main = a;
        for i in 0..GENES {
            same_mains.set_gene(i, Gene::new(a.gene(i).main, 15 - a.gene(i).sub));
        }
        other_main.set_gene(39, Gene::new((a.gene(39).main + 1) % 16, a.gene(39).sub));
        assert_eq!(PortraitKey::new(MODEL, &a), PortraitKey::new(MODEL, &same_mains));
        assert_ne!(PortraitKey::new(MODEL, &a), PortraitKey::new(MODEL, &other_main));
        assert_ne!(PortraitKey::new(MODEL, &a), PortraitKey::new(ModelHash([8; 32]), &a));
    }

    #[test]
    fn the_key_packs_mains_and_unpacks_to_the_main_genome() {
        let a = genome(3);
        let key = PortraitKey::new(MODEL, &a);
        let canonical = key.main_genome();
        for i in 0..GENES {
            assert_eq!(canonical.gene(i), Gene::new(a.gene(i).main, 0), "gene {i}");
        }
        assert_eq!(&key.as_bytes()[..32], &[7; 32]);
        assert_eq!(PortraitKey::new(MODEL, &canonical), key);
    }

    #[test]
    fn eviction_by_count_drops_the_least_recently_used() {
        let cache = MemoryCache::new(2, usize::MAX);
        let keys: Vec<_> = (0..3).map(|s| PortraitKey::new(MODEL, &genome(s))).collect();
        cache.put(keys[0], picture(8));
        cache.put(keys[1], picture(8));
        assert!(cache.get(&keys[0]).is_some()); // 0 is now more recent than 1
        cache.put(keys[2], picture(8));
        assert!(cache.get(&keys[1]).is_none());
        assert!(cache.get(&keys[0]).is_some() && cache.get(&keys[2]).is_some());
        assert_eq!(cache.bytes(), 2 * 8 * 8 * 3);
    }

    #[test]
    fn eviction_by_bytes_keeps_the_total_under_the_bound() {
        let one = 16 * 16 * 3;
        let cache = MemoryCache::new(100, 2 * one + 10);
        for s in 0..5 {
            cache.put(PortraitKey::new(MODEL, &genome(s)), picture(16));
            assert!(cache.bytes() <= 2 * one + 10);
        }
        assert_eq!(cache.len(), 2);
        // Replacing an entry does not count it twice; a portrait larger than the bound is not kept.
        cache.put(PortraitKey::new(MODEL, &genome(4)), picture(16));
        assert_eq!(cache.bytes(), 2 * one);
        cache.put(PortraitKey::new(MODEL, &genome(9)), picture(64));
        assert_eq!(cache.len(), 2);
    }
}
