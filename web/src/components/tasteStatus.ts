// How the player's model stands (classifier patent: learning progress): the label count, updated
// from every label's reply, and the held-out accuracy and learning curve from `GET /api/taste`.
// That call refits the model dozens of times (k-fold plus the curve), so it is asked for after
// every few labels or when the player pauses, never twice at once; the figures say which label
// count they were measured at. Also: how often the queue's guess matched the player's answer
// (measured before each answer), and the genes the model found the player cares about.

import { api, ApiError, type Book, type TasteStatus } from '../api';
import { h, replace } from '../dom';
import { slotLabel, SLOTS } from '../genome';
import { percent } from '../taste';
import { learningCurve } from './learningCurve';
import { messageOf } from './notice';

/** Ask for the accuracy again after this many new answers… */
const EVERY = 5;
/** …or this long after the last answer. */
const IDLE_MS = 2500;
/** Guesses shown: the last this many. */
const GUESS_WINDOW = 10;

export interface TastePanel {
  element: HTMLElement;
  /** A label, skip or undo was answered: the book's new counts. */
  counted(status: TasteStatus): void;
  /** The queue's guess, made before the player answered, was right (or not). */
  guessed(hit: boolean): void;
  /** The first full status (class names for a classes book); null when the book does not exist. */
  first: Promise<TasteStatus | null>;
  /**
   * Work to finish before each measurement: `GET /api/taste` holds up the service while it
   * refits, so the labelling UI fetches its next characters first.
   */
  before: (() => Promise<void>) | null;
}

/** A gene's name for people: its attribute slot, or "code gene N". */
function geneName(gene: number): string {
  return gene >= 32 ? slotLabel(SLOTS[gene - 32]) : `code gene ${gene}`;
}

export function tastePanel(book: Book, signal: AbortSignal): TastePanel {
  const count = h('strong', null, '…');
  const countWord = h('span', null, 'labels');
  const skipped = h('span', { class: 'muted' });
  const accuracy = h('strong', null, '—');
  const accuracyNote = h('span', { class: 'muted' }, 'measured on labels it did not learn from');
  const guesses = h('p', { class: 'taste-guesses muted' });
  const updating = h('p', { class: 'taste-updating', role: 'status', 'aria-live': 'polite' });
  const curveBox = h('div', { class: 'curve-box' });
  const cares = h('p', { class: 'taste-cares' });
  const problem = h('div');
  const element = h('section', { class: 'taste-panel', 'aria-label': 'Your model', 'data-book': book },
    h('div', { class: 'taste-figures' },
      h('div', { class: 'figure taste-count' }, count, countWord, skipped),
      h('div', { class: 'figure taste-accuracy' }, accuracy, h('span', null, 'accuracy'), accuracyNote)),
    updating, guesses, h('h3', null, 'Learning curve'), curveBox, cares, problem);

  /** Bumped by every answer; the figures were measured at `measured`. */
  let version = 0;
  let measured = -1;
  let inFlight = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hits: boolean[] = [];
  let resolveFirst: (s: TasteStatus | null) => void = () => undefined;
  const first = new Promise<TasteStatus | null>((resolve) => { resolveFirst = resolve; });

  const setCount = (status: Pick<TasteStatus, 'labels' | 'skips'>) => {
    element.dataset.labels = String(status.labels);
    count.textContent = String(status.labels);
    countWord.textContent = status.labels === 1 ? 'label' : 'labels';
    skipped.textContent = status.skips ? `${status.skips} skipped` : '';
  };

  const show = (status: TasteStatus) => {
    setCount(status);
    element.dataset.evaluated = String(status.labels);
    const chance = status.task.kind === 'classes' ? 1 / status.task.names.length : 0.5;
    if (status.validation) {
      element.dataset.accuracy = status.validation.accuracy.toFixed(4);
      accuracy.textContent = percent(status.validation.accuracy);
      accuracyNote.textContent = `${status.validation.folds}-fold, held out, at ${status.labels} labels (chance: ${percent(chance)})`;
    } else {
      delete element.dataset.accuracy;
      accuracy.textContent = '—';
      accuracyNote.textContent = 'from 4 labels on';
    }
    replace(curveBox, learningCurve(status.learning_curve, chance));
    const relevance = status.model?.relevance;
    if (relevance && status.labels >= 8) {
      const top = relevance.map((r, gene) => ({ r, gene })).filter((g) => g.r < 100).sort((a, b) => a.r - b.r).slice(0, 4);
      cares.textContent = top.length ? `What you seem to care about: ${top.map((g) => geneName(g.gene)).join(', ')}.` : '';
    } else {
      cares.textContent = '';
    }
    if (status.model?.relative) cares.textContent += ' Learned from picks alone, so its percentages compare with an average character.';
  };

  const refresh = async () => {
    if (inFlight || signal.aborted) return;
    clearTimeout(timer);
    inFlight = true;
    const asked = version;
    element.dataset.state = 'updating';
    updating.textContent = measured < 0 ? 'Measuring your model…' : 'Measuring again with your new labels…';
    try {
      await panel.before?.();
      const status = await api.taste.status(book, signal);
      measured = asked;
      replace(problem);
      show(status);
      resolveFirst(status);
    } catch (e) {
      if (signal.aborted) return;
      measured = asked;
      if (e instanceof ApiError && e.status === 404) {
        resolveFirst(null);
        replace(problem, h('p', { class: 'muted' }, 'No classes yet.'));
      } else {
        replace(problem, h('p', { class: 'notice notice-error', role: 'alert' }, `Could not measure the model: ${messageOf(e)}`));
      }
    } finally {
      inFlight = false;
      element.dataset.state = 'idle';
      updating.textContent = '';
      schedule();
    }
  };

  const schedule = () => {
    if (inFlight || version === measured || signal.aborted) return;
    clearTimeout(timer);
    if (version - measured >= EVERY) void refresh();
    else timer = setTimeout(() => void refresh(), IDLE_MS);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  const panel: TastePanel = {
    element,
    first,
    before: null,
    counted(status) {
      version += 1;
      setCount(status);
      schedule();
    },
    guessed(hit) {
      hits.push(hit);
      const recent = hits.slice(-GUESS_WINDOW);
      guesses.textContent = `The model guessed ${recent.filter(Boolean).length} of your last ${recent.length} answers before you gave them.`;
    },
  };
  // After the caller's tick, so that a `before` it sets right away applies to the first measure.
  setTimeout(() => void refresh(), 0);
  return panel;
}
