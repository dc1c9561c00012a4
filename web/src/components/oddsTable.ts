// Per-gene inheritance odds from POST /api/preview: for every gene, the chance the child's main
// value is each candidate value (matron main/sub, sire main/sub, equal values added up), and the
// chance it mutates instead.

import type { GeneOdds } from '../api';
import { h } from '../dom';
import { slotLabel, words } from '../genome';
import { SLOT_HUE } from './barcode';

interface ValueOdds {
  value: string;
  p: number;
  from: string[];
}

const SOURCES = ['matron main', 'matron sub', 'sire main', 'sire sub'];

/** Candidates of one gene with equal values merged, most likely first. */
export function mergeOdds(gene: GeneOdds): ValueOdds[] {
  const merged = new Map<string, ValueOdds>();
  gene.values.forEach((v, i) => {
    const value = typeof v === 'number' ? String(v) : words(v);
    const entry = merged.get(value) ?? { value, p: 0, from: [] };
    entry.p += gene.odds[i] ?? 0;
    entry.from.push(SOURCES[i]);
    merged.set(value, entry);
  });
  return [...merged.values()].sort((a, b) => b.p - a.p);
}

const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;

function bar(entries: ValueOdds[], hue: number | null): HTMLElement {
  return h('div', { class: 'odds-bar', 'aria-hidden': 'true' },
    entries.map((e, i) => h('span', {
      style: `width:${e.p * 100}%;background:${hue === null ? `hsl(220 10% ${30 + i * 15}%)` : `hsl(${hue} 60% ${38 + i * 12}%)`}`,
    })));
}

export function oddsTable(inheritance: GeneOdds[]): HTMLElement {
  const attributes = inheritance.filter((g) => g.slot);
  const code = inheritance.filter((g) => !g.slot);
  const mutation = inheritance[0]?.mutation ?? 0;
  return h('section', { class: 'odds' },
    h('table', { class: 'odds-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Attribute'), h('th', { scope: 'col' }, 'Child’s main value'))),
      h('tbody', null, attributes.map((g) => {
        const entries = mergeOdds(g);
        return h('tr', { 'data-gene': g.gene },
          h('th', { scope: 'row' }, slotLabel(g.slot as string)),
          h('td', null,
            bar(entries, SLOT_HUE[g.slot as keyof typeof SLOT_HUE]),
            h('span', { class: 'odds-values' }, entries.map((e) => h('span', { class: 'odds-value', title: `from ${e.from.join(', ')}` }, `${e.value} ${pct(e.p * (1 - g.mutation))}`)))));
      }))),
    h('p', { class: 'muted' }, `Each gene also mutates with probability ${pct(mutation)} (to a new value), so the percentages above add up to ${pct(1 - mutation)}.`),
    h('details', { class: 'odds-code' },
      h('summary', null, 'Code genes 0–31 (the drawing settings)'),
      h('div', { class: 'odds-code-grid' }, code.map((g) => {
        const entries = mergeOdds(g);
        return h('div', { class: 'odds-code-gene', 'data-gene': g.gene },
          h('span', { class: 'odds-code-index' }, `gene ${g.gene}`),
          bar(entries, null),
          h('span', { class: 'odds-values' }, entries.map((e) => `${e.value}: ${pct(e.p * (1 - g.mutation))}`).join(' · ')));
      }))));
}
