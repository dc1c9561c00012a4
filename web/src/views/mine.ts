// My characters: the signed-in (or connected) account's characters as a sortable grid.

import { api } from '../api';
import { characterGrid } from '../components/characterGrid';
import { failure, info, loading, messageOf } from '../components/notice';
import { h, replace } from '../dom';
import type { RouteContext } from '../router';

export function mineView({ session, signal }: RouteContext): HTMLElement {
  const root = h('section', { class: 'mine' }, h('h1', null, 'My characters'));
  const address = session.address;
  if (!address) {
    root.append(info(session.wallet ? 'Connect your wallet and sign in to see your characters. ' : 'No wallet found in this browser: install one to own characters. ',
      session.wallet ? h('button', { type: 'button', class: 'btn', onclick: () => void session.connect() }, 'Connect wallet') : h('a', { href: '#/explore' }, 'Explore every character')));
    return root;
  }
  const body = h('div', null, loading('your characters'));
  root.append(h('p', { class: 'muted' }, `Owned by ${address}.`), body);
  api.allTokens({ owner: address }, signal).then((tokens) => {
    replace(body, characterGrid(tokens, {
      me: address,
      label: 'My characters',
      empty: [h('p', null, 'You own no character yet.'), h('p', null, 'Characters are born by breeding or received from other players. ', h('a', { href: '#/explore' }, 'See who owns what.'))],
    }), tokens.length >= 2 ? h('p', null, h('a', { class: 'btn btn-primary', href: '#/breed' }, 'Breed two of them')) : null);
  }).catch((e) => {
    if (!signal.aborted) replace(body, failure(messageOf(e)));
  });
  return root;
}
