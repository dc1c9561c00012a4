// Explore: every indexed character (or one owner's, with ?owner=0x…), sortable and filterable.

import { api } from '../api';
import { characterGrid } from '../components/characterGrid';
import { failure, loading, messageOf } from '../components/notice';
import { h, replace, sameAddress, shortAddress } from '../dom';
import type { RouteContext } from '../router';

export function exploreView({ session, signal, query }: RouteContext): HTMLElement {
  const owner = query.get('owner') ?? undefined;
  const root = h('section', { class: 'explore' },
    h('h1', null, owner ? `Characters of ${sameAddress(owner, session.address) ? 'yours' : shortAddress(owner)}` : 'Explore'),
    owner ? h('p', { class: 'muted' }, owner, ' · ', h('a', { href: '#/explore' }, 'everyone’s')) : h('p', { class: 'muted' }, 'Every character on chain, newest first.'));
  const body = h('div', null, loading('characters'));
  root.append(body);
  api.allTokens(owner ? { owner } : {}, signal).then((tokens) => {
    replace(body, characterGrid(tokens, { me: session.address, label: 'Characters', empty: h('p', null, 'No characters yet.') }));
  }).catch((e) => {
    if (!signal.aborted) replace(body, failure(messageOf(e)));
  });
  return root;
}
