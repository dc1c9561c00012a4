// Discover (classifier patent figs. 6, 8 and 9): every character on chain ranked by the player's
// taste model, best first, with the model's probability; and mutual matches with other owners —
// how much each likes the other's characters (`GET /api/taste/match/{address}`), for every other
// owner found on chain and for any address typed in.

import { api, ApiError, images, type Match, type RankedToken, type TokenSummary } from '../api';
import { characterCard } from '../components/characterCard';
import { failure, loading, messageOf } from '../components/notice';
import { portrait } from '../components/portrait';
import { probabilityMeter } from '../components/probabilityMeter';
import { signInFirst, tasteProblem } from '../components/tasteNotice';
import { h, replace, sameAddress, shortAddress } from '../dom';
import type { RouteContext } from '../router';

/** Characters ranked (the API's most). */
const RANKED = 200;
/** Other owners matched automatically, at most (one call each). */
const AUTO_MATCH = 12;

type Show = 'all' | 'others' | 'mine';

export function discoverView({ session, signal, query }: RouteContext): HTMLElement {
  const root = h('section', { class: 'discover' }, h('h1', null, 'Discover'));
  root.append(h('p', { class: 'lede' }, 'Every character on chain, ranked by your taste model; and the owners whose taste meets yours.'));
  const gate = signInFirst(session, 'see characters ranked by your taste');
  if (gate) {
    root.append(gate);
    return root;
  }
  const me = session.me!.address;
  const rankedBox = h('div', null, loading('the ranking'));
  const matchesBox = h('div', { class: 'matches', 'aria-label': 'Mutual matches' });
  const addressInput = h('input', { type: 'text', name: 'match-address', placeholder: '0x… an owner', value: query.get('with') ?? '', spellcheck: 'false', 'aria-label': 'Owner address' });
  const matchStatus = h('div');
  root.append(
    h('section', { class: 'ranked-section' }, h('h2', null, 'Ranked by your taste'), rankedBox),
    h('section', { class: 'match-section' },
      h('h2', null, 'Mutual matches'),
      h('p', { class: 'muted' }, 'For each owner: how much you would like their characters, how much they would like yours (each by their own model), and both at once.'),
      h('form', {
        class: 'match-form action-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const address = addressInput.value.trim();
          if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return replace(matchStatus, failure('An owner’s address is 0x and 40 hex digits.'));
          replace(matchStatus);
          void matchOne(address, true);
        },
      }, h('label', null, 'Match with an owner', addressInput), h('button', { type: 'submit', class: 'btn' }, 'Match')),
      matchStatus, matchesBox));

  const shown = new Map<string, HTMLElement>();
  let tokens: TokenSummary[] = [];

  const matchCard = (m: Match): HTMLElement => {
    const favourite = (id: number | null, caption: string) => id
      ? h('a', { class: 'match-favourite', href: `#/character/${id}` }, portrait(images.token(id), `#${id}`, 'sm'), h('span', null, `${caption}: #${id}`))
      : null;
    return h('article', { class: 'match', 'data-owner': m.other, 'data-mutual': m.mutual.toFixed(4) },
      h('h3', null, h('a', { href: `#/explore?owner=${m.other}` }, shortAddress(m.other))),
      probabilityMeter(m.mutual, 'Mutual'),
      probabilityMeter(m.i_like_theirs, 'You like theirs'),
      probabilityMeter(m.they_like_mine, 'They like yours'),
      h('div', { class: 'match-favourites' },
        favourite(m.my_favourite_of_theirs, 'your favourite of theirs'),
        favourite(m.their_favourite_of_mine, 'their favourite of yours')),
      h('a', { class: 'btn-ghost', href: `#/ideal?with=${m.other}` }, 'Your mutual ideal'));
  };

  /** Add or replace one owner's match, keeping the list sorted by the mutual score. */
  const matchOne = async (address: string, typed: boolean) => {
    const key = address.toLowerCase();
    try {
      const m = await api.taste.match(address, signal);
      shown.set(key, matchCard(m));
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) {
        shown.set(key, h('article', { class: 'match match-none', 'data-owner': address, 'data-mutual': '-1' },
          h('h3', null, h('a', { href: `#/explore?owner=${address}` }, shortAddress(address))), h('p', { class: 'muted' }, e.message)));
      } else if (typed || (e instanceof ApiError && e.status === 422)) {
        replace(matchStatus, tasteProblem(e));
        return;
      } else {
        return;
      }
    }
    const sorted = [...shown.values()].sort((a, b) => Number(b.dataset.mutual) - Number(a.dataset.mutual));
    replace(matchesBox, sorted);
  };

  const drawRanked = (ranked: RankedToken[], show: Show) => {
    const byId = new Map(tokens.map((t) => [t.id, t]));
    const cards = ranked
      .filter((r) => show === 'all' || (show === 'mine') === sameAddress(r.owner, me))
      .map((r, i) => {
        const token = byId.get(r.token);
        const card = token
          ? characterCard(token, { me, extra: probabilityMeter(r.probability) })
          : h('article', { class: 'card', 'data-token': r.token }, h('a', { class: 'card-link', href: `#/character/${r.token}` },
            portrait(images.token(r.token), `Chimera #${r.token}`), h('div', { class: 'card-body' }, h('h3', { class: 'card-title' }, `Chimera #${r.token}`), probabilityMeter(r.probability))));
        card.setAttribute('role', 'listitem');
        card.dataset.rank = String(i + 1);
        card.dataset.probability = r.probability.toFixed(4);
        return card;
      });
    return cards.length ? cards : [h('p', { class: 'empty' }, 'No character here.')];
  };

  void (async () => {
    let ranked: RankedToken[];
    try {
      [ranked, tokens] = await Promise.all([api.taste.rank(RANKED, signal), api.allTokens({}, signal)]);
    } catch (e) {
      if (!signal.aborted) replace(rankedBox, tasteProblem(e));
      return;
    }
    const grid = h('div', { class: 'grid ranked', role: 'list', 'aria-label': 'Ranked by your taste' });
    let show: Show = 'all';
    const select = h('select', {
      'aria-label': 'Whose characters', class: 'filter-owner',
      onchange: (e: Event) => { show = (e.target as HTMLSelectElement).value as Show; replace(grid, drawRanked(ranked, show)); },
    }, h('option', { value: 'all' }, 'Everyone’s'), h('option', { value: 'others' }, 'Other owners’'), h('option', { value: 'mine' }, 'Mine'));
    replace(grid, drawRanked(ranked, show));
    replace(rankedBox, h('div', { class: 'filters' }, select, h('p', { class: 'grid-count' }, `${ranked.length} characters, best first`)), grid);

    const owners = [...new Set(tokens.map((t) => t.owner.toLowerCase()))].filter((o) => !sameAddress(o, me)).slice(0, AUTO_MATCH);
    const typed = addressInput.value.trim();
    if (typed) await matchOne(typed, true);
    for (const owner of owners) {
      if (signal.aborted) return;
      const original = tokens.find((t) => sameAddress(t.owner, owner))!.owner;
      if (!shown.has(owner)) await matchOne(original, false);
    }
    if (!shown.size) replace(matchesBox, h('p', { class: 'empty' }, 'No other owners yet.'));
  })().catch((e) => {
    if (!signal.aborted) replace(rankedBox, failure(messageOf(e)));
  });
  return root;
}
