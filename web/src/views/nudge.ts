// Nudge (classifier patent fig. 7, "minimal change"): for one of the player's characters, the
// fewest gene edits (in nibble steps) that raise its score under the player's taste model to a
// target (`GET /api/taste/nudge/{id}`): the portrait before and after, the probability before and
// after, and each changed gene with its values. Nothing is minted: it shows what would change.

import { api, images, type GeneEdit, type Nudge, type TokenSummary } from '../api';
import { failure, info, loading, messageOf } from '../components/notice';
import { portrait } from '../components/portrait';
import { probabilityMeter } from '../components/probabilityMeter';
import { signInFirst, tasteProblem } from '../components/tasteNotice';
import { tokenPicker } from '../components/tokenPicker';
import { h, replace } from '../dom';
import { LEVEL_Z, slotLabel, words } from '../genome';
import type { RouteContext } from '../router';
import { percent } from '../taste';

/** Wait this long after the target slider stops before asking. */
const DEBOUNCE_MS = 350;

function editRow(edit: GeneEdit): HTMLElement {
  const what = edit.slot ? slotLabel(edit.slot) : `Code gene ${edit.gene}`;
  const from = edit.names ? words(edit.names[0]) : `level ${edit.from} (z ${LEVEL_Z[edit.from].toFixed(2)})`;
  const to = edit.names ? words(edit.names[1]) : `level ${edit.to} (z ${LEVEL_Z[edit.to].toFixed(2)})`;
  return h('tr', { class: 'nudge-edit', 'data-gene': edit.gene },
    h('th', { scope: 'row' }, what, h('span', { class: 'attr-gene' }, ` gene ${edit.gene}`)),
    h('td', null, from), h('td', { 'aria-hidden': 'true' }, '→'), h('td', { class: 'attr-main' }, to),
    h('td', null, `${edit.steps} step${edit.steps === 1 ? '' : 's'}`));
}

function result(n: Nudge): HTMLElement {
  return h('section', { class: 'nudge-result', 'data-edits': n.edits.length, 'data-genome': n.genome, 'data-target': n.target },
    h('div', { class: 'before-after' },
      h('figure', { class: 'nudge-before' }, portrait(images.token(n.token), `#${n.token} now`, 'md'),
        h('figcaption', null, h('strong', null, 'Now'), probabilityMeter(n.before))),
      h('div', { class: 'nudge-arrow', 'aria-hidden': 'true' }, '→'),
      h('figure', { class: 'nudge-after' }, portrait(images.genome(n.genome), `#${n.token} nudged`, 'md'),
        h('figcaption', null, h('strong', null, 'Nudged'), probabilityMeter(n.after)))),
    n.edits.length === 0
      ? info(`#${n.token} already scores ${percent(n.before)}, at or above the target: nothing to change.`)
      : [
        h('p', null, `${n.edits.length} gene${n.edits.length === 1 ? '' : 's'}, ${n.steps} nibble step${n.steps === 1 ? '' : 's'} in all, take it from ${percent(n.before)} to ${percent(n.after)}`,
          n.reached ? '.' : ` — the target of ${percent(n.target)} is out of reach, so this is the most any change achieves.`),
        h('table', { class: 'attr-table nudge-edits' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Gene'), h('th', { scope: 'col' }, 'Now'), h('th', { scope: 'col' }), h('th', { scope: 'col' }, 'Nudged'), h('th', { scope: 'col' }, 'Cost'))),
          h('tbody', null, n.edits.map(editRow))),
        h('p', { class: 'muted' }, 'Code genes are the portrait generator’s drawing settings, in 16 levels; a step is one level. An attribute change is one step.'),
      ]);
}

export function nudgeView({ session, signal, query }: RouteContext): HTMLElement {
  const root = h('section', { class: 'nudge' }, h('h1', null, 'Nudge'));
  root.append(h('p', { class: 'lede' }, 'The smallest change to one of your characters that your taste model would like more: the fewest gene edits that lift its score to the target.'));
  const gate = signInFirst(session, 'nudge your characters');
  if (gate) {
    root.append(gate);
    return root;
  }
  const me = session.me!.address;
  const state = { id: Number(query.get('id')) || null as number | null, target: Number(query.get('target')) || 0.9 };
  const pickerBox = h('div', null, loading('your characters'));
  const out = h('div', { class: 'nudge-out' });
  const tOut = h('output', null, percent(state.target));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tInput = h('input', {
    type: 'range', min: '0.5', max: '0.99', step: '0.01', value: String(state.target), name: 'target', 'aria-label': 'Target probability',
    oninput: (e: Event) => {
      state.target = Number((e.target as HTMLInputElement).value);
      tOut.textContent = percent(state.target);
      clearTimeout(timer);
      timer = setTimeout(changed, DEBOUNCE_MS);
    },
  });
  root.append(h('h2', null, 'Your character'), pickerBox,
    h('div', { class: 'filters' }, h('label', { class: 'range-label' }, 'Target: your model likes it at least ', tInput, tOut)), out);

  let token = 0;
  const changed = () => {
    const q = new URLSearchParams();
    if (state.id) q.set('id', String(state.id));
    if (state.target !== 0.9) q.set('target', String(state.target));
    history.replaceState(null, '', `#/nudge${q.toString() ? `?${q}` : ''}`);
    void load(++token);
  };
  const load = async (mine: number) => {
    const id = state.id;
    if (!id) return replace(out, h('p', { class: 'muted' }, 'Pick one of your characters above.'));
    root.dataset.state = 'loading';
    if (!out.hasChildNodes()) replace(out, loading(`the nudge for #${id}`));
    try {
      const n = await api.taste.nudge(id, state.target, signal);
      if (mine !== token || signal.aborted) return;
      root.dataset.state = 'ready';
      replace(out, result(n));
    } catch (e) {
      if (mine !== token || signal.aborted) return;
      root.dataset.state = 'empty';
      replace(out, tasteProblem(e));
    }
  };

  api.allTokens({ owner: me }, signal).then((tokens: TokenSummary[]) => {
    if (!tokens.length) return replace(pickerBox, info('You own no character yet: a nudge starts from one of yours.'));
    if (!state.id) state.id = tokens[0].id;
    replace(pickerBox, tokenPicker(tokens, state.id, (id) => { state.id = id; replace(out); changed(); }, 'Your character'));
    changed();
  }).catch((e) => {
    if (!signal.aborted) replace(pickerBox, failure(messageOf(e)));
  });
  return root;
}
