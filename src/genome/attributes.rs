//! The one table of attribute names (docs/genome.md, "Attribute table").
//!
//! Rust, the API and the web app read names from here; the Solidity library repeats them in a
//! comment only. Changing a name here changes what every consumer shows.

/// Number of named attribute slots (genes 32..39).
pub const SLOTS: usize = 8;
/// Number of values each slot can take: one nibble.
pub const VALUES: usize = 16;

/// One attribute slot: its snake_case name and the names of its 16 values, index = nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The slot's name as used in JSON, the API (`trait_type`) and the UI.
    pub name: &'static str,
    /// The value names, indexed by the gene's 4-bit value.
    pub values: [&'static str; VALUES],
}

impl Slot {
    /// The index of a value by name, if the slot has it.
    pub fn index_of(&self, value: &str) -> Option<u8> {
        self.values.iter().position(|v| *v == value).map(|i| i as u8)
    }

    /// The name of value `index` (only the low nibble counts, as in the genome).
    pub fn value_name(&self, index: u8) -> &'static str {
        self.values[(index & 0x0f) as usize]
    }
}

/// The eight attribute slots, in gene order (gene 32 + i is `SLOT_TABLE[i]`).
pub const SLOT_TABLE: [Slot; SLOTS] = [
    Slot {
        name: "hair_colour",
        values: [
            "black", "dark_brown", "chestnut", "auburn", "red", "copper", "golden", "blonde",
            "platinum", "silver", "white", "pink", "lavender", "blue", "teal", "green",
        ],
    },
    Slot {
        name: "hair_style",
        values: [
            "bald", "buzz_cut", "short", "bob", "long", "ponytail", "twin_tails", "top_bun",
            "mohawk", "afro", "curly", "spiky", "side_swept", "braids", "wavy", "pixie",
        ],
    },
    Slot {
        name: "eye_colour",
        values: [
            "brown", "dark_brown", "hazel", "amber", "green", "emerald", "blue", "sky_blue",
            "grey", "violet", "red", "gold", "teal", "pink", "black", "ice",
        ],
    },
    Slot {
        name: "skin_tone",
        values: [
            "porcelain", "fair", "light", "beige", "tan", "olive", "caramel", "brown", "umber",
            "ebony", "rose", "lilac", "mint", "sky", "ash", "gold",
        ],
    },
    Slot {
        name: "expression",
        values: [
            "neutral", "smile", "grin", "laugh", "smirk", "surprised", "sad", "angry", "wink",
            "sleepy", "blush", "pout", "tongue_out", "worried", "determined", "shy",
        ],
    },
    Slot {
        name: "headwear",
        values: [
            "none", "cap", "beanie", "top_hat", "crown", "bow", "headband", "flower", "horns",
            "cat_ears", "bunny_ears", "halo", "helmet", "beret", "wizard_hat", "tiara",
        ],
    },
    Slot {
        name: "accessory",
        values: [
            "none", "round_glasses", "square_glasses", "sunglasses", "monocle", "eye_patch",
            "goggles", "visor", "heart_glasses", "star_glasses", "mask", "face_paint", "bandage",
            "freckles", "earrings", "scar",
        ],
    },
    Slot {
        name: "background",
        values: [
            "cream", "sky", "mint", "peach", "lavender", "rose", "lemon", "slate", "navy",
            "forest", "crimson", "charcoal", "stripes", "dots", "sunburst", "gradient",
        ],
    },
];

/// The slot with this name, if any.
pub fn slot_by_name(name: &str) -> Option<(usize, &'static Slot)> {
    SLOT_TABLE.iter().enumerate().find(|(_, s)| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_snake_case_within_each_slot() {
        let mut slot_names = HashSet::new();
        for slot in &SLOT_TABLE {
            assert!(slot_names.insert(slot.name), "duplicate slot {}", slot.name);
            let mut seen = HashSet::new();
            for v in slot.values {
                assert!(seen.insert(v), "{}: duplicate value {v}", slot.name);
                assert!(
                    v.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{}: {v} is not snake_case",
                    slot.name
                );
            }
        }
    }

    #[test]
    fn spec_table_matches_this_table() {
        // docs/genome.md is the one spec: every row of its attribute table must equal ours.
        let spec = include_str!("../../docs/genome.md");
        for (i, slot) in SLOT_TABLE.iter().enumerate() {
            let row = format!("| {} | {} | {} |", 32 + i, slot.name, slot.values.join(" | "));
            assert!(spec.contains(&row), "docs/genome.md lacks the row:\n{row}");
        }
    }
}
