// A probability as a bar and a number: how much the player's model likes a character.

import { h } from '../dom';
import { probabilityText } from '../taste';

export function probabilityMeter(p: number, label = 'Your taste'): HTMLElement {
  return h('div', { class: 'prob', 'data-probability': p.toFixed(4), title: `${label}: ${(p * 100).toFixed(1)}%` },
    h('span', { class: 'prob-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.max(0, Math.min(1, p)) * 100}%` })),
    h('span', { class: 'prob-text' }, `${label} ${probabilityText(p)}`));
}
