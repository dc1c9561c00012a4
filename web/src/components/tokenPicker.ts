// Pick one of the player's characters (Mates, Nudge): small portraits as a radio group.

import { images, type TokenSummary } from '../api';
import { h } from '../dom';
import { portrait } from './portrait';

export function tokenPicker(tokens: TokenSummary[], selected: number | null, onPick: (id: number) => void, label: string): HTMLElement {
  const group = h('div', { class: 'picker token-picker', role: 'radiogroup', 'aria-label': label });
  const draw = (current: number | null) => {
    group.replaceChildren(...tokens.map((t) => h('button', {
      type: 'button', role: 'radio', 'aria-checked': String(t.id === current), class: `pick${t.id === current ? ' picked' : ''}`, 'data-token': t.id,
      onclick: () => { draw(t.id); onPick(t.id); },
    },
    portrait(images.token(t.id), t.name, 'sm'),
    h('span', { class: 'pick-name' }, `#${t.id}`),
    h('span', { class: 'pick-meta' }, `Gen ${t.generation}`))));
  };
  draw(selected);
  return group;
}
