// A character's family tree (the fusion patent: "images of ancestors … in the form of a family
// tree"): a pedigree of ancestors above the character, several generations up, and its
// descendants below, generation by generation, every relative with its portrait.

import type { Family, FamilyMember, TokenSummary } from '../api';
import { images } from '../api';
import { h } from '../dom';
import { words } from '../genome';
import { portrait } from './portrait';

const ANCESTOR_NAMES = ['Parents', 'Grandparents', 'Great-grandparents'];
const DESCENDANT_NAMES = ['Children', 'Grandchildren', 'Great-grandchildren'];

function generationName(names: string[], distance: number): string {
  if (distance <= names.length) return names[distance - 1];
  return `Great-${'great-'.repeat(distance - 3)}${names[1].toLowerCase()}`;
}

function member(token: TokenSummary, role: string, isRoot = false): HTMLElement {
  return h('a', {
    class: `tree-card${isRoot ? ' tree-root' : ''}`, href: `#/character/${token.id}`, 'data-token': token.id,
    title: `${token.name}, generation ${token.generation}`,
  },
  portrait(images.token(token.id), token.name, 'sm'),
  h('span', { class: 'tree-name' }, `#${token.id}`),
  h('span', { class: 'tree-role' }, role),
  h('span', { class: 'tree-attrs' }, words(token.attributes.hair_colour ?? ''), ' ', words(token.attributes.hair_style ?? '')));
}

/** Ancestors of `token` as nested nodes: parents above, their parents above them… */
function pedigree(token: TokenSummary, known: Map<number, TokenSummary>, level: number, depth: number, role: string): HTMLElement {
  const node = h('div', { class: 'ped-node' });
  if (level < depth && token.matron && token.sire) {
    const matron = known.get(token.matron);
    const sire = known.get(token.sire);
    node.append(h('div', { class: 'ped-parents' },
      matron ? pedigree(matron, known, level + 1, depth, 'matron') : h('span', { class: 'tree-gap' }, `#${token.matron}`),
      sire ? pedigree(sire, known, level + 1, depth, 'sire') : h('span', { class: 'tree-gap' }, `#${token.sire}`)));
  }
  node.append(member(token, role, level === 0));
  return node;
}

export function familyTree(family: Family, depth: number): HTMLElement {
  const known = new Map<number, TokenSummary>([[family.root.id, family.root], ...family.ancestors.map((a): [number, TokenSummary] => [a.id, a])]);
  const ancestorGenerations = family.ancestors.length ? Math.max(...family.ancestors.map((a) => a.distance)) : 0;

  const byDistance = new Map<number, FamilyMember[]>();
  for (const d of family.descendants) byDistance.set(d.distance, [...(byDistance.get(d.distance) ?? []), d]);
  const descendantRows = [...byDistance.entries()].sort(([a], [b]) => a - b).map(([distance, members]) =>
    h('div', { class: 'desc-row', 'data-distance': distance },
      h('h4', null, generationName(DESCENDANT_NAMES, distance)),
      h('div', { class: 'desc-members' }, members.sort((a, b) => a.id - b.id).map((m) => member(m, `of #${m.matron} × #${m.sire}`)))));

  const scroller = h('div', { class: 'tree-scroll' },
    h('div', { class: 'pedigree', 'data-generations': ancestorGenerations }, pedigree(family.root, known, 0, depth, 'this character')));
  // On a narrow screen the pedigree scrolls sideways: start with the character in the middle.
  requestAnimationFrame(() => { scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) / 2; });

  return h('section', { class: 'family-tree', 'aria-label': 'Family tree' },
    h('p', { class: 'tree-summary' },
      family.root.generation === 0 && !family.ancestors.length
        ? 'A genesis character: no parents. '
        : `${family.ancestors.length} ancestors over ${ancestorGenerations} generation${ancestorGenerations === 1 ? '' : 's'}. `,
      family.descendants.length ? `${family.descendants.length} descendants.` : 'No descendants yet.'),
    scroller,
    descendantRows.length ? h('div', { class: 'descendants' }, descendantRows) : null,
    ancestorGenerations ? h('p', { class: 'tree-legend' }, `Read upwards: ${generationName(ANCESTOR_NAMES, 1).toLowerCase()} above the character, matron on the left, sire on the right.`) : null);
}
