// The genome as a barcode (the fusion patent's figs. 7–8): one column per gene, 32 code genes
// then 8 attribute genes. A column's tall bar above the line is the gene's main value (what the
// portrait shows); the short bar below is its sub value (carried, passed on less often). The hex
// nibbles are printed under each column, and the attribute genes are named in a table below.
// Hover, focus or tap a column to read it out.

import { h, s } from '../dom';
import { attributeName, CODE_GENES, decodeGenome, LEVEL_Z, slotLabel, words, type AttributeSlot, type Gene } from '../genome';

const COL = 10; // column pitch
const BAR = 8; // bar width
const GAP = 12; // between code and attribute genes
const MAIN_H = 64;
const SUB_TOP = MAIN_H + 3;
const SUB_H = 26;
const WIDTH = 40 * COL + GAP;
const HEIGHT = 132;

/** A hue per attribute slot, shared by the bars and the table's swatches. */
export const SLOT_HUE: Record<AttributeSlot, number> = {
  hair_colour: 28, hair_style: 280, eye_colour: 200, skin_tone: 12,
  expression: 48, headwear: 330, accessory: 160, background: 235,
};

function x(index: number): number {
  return index * COL + (index >= CODE_GENES ? GAP : 0);
}

/** What a gene says, in words. */
export function describeGene(gene: Gene): string {
  if (gene.slot) {
    return `Gene ${gene.index} · ${words(gene.slot)} · main ${words(attributeName(gene.slot, gene.main))} (${gene.main}) · sub ${words(attributeName(gene.slot, gene.sub))} (${gene.sub})`;
  }
  const z = LEVEL_Z[gene.main].toFixed(2);
  return `Gene ${gene.index} · code · main level ${gene.main} (z ${z}) · sub level ${gene.sub}`;
}

function column(gene: Gene, onPick: (gene: Gene) => void): SVGGElement {
  const left = x(gene.index);
  const mainH = ((gene.main + 1) / 16) * MAIN_H;
  const subH = ((gene.sub + 1) / 16) * SUB_H;
  const hue = gene.slot ? SLOT_HUE[gene.slot] : null;
  const mainFill = hue === null ? 'var(--bar-main)' : `hsl(${hue} 65% 42%)`;
  const subFill = hue === null ? 'var(--bar-sub)' : `hsl(${hue} 55% 72%)`;
  const hex = (v: number) => v.toString(16);
  const g = s('g', {
    class: `gene ${gene.slot ? 'gene-attr' : 'gene-code'}`,
    'data-gene': gene.index, 'data-main': gene.main, 'data-sub': gene.sub,
    tabindex: '0', role: 'listitem', 'aria-label': describeGene(gene),
    onmouseenter: () => onPick(gene), onfocus: () => onPick(gene), onclick: () => onPick(gene),
  },
  s('title', null, describeGene(gene)),
  s('rect', { class: 'hit', x: left, y: 0, width: COL, height: HEIGHT - 16, fill: 'transparent' }),
  s('rect', { class: 'bar-main', x: left + 1, y: MAIN_H - mainH, width: BAR, height: mainH, fill: mainFill }),
  s('rect', { class: 'bar-sub', x: left + 1, y: SUB_TOP, width: BAR, height: subH, fill: subFill }),
  s('text', { class: 'nibble nibble-main', x: left + COL / 2, y: SUB_TOP + SUB_H + 12 }, hex(gene.main)),
  s('text', { class: 'nibble nibble-sub', x: left + COL / 2, y: SUB_TOP + SUB_H + 22 }, hex(gene.sub)));
  return g;
}

/** The barcode, its read-out line and the attribute table, for a genome hex. */
export function barcode(genomeHex: string): HTMLElement {
  const genes = decodeGenome(genomeHex);
  const readout = h('p', { class: 'barcode-readout', 'aria-live': 'polite' }, 'Hover, focus or tap a bar to read its gene.');
  let picked: SVGGElement | null = null;
  const svg = s('svg', {
    class: 'barcode-svg', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'list',
    'aria-label': 'Genome barcode: 40 genes, main values above the line, sub values below',
  });
  const onPick = (gene: Gene) => {
    readout.textContent = describeGene(gene);
    picked?.classList.remove('picked');
    picked = svg.querySelector(`[data-gene="${gene.index}"]`);
    picked?.classList.add('picked');
  };
  svg.append(
    s('line', { class: 'baseline', x1: 0, x2: WIDTH, y1: MAIN_H + 1.5, y2: MAIN_H + 1.5 }),
    ...genes.map((gene) => column(gene, onPick)),
    s('text', { class: 'group-label', x: (CODE_GENES * COL) / 2, y: HEIGHT - 2 }, 'code genes 0–31'),
    s('text', { class: 'group-label', x: x(CODE_GENES) + (8 * COL) / 2, y: HEIGHT - 2 }, 'attributes 32–39'),
  );

  const rows = genes.filter((g) => g.slot).map((gene) => {
    const slot = gene.slot as AttributeSlot;
    const hue = SLOT_HUE[slot];
    return h('tr', { 'data-slot': slot },
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:hsl(${hue} 65% 42%)` }), slotLabel(slot)),
      h('td', { class: 'attr-main' }, words(attributeName(slot, gene.main))),
      h('td', { class: 'attr-sub' }, words(attributeName(slot, gene.sub))),
      h('td', { class: 'attr-gene' }, String(gene.index)));
  });

  return h('section', { class: 'barcode', 'data-genome': genomeHex },
    h('div', { class: 'barcode-frame' }, svg),
    readout,
    h('p', { class: 'barcode-legend' },
      h('span', { class: 'key key-main' }), ' main value (shown in the portrait)  ',
      h('span', { class: 'key key-sub' }), ' sub value (carried; a parent passes it 1 time in 4)'),
    h('table', { class: 'attr-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Attribute'), h('th', { scope: 'col' }, 'Main'), h('th', { scope: 'col' }, 'Sub'), h('th', { scope: 'col' }, 'Gene'))),
      h('tbody', null, rows)),
    h('details', { class: 'genome-hex' }, h('summary', null, 'Genome hex'), h('code', null, genomeHex)),
  );
}
