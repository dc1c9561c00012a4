// The genome as docs/genome.md writes it: 40 one-byte genes (32 code genes, then 8 attribute
// genes), high nibble = main, low nibble = sub. The app decodes `genome_hex` itself for the
// barcode; names come from the one attribute table below (the same as src/genome/attributes.rs,
// and the e2e test checks them against the API's decoded genome).

export const CODE_GENES = 32;
export const ATTRIBUTE_GENES = 8;
export const GENES = CODE_GENES + ATTRIBUTE_GENES;

/** The eight attribute slots, gene 32 first. */
export const SLOTS = [
  'hair_colour',
  'hair_style',
  'eye_colour',
  'skin_tone',
  'expression',
  'headwear',
  'accessory',
  'background',
] as const;
export type AttributeSlot = (typeof SLOTS)[number];

/** The attribute table: 16 names per slot, indexed by the 4-bit value. */
export const ATTRIBUTE_NAMES: Record<AttributeSlot, readonly string[]> = {
  hair_colour: ['black', 'dark_brown', 'chestnut', 'auburn', 'red', 'copper', 'golden', 'blonde', 'platinum', 'silver', 'white', 'pink', 'lavender', 'blue', 'teal', 'green'],
  hair_style: ['bald', 'buzz_cut', 'short', 'bob', 'long', 'ponytail', 'twin_tails', 'top_bun', 'mohawk', 'afro', 'curly', 'spiky', 'side_swept', 'braids', 'wavy', 'pixie'],
  eye_colour: ['brown', 'dark_brown', 'hazel', 'amber', 'green', 'emerald', 'blue', 'sky_blue', 'grey', 'violet', 'red', 'gold', 'teal', 'pink', 'black', 'ice'],
  skin_tone: ['porcelain', 'fair', 'light', 'beige', 'tan', 'olive', 'caramel', 'brown', 'umber', 'ebony', 'rose', 'lilac', 'mint', 'sky', 'ash', 'gold'],
  expression: ['neutral', 'smile', 'grin', 'laugh', 'smirk', 'surprised', 'sad', 'angry', 'wink', 'sleepy', 'blush', 'pout', 'tongue_out', 'worried', 'determined', 'shy'],
  headwear: ['none', 'cap', 'beanie', 'top_hat', 'crown', 'bow', 'headband', 'flower', 'horns', 'cat_ears', 'bunny_ears', 'halo', 'helmet', 'beret', 'wizard_hat', 'tiara'],
  accessory: ['none', 'round_glasses', 'square_glasses', 'sunglasses', 'monocle', 'eye_patch', 'goggles', 'visor', 'heart_glasses', 'star_glasses', 'mask', 'face_paint', 'bandage', 'freckles', 'earrings', 'scar'],
  background: ['cream', 'sky', 'mint', 'peach', 'lavender', 'rose', 'lemon', 'slate', 'navy', 'forest', 'crimson', 'charcoal', 'stripes', 'dots', 'sunburst', 'gradient'],
};

/** z = Φ⁻¹((v + ½)/16) for each code level (docs/genome.md, "Levels"). */
export const LEVEL_Z = [
  -1.8627, -1.318, -1.01, -0.7764, -0.5791, -0.4023, -0.2372, -0.0784, 0.0784, 0.2372, 0.4023, 0.5791, 0.7764, 1.01, 1.318, 1.8627,
] as const;

/** One decoded gene. */
export interface Gene {
  /** 0..39. */
  index: number;
  /** High nibble: what the portrait shows. */
  main: number;
  /** Low nibble: carried, passed on less often. */
  sub: number;
  /** The attribute slot, for genes 32..39. */
  slot?: AttributeSlot;
}

/** Decode `0x` + 80 hex digits into 40 genes; throws naming what was wrong. */
export function decodeGenome(hex: string): Gene[] {
  const digits = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (digits.length !== GENES * 2) throw new Error(`genome hex must be 80 hex digits, got ${digits.length}`);
  if (!/^[0-9a-fA-F]*$/.test(digits)) throw new Error('genome hex must contain only hex digits');
  const genes: Gene[] = [];
  for (let i = 0; i < GENES; i++) {
    const byte = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
    const gene: Gene = { index: i, main: byte >> 4, sub: byte & 0x0f };
    if (i >= CODE_GENES) gene.slot = SLOTS[i - CODE_GENES];
    genes.push(gene);
  }
  return genes;
}

/** The name of an attribute value. */
export function attributeName(slot: AttributeSlot, value: number): string {
  return ATTRIBUTE_NAMES[slot][value] ?? `#${value}`;
}

/** snake_case as words: `dark_brown` → `dark brown`. */
export function words(name: string): string {
  return name.replace(/_/g, ' ');
}

/** Slot label for the UI: `hair_colour` → `Hair colour`. */
export function slotLabel(slot: string): string {
  const w = words(slot);
  return w.charAt(0).toUpperCase() + w.slice(1);
}
