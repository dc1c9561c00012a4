// Mates: for one of the player's characters, the partners whose children their taste model would
// like most (`GET /api/taste/mates/{id}`): the exact expected score under the on-chain breeding
// law, and sampled children as a histogram with P(child ≥ t). Partners are the player's own
// characters and those whose owners approved them for siring; each links into Breed with the pair
// picked.

import { api, images, type Mate, type TokenSummary } from '../api';
import { childHistogram } from '../components/childHistogram';
import { failure, info, loading, messageOf } from '../components/notice';
import { portrait } from '../components/portrait';
import { probabilityMeter } from '../components/probabilityMeter';
import { signInFirst, tasteProblem } from '../components/tasteNotice';
import { tokenPicker } from '../components/tokenPicker';
import { h, replace, shortAddress } from '../dom';
import type { RouteContext } from '../router';
import { percent } from '../taste';

/** Partners listed. */
const SHORTLIST = 10;

function mateRow(id: number, m: Mate, rank: number): HTMLElement {
  const c = m.children;
  return h('article', { class: 'mate', 'data-token': m.token, 'data-rank': rank, 'data-p-at-least': c.p_at_least.toFixed(4) },
    h('a', { class: 'mate-portrait', href: `#/character/${m.token}` }, portrait(images.token(m.token), `Chimera #${m.token}`, 'sm')),
    h('div', { class: 'mate-facts' },
      h('h3', null, `${rank}. #${m.token}`, h('span', { class: 'muted' }, m.own ? ' · yours' : ` · ${shortAddress(m.owner)}, approved for you`)),
      probabilityMeter(c.mean_probability, 'Children, on average'),
      h('p', { class: 'mate-odds' },
        h('strong', { class: 'p-at-least' }, percent(c.p_at_least)),
        ` of ${c.samples} sampled children score at least ${percent(c.threshold)}`),
      h('p', { class: 'muted' }, `Expected score (log-odds) ${m.expected_score.toFixed(2)}`)),
    h('div', { class: 'mate-chart' }, childHistogram(c)),
    h('a', { class: 'btn btn-primary mate-breed', href: `#/breed?matron=${id}&sire=${m.token}` }, `Breed #${id} × #${m.token}`));
}

export function matesView({ session, signal, query }: RouteContext): HTMLElement {
  const root = h('section', { class: 'mates' }, h('h1', null, 'Mates'));
  root.append(h('p', { class: 'lede' }, 'Pick one of your characters: its partners are ranked by how much your taste model would like their children, under the same law the contract breeds by.'));
  const gate = signInFirst(session, 'rank mates by your taste');
  if (gate) {
    root.append(gate);
    return root;
  }
  const me = session.me!.address;
  const state = { id: Number(query.get('id')) || null as number | null, threshold: Number(query.get('t')) || 0.8 };
  const pickerBox = h('div', null, loading('your characters'));
  const results = h('div', { class: 'mate-list', 'aria-label': 'Mates', role: 'list' });
  const tOut = h('output', null, percent(state.threshold));
  const tInput = h('input', {
    type: 'range', min: '0.5', max: '0.95', step: '0.05', value: String(state.threshold), name: 'threshold', 'aria-label': 'Threshold t',
    oninput: (e: Event) => { state.threshold = Number((e.target as HTMLInputElement).value); tOut.textContent = percent(state.threshold); },
    onchange: () => changed(),
  });
  root.append(
    h('h2', null, 'Your character'), pickerBox,
    h('div', { class: 'filters' }, h('label', { class: 'range-label' }, 'Child counts as a hit from t = ', tInput, tOut)),
    results);

  let token = 0;
  const changed = () => {
    const q = new URLSearchParams();
    if (state.id) q.set('id', String(state.id));
    if (state.threshold !== 0.8) q.set('t', String(state.threshold));
    history.replaceState(null, '', `#/mates${q.toString() ? `?${q}` : ''}`);
    void load(++token);
  };

  const load = async (mine: number) => {
    const id = state.id;
    if (!id) {
      replace(results, h('p', { class: 'muted' }, 'Pick one of your characters above.'));
      return;
    }
    root.dataset.state = 'loading';
    replace(results, loading(`mates for #${id}`));
    try {
      const mates = await api.taste.mates(id, { shortlist: SHORTLIST, threshold: state.threshold }, signal);
      if (mine !== token || signal.aborted) return;
      root.dataset.state = 'ready';
      root.dataset.token = String(id);
      replace(results, mates.length
        ? mates.map((m, i) => {
          const row = mateRow(id, m, i + 1);
          row.setAttribute('role', 'listitem');
          return row;
        })
        : info(`No partner for #${id}: breed needs another of your characters (not its parent or child), or one whose owner approved you.`));
    } catch (e) {
      if (mine !== token || signal.aborted) return;
      root.dataset.state = 'empty';
      replace(results, tasteProblem(e));
    }
  };

  api.allTokens({ owner: me }, signal).then((tokens: TokenSummary[]) => {
    if (!tokens.length) return replace(pickerBox, info('You own no character yet: mates are ranked for one of yours.'));
    if (!state.id) state.id = tokens[0].id;
    replace(pickerBox, tokenPicker(tokens, state.id, (id) => { state.id = id; changed(); }, 'Your character'));
    changed();
  }).catch((e) => {
    if (!signal.aborted) replace(pickerBox, failure(messageOf(e)));
  });
  return root;
}
