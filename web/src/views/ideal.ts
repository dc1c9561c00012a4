// Ideal (classifier patent figs. 4, 13, 16 and 17): the service reverses the player's classifier
// into the genome it rates highest, close to an ordinary character, plus variations that score as
// high. Drawn again whenever the label count changes (checked every few seconds, and after each
// swipe here). For a classes book, one ideal per class; with another owner's address, the mutual
// ideal both models like (fig. 9). Below, fig. 16: a deck of high scorers to swipe through — the
// ideal's variations and the best-ranked characters on chain — whose verdicts train the model too.

import { api, images, type Book, type Ideal, type IdealCandidate, type RankedToken } from '../api';
import { attributeChips } from '../components/characterCard';
import { failure, info, loading, messageOf } from '../components/notice';
import { portrait } from '../components/portrait';
import { probabilityMeter } from '../components/probabilityMeter';
import { swipeDeck, type DeckItem } from '../components/swipeDeck';
import { signInFirst, tasteProblem } from '../components/tasteNotice';
import { h, replace, shortAddress, sleep } from '../dom';
import { attributeName, decodeGenome, SLOTS } from '../genome';
import type { RouteContext } from '../router';
import { labelCount, LabelLog, percent } from '../taste';

/** Variations drawn besides each ideal. */
const VARIATIONS = 6;
/** How often the label count is checked while the view is open. */
const POLL_MS = 6000;
/** Ranked characters in the deck, at most, and the least probability they need. */
const DECK_RANKED = 12;
const DECK_MIN_P = 0.6;

/** The main attributes of a genome, by slot (for the chips). */
function attributesOf(genome: string): Record<string, string> {
  const genes = decodeGenome(genome);
  return Object.fromEntries(SLOTS.map((slot, i) => [slot, attributeName(slot, genes[32 + i].main)]));
}

/** One meter per model asked: yours, then the other owner's (named in full only where there is room). */
function meters(c: IdealCandidate, other: string | null, compact = false): HTMLElement[] {
  return c.probabilities.map((p, i) => probabilityMeter(p, i === 0 ? 'You' : other && !compact ? shortAddress(other) : 'Them'));
}

function idealCard(ideal: Ideal, title: string, other: string | null): HTMLElement {
  const { best } = ideal;
  return h('article', { class: 'ideal-card', 'data-genome': best.genome, 'data-reached': String(ideal.reached) },
    h('h2', null, title),
    h('div', { class: 'ideal-main' },
      portrait(images.genome(best.genome), title, 'lg'),
      h('div', { class: 'ideal-facts' },
        meters(best, other),
        h('p', { class: 'muted' }, ideal.reached
          ? `Reaches the target of ${percent(ideal.target)}.`
          : `Does not reach ${percent(ideal.target)}: this is the closest your model can get.`),
        h('p', { class: 'muted', title: 'Root-mean-square distance from an ordinary character in the latent space' },
          `How unusual: ${best.latent_rms.toFixed(2)} (0 is an ordinary character).`),
        attributeChips(attributesOf(best.genome)),
        h('details', { class: 'genome-hex' }, h('summary', null, 'Genome hex'), h('code', null, best.genome)))),
    ideal.variations.length
      ? [h('h3', null, 'Variations that score as high'),
        h('div', { class: 'grid grid-small ideal-variations' }, ideal.variations.map((v, i) =>
          h('figure', { class: 'sample ideal-variation', 'data-genome': v.genome },
            portrait(images.genome(v.genome), `Variation ${i + 1}`, 'sm'),
            h('figcaption', null, meters(v, other, true)))))]
      : null);
}

