// One character as a card: portrait, name, generation and its main attributes.

import type { TokenSummary } from '../api';
import { images } from '../api';
import { h, sameAddress, type Child } from '../dom';
import { SLOTS, words } from '../genome';
import { portrait, type PortraitSize } from './portrait';

export interface CardOptions {
  /** The viewer's address, to mark their own characters. */
  me?: string | null;
  /** Where the card leads; default the character page. Null: not a link. */
  href?: string | null;
  /** Extra line under the attributes (readiness, a role in a tree…). */
  extra?: Child;
  size?: PortraitSize;
  /** Fewer attribute chips (family trees). */
  compact?: boolean;
}

/** The attribute chips worth showing: every slot's main value, skipping "none". */
export function attributeChips(attributes: Record<string, string>, compact = false): HTMLElement {
  const chips = SLOTS.filter((slot) => attributes[slot] && attributes[slot] !== 'none')
    .slice(0, compact ? 3 : SLOTS.length)
    .map((slot) => h('li', { class: `chip chip-${slot}`, title: words(slot) }, words(attributes[slot])));
  return h('ul', { class: 'chips', 'aria-label': 'Main attributes' }, chips);
}

export function characterCard(token: TokenSummary, options: CardOptions = {}): HTMLElement {
  const mine = sameAddress(options.me, token.owner);
  const body = [
    portrait(images.token(token.id), token.name, options.size ?? 'md'),
    h('div', { class: 'card-body' },
      h('h3', { class: 'card-title' }, token.name),
      h('p', { class: 'card-meta' },
        h('span', { class: 'gen' }, `Gen ${token.generation}`),
        token.matron ? h('span', null, ` · of #${token.matron} × #${token.sire}`) : h('span', null, ' · genesis'),
        mine ? h('span', { class: 'mine-tag' }, ' · yours') : null,
      ),
      attributeChips(token.attributes, options.compact),
      options.extra ?? null,
    ),
  ];
  const href = options.href === undefined ? `#/character/${token.id}` : options.href;
  return h('article', { class: 'card', 'data-token': token.id },
    href ? h('a', { class: 'card-link', href }, body) : body);
}
