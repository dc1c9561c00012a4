// A sortable, filterable grid of character cards (My characters, Explore, the breed pickers).

import type { TokenSummary } from '../api';
import { h, replace, type Child } from '../dom';
import { SLOTS, slotLabel, words } from '../genome';
import { characterCard, type CardOptions } from './characterCard';

type SortKey = 'newest' | 'oldest' | 'gen-asc' | 'gen-desc' | `slot:${string}`;

export interface GridOptions {
  /** The viewer's address, to mark their own characters. */
  me?: string | null;
  /** Shown when there is nothing at all. */
  empty: Child;
  /** Per-card extras (e.g. breeding readiness). */
  card?: (token: TokenSummary) => CardOptions;
  /** Label of the grid, for screen readers and tests. */
  label: string;
}

function matches(token: TokenSummary, needle: string): boolean {
  if (!needle) return true;
  const hay = [`#${token.id}`, token.name, token.owner, ...Object.values(token.attributes).map(words)].join(' ').toLowerCase();
  return needle.toLowerCase().split(/\s+/).filter(Boolean).every((word) => hay.includes(word));
}

function sorter(key: SortKey): (a: TokenSummary, b: TokenSummary) => number {
  switch (key) {
    case 'newest':
      return (a, b) => b.id - a.id;
    case 'oldest':
      return (a, b) => a.id - b.id;
    case 'gen-asc':
      return (a, b) => a.generation - b.generation || a.id - b.id;
    case 'gen-desc':
      return (a, b) => b.generation - a.generation || b.id - a.id;
    default: {
      const slot = key.slice('slot:'.length) as (typeof SLOTS)[number];
      return (a, b) => (a.attributes[slot] ?? '').localeCompare(b.attributes[slot] ?? '') || a.id - b.id;
    }
  }
}

export function characterGrid(tokens: TokenSummary[], options: GridOptions): HTMLElement {
  if (tokens.length === 0) return h('div', { class: 'empty' }, options.empty);

  const state = { search: '', generation: 'all', sort: 'newest' as SortKey };
  const generations = [...new Set(tokens.map((t) => t.generation))].sort((a, b) => a - b);
  const grid = h('div', { class: 'grid', role: 'list', 'aria-label': options.label });
  const count = h('p', { class: 'grid-count', role: 'status' });

  const draw = () => {
    const shown = tokens
      .filter((t) => state.generation === 'all' || t.generation === Number(state.generation))
      .filter((t) => matches(t, state.search))
      .sort(sorter(state.sort));
    count.textContent = shown.length === tokens.length ? `${tokens.length} characters` : `${shown.length} of ${tokens.length} characters`;
    replace(grid, shown.length
      ? shown.map((t) => {
        const card = characterCard(t, { me: options.me, ...(options.card?.(t) ?? {}) });
        card.setAttribute('role', 'listitem');
        return card;
      })
      : h('p', { class: 'empty' }, 'No character matches these filters.'));
  };

  const search = h('input', {
    type: 'search', placeholder: 'Filter: blonde, crown, #12…', 'aria-label': 'Filter characters', class: 'filter-search',
    oninput: (e: Event) => { state.search = (e.target as HTMLInputElement).value; draw(); },
  });
  const generation = h('select', {
    'aria-label': 'Generation', class: 'filter-generation',
    onchange: (e: Event) => { state.generation = (e.target as HTMLSelectElement).value; draw(); },
  },
  h('option', { value: 'all' }, 'All generations'),
  generations.map((g) => h('option', { value: String(g) }, `Generation ${g}`)));
  const sort = h('select', {
    'aria-label': 'Sort', class: 'filter-sort',
    onchange: (e: Event) => { state.sort = (e.target as HTMLSelectElement).value as SortKey; draw(); },
  },
  h('option', { value: 'newest' }, 'Newest first'),
  h('option', { value: 'oldest' }, 'Oldest first'),
  h('option', { value: 'gen-asc' }, 'Generation ↑'),
  h('option', { value: 'gen-desc' }, 'Generation ↓'),
  h('optgroup', { label: 'By attribute (A–Z)' }, SLOTS.map((slot) => h('option', { value: `slot:${slot}` }, slotLabel(slot)))));

  draw();
  return h('section', { class: 'grid-section' },
    h('div', { class: 'filters' }, search, generation, sort, count),
    grid);
}