export function idealView({ session, signal, query }: RouteContext): HTMLElement {
  const root = h('section', { class: 'ideal' }, h('h1', null, 'Ideal'));
  root.append(h('p', { class: 'lede' },
    'Your classifier run backwards: the character your model rates highest, and variations that score as high. It is drawn again each time you add labels.'));
  const gate = signInFirst(session, 'see your ideal character');
  if (gate) {
    root.append(gate);
    return root;
  }
  const me = session.me!.address;
  const state = { book: (query.get('book') === 'classes' ? 'classes' : 'taste') as Book, with: query.get('with') ?? '', labels: -1 };

  const regenerated = h('p', { class: 'muted ideal-status', role: 'status', 'aria-live': 'polite' });
  const ideals = h('div', { class: 'ideals' }, loading('your ideal'));
  const deckBox = h('section', { class: 'ideal-deck' });
  const withInput = h('input', { type: 'text', name: 'with', placeholder: '0x… another owner', value: state.with, 'aria-label': 'Another owner’s address', spellcheck: 'false' });
  const withForm = h('form', {
    class: 'with-form action-form',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const address = withInput.value.trim();
      if (address && !/^0x[0-9a-fA-F]{40}$/.test(address)) {
        replace(ideals, failure('Another owner’s address is 0x and 40 hex digits.'));
        return;
      }
      state.with = address;
      changed();
    },
  },
  h('label', null, 'Mutual ideal with another owner (optional)', withInput),
  h('button', { type: 'submit', class: 'btn' }, 'Show'),
  h('button', { type: 'button', class: 'btn-ghost', onclick: () => { withInput.value = ''; state.with = ''; changed(); } }, 'Just mine'));
  const bookSelect = h('select', {
    'aria-label': 'Which model', class: 'book-select',
    onchange: (e: Event) => { state.book = (e.target as HTMLSelectElement).value as Book; changed(); },
  },
  h('option', { value: 'taste', selected: state.book === 'taste' }, 'My taste (like / dislike)'),
  h('option', { value: 'classes', selected: state.book === 'classes' }, 'My classes (one ideal per class)'));
  root.append(h('div', { class: 'filters' }, bookSelect), withForm, regenerated, ideals, deckBox);

  const changed = () => {
    const q = new URLSearchParams();
    if (state.book !== 'taste') q.set('book', state.book);
    if (state.with) q.set('with', state.with);
    history.replaceState(null, '', `#/ideal${q.toString() ? `?${q}` : ''}`);
    withForm.hidden = state.book === 'classes';
    state.labels = -1;
    void check();
  };

  /** Bumped per draw: an older answer is dropped. */
  let drawing = 0;
  const draw = async (labels: number) => {
    const token = ++drawing;
    root.dataset.state = 'loading';
    regenerated.textContent = state.labels < 0 ? '' : `You added labels: drawing your ideal again from ${labels}…`;
    try {
      const other = state.book === 'taste' && state.with ? state.with : null;
      const result = await api.taste.ideal({ book: state.book, variations: VARIATIONS, with: other ?? undefined }, signal);
      if (token !== drawing || signal.aborted) return;
      state.labels = labels;
      const names = state.book === 'classes' ? classNames(result.length) : [];
      replace(ideals, result.map((ideal, i) => idealCard(ideal, state.book === 'classes'
        ? `Ideal “${names[i]}”`
        : other ? `The mutual ideal of you and ${shortAddress(other)}` : 'Your ideal', other)));
      root.dataset.labels = String(labels);
      root.dataset.genome = result[0]?.best.genome ?? '';
      root.dataset.state = 'ready';
      regenerated.textContent = `Drawn from your ${labels} labels.`;
      if (state.book === 'taste' && !other && !deckBox.hasChildNodes()) void drawDeck(result[0]);
    } catch (e) {
      if (token !== drawing || signal.aborted) return;
      state.labels = labels;
      root.dataset.labels = String(labels);
      root.dataset.state = 'empty';
      regenerated.textContent = '';
      replace(ideals, tasteProblem(e));
    }
  };

  const classNames = (n: number): string[] => {
    let remembered: string[] | null = null;
    try {
      remembered = JSON.parse(localStorage.getItem(`chimera.classes.${me.toLowerCase()}`) ?? 'null') as string[] | null;
    } catch {
      // fall back to numbers
    }
    return Array.from({ length: n }, (_, i) => remembered?.length === n ? remembered[i] : `class ${i + 1}`);
  };

  /** Draw again when the label count moved since the last draw. */
  const check = async () => {
    try {
      const labels = await labelCount(state.book, signal);
      if (labels === null) {
        state.labels = 0;
        root.dataset.state = 'empty';
        replace(ideals, info('You have no classes yet. ', h('a', { href: '#/train?mode=classes' }, 'Define them in Train'), ', label some characters, and come back for one ideal per class.'));
        return;
      }
      if (labels !== state.labels) await draw(labels);
    } catch (e) {
      if (!signal.aborted) replace(ideals, failure(messageOf(e)));
    }
  };

  /** Fig. 16: the ideal's variations and the best-ranked characters, to swipe through. */
  let soon: ReturnType<typeof setTimeout> | undefined;
  const checkSoon = () => {
    clearTimeout(soon);
    soon = setTimeout(() => void check(), 800);
  };
  const log = new LabelLog('taste', { onStatus: checkSoon, onError: (m) => deckBox.append(failure(`Not saved: ${m}`)) });
  const drawDeck = async (ideal: Ideal | undefined) => {
    if (!ideal) return;
    deckBox.append(h('h2', null, 'A deck of high scorers'), loading('the deck'));
    let ranked: RankedToken[] = [];
    try {
      ranked = (await api.taste.rank(DECK_RANKED * 2, signal)).filter((r) => r.probability >= DECK_MIN_P).slice(0, DECK_RANKED);
    } catch {
      // the variations alone still make a deck
    }
    if (signal.aborted) return;
    const items: DeckItem[] = [
      ...[ideal.best, ...ideal.variations].map((c, i): DeckItem => ({
        key: c.genome, image: images.genome(c.genome), title: i === 0 ? 'Your ideal' : `Variation ${i}`,
        subtitle: `generated · your model: ${percent(c.probabilities[0])}`, predicted: c.probabilities[0],
      })),
      ...ranked.map((r): DeckItem => ({
        key: r.genome, image: images.token(r.token), title: `Chimera #${r.token}`,
        subtitle: `on chain, ${r.owner.toLowerCase() === me.toLowerCase() ? 'yours' : `owned by ${shortAddress(r.owner)}`} · your model: ${percent(r.probability)}`,
        predicted: r.probability,
      })),
    ];
    replace(deckBox,
      h('h2', null, 'A deck of high scorers'),
      h('p', { class: 'muted' }, 'Everything here scores high with your model (classifier patent fig. 16). Swipe through: each verdict is a label too, so the ideal above is drawn again as you go.'),
      swipeDeck({
        items, signal,
        onVerdict: ({ item, verdict }) => void (verdict === 'skip' ? log.skip(item.key) : log.label({ kind: 'swipe', genome: item.key, like: verdict === 'like' })),
        onUndo: () => void log.undo(),
        doneText: 'That was the deck. Train more, and come back for a new one.',
      }));
  };

  withForm.hidden = state.book === 'classes';
  void (async () => {
    await check();
    while (!signal.aborted) {
      await sleep(POLL_MS, signal).catch(() => undefined);
      if (!signal.aborted && document.visibilityState === 'visible') await check();
    }
  })();
  return root;
}
