// The other ways to label (classifier patent figs. 13–15): a 0–1 slider for one character, pick
// the one you prefer of two or of four, or put a character into one of your own classes. One
// prompt at a time, with skip and undo; keys as well as buttons (1–4 pick or choose a class,
// ← → pick of two, Enter sends the slider, ↑ skips, Backspace undoes). Like the swipe deck it is
// pure UI, fed by `more` a batch ahead, and reports each answer to its owner.

import { h, replace } from '../dom';
import { images } from '../api';
import { portrait } from './portrait';

export type PromptMode = 'slider' | 'pick_two' | 'pick_four' | 'classes';

/** One question: the genomes shown (1, or 2 / 4 to pick from). */
export interface PromptItem {
  key: string;
  genomes: string[];
  /** The model's guesses before the player answers (like probability per genome); may be empty. */
  predicted: number[];
}

export type Answer =
  | { kind: 'slider'; value: number }
  | { kind: 'pick'; chosen: number }
  | { kind: 'class'; class: number }
  | { kind: 'skip' };

export interface PromptDecision {
  item: PromptItem;
  answer: Answer;
}

export interface PromptOptions {
  mode: PromptMode;
  /** The class names, for `classes`. */
  classNames?: string[];
  /** The next prompts; asked for while a few are left. */
  more: () => Promise<PromptItem[]>;
  onAnswer: (decision: PromptDecision) => void;
  onUndo: (decision: PromptDecision) => void;
  /** Detaches the keyboard listener when aborted. */
  signal: AbortSignal;
}

/** Prompts left when `more` is asked. */
const PREFETCH_AT = 4;
/** Empty answers from `more` in a row before the prompt stops asking (until "Try again"). */
const EMPTY_TRIES = 3;

export function labelPrompt(options: PromptOptions): HTMLElement {
  const { mode } = options;
  const items: PromptItem[] = [];
  const keys = new Set<string>();
  const history: PromptDecision[] = [];
  let index = 0;
  let fetching = false;
  let failed = '';
  let empty = 0;
  let slider = 0.5;

  const stage = h('div', { class: 'prompt-stage' });
  const status = h('p', { class: 'deck-status', role: 'status', 'aria-live': 'polite' });
  const undoButton = h('button', { type: 'button', class: 'prompt-undo', onclick: () => undo(), 'aria-keyshortcuts': 'Backspace' }, '↶ Undo');
  const skipButton = h('button', { type: 'button', class: 'prompt-skip', onclick: () => answer({ kind: 'skip' }), 'aria-keyshortcuts': 'ArrowUp' },
    mode === 'pick_two' || mode === 'pick_four' ? 'Neither (skip)' : 'Skip');
  const hint = {
    slider: 'Slide from 0 (not for me) to 1 (love it), then Send or press Enter. ↑ skips, Backspace undoes.',
    pick_two: 'Pick the one you prefer: click it, or press 1 / 2 (or ← / →). ↑ skips, Backspace undoes.',
    pick_four: 'Pick the one you prefer: click it, or press 1–4. ↑ skips, Backspace undoes.',
    classes: 'Put the character in one of your classes: click, or press its number. ↑ skips, Backspace undoes.',
  }[mode];
  const root = h('section', { class: `label-prompt prompt-${mode}`, 'aria-label': 'Label prompt', 'data-mode': mode },
    stage, h('div', { class: 'deck-buttons' }, skipButton, undoButton), status, h('p', { class: 'deck-hint' }, hint));

  function draw(): void {
    root.dataset.index = String(index);
    root.dataset.answered = String(history.filter((d) => d.answer.kind !== 'skip').length);
    status.textContent = `${history.length} answered${failed ? ` · ${failed}` : ''}`;
    undoButton.disabled = history.length === 0;
    skipButton.disabled = index >= items.length;
    void fill();
    const item = items[index];
    if (!item) {
      root.dataset.waiting = 'true';
      const retry = h('button', { type: 'button', class: 'btn-ghost', onclick: () => { failed = ''; empty = 0; draw(); } }, 'Try again');
      replace(stage, h('div', { class: 'prompt-waiting' }, failed
        ? [`The next characters did not come: ${failed} `, retry]
        : empty >= EMPTY_TRIES ? ['No new characters to ask about right now. ', retry] : 'Fetching the next characters…'));
      return;
    }
    delete root.dataset.waiting;
    replace(stage, body(item));
  }

  function body(item: PromptItem): HTMLElement {
    if (mode === 'pick_two' || mode === 'pick_four') {
      return h('div', { class: `pick-grid pick-${item.genomes.length}`, role: 'group', 'aria-label': 'Pick the one you prefer' },
        item.genomes.map((genome, i) => h('button', {
          type: 'button', class: 'pick-option', 'data-genome': genome, 'data-choice': i,
          'aria-keyshortcuts': String(i + 1), onclick: () => answer({ kind: 'pick', chosen: i }),
        }, portrait(images.genome(genome), `Choice ${i + 1}`, 'md'), h('span', { class: 'pick-number' }, String(i + 1)))));
    }
    const genome = item.genomes[0];
    const figure = h('div', { class: 'prompt-card', 'data-genome': genome }, portrait(images.genome(genome), 'The character to label', 'lg'));
    if (mode === 'classes') {
      const names = options.classNames ?? [];
      return h('div', { class: 'prompt-one' }, figure,
        h('div', { class: 'class-buttons', role: 'group', 'aria-label': 'Your classes' },
          names.map((name, i) => h('button', {
            type: 'button', class: 'btn class-button', 'data-class': i, 'aria-keyshortcuts': String(i + 1),
            onclick: () => answer({ kind: 'class', class: i }),
          }, h('span', { class: 'pick-number' }, String(i + 1)), ` ${name}`))));
    }
    const readout = h('output', { class: 'slider-value' }, slider.toFixed(2));
    const input = h('input', {
      type: 'range', min: '0', max: '1', step: '0.05', value: String(slider), class: 'taste-slider', 'aria-label': 'How much you like it, 0 to 1',
      oninput: (e: Event) => { slider = Number((e.target as HTMLInputElement).value); readout.textContent = slider.toFixed(2); },
    });
    return h('div', { class: 'prompt-one' }, figure,
      h('div', { class: 'slider-row' }, h('span', { class: 'muted' }, '0 not for me'), input, h('span', { class: 'muted' }, 'love it 1')),
      h('div', { class: 'slider-send' }, readout,
        h('button', { type: 'button', class: 'btn btn-primary slider-submit', onclick: () => answer({ kind: 'slider', value: slider }) }, 'Send')));
  }

  function answer(a: Answer): void {
    const item = items[index];
    if (!item) return;
    const decision = { item, answer: a };
    history.push(decision);
    index += 1;
    empty = 0; // the answer changed what the queue will draw next
    slider = 0.5;
    draw();
    options.onAnswer(decision);
  }

  function undo(): void {
    const last = history.pop();
    if (!last) return;
    index -= 1;
    if (last.answer.kind === 'slider') slider = last.answer.value;
    draw();
    options.onUndo(last);
  }

  async function fill(): Promise<void> {
    if (fetching || failed || empty >= EMPTY_TRIES || options.signal.aborted || items.length - index > PREFETCH_AT) return;
    fetching = true;
    let fresh: PromptItem[] = [];
    try {
      fresh = (await options.more()).filter((i) => !keys.has(i.key));
      for (const item of fresh) keys.add(item.key);
      items.push(...fresh);
      empty = fresh.length ? 0 : empty + 1;
    } catch (e) {
      if (options.signal.aborted) return;
      failed = e instanceof Error ? e.message : String(e);
    } finally {
      fetching = false;
    }
    if (root.dataset.waiting === 'true') draw();
    else status.textContent = `${history.length} answered${failed ? ` · ${failed}` : ''}`;
    if (!failed && !fresh.length && index >= items.length) setTimeout(() => { if (empty >= EMPTY_TRIES) draw(); else void fill(); }, 600);
  }

  const onKey = (e: KeyboardEvent) => {
    if (!root.isConnected || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement | null;
    const inRange = target instanceof HTMLInputElement && target.type === 'range';
    if (target && !inRange && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (target?.tagName === 'BUTTON' && (e.key === 'Enter' || e.key === ' ')) return; // the button's own click
    const item = items[index];
    let action: (() => void) | null = null;
    if (e.key === 'Backspace') action = undo;
    else if (e.key === 'ArrowUp' && !inRange) action = () => answer({ kind: 'skip' });
    else if (item && mode === 'slider' && e.key === 'Enter') action = () => answer({ kind: 'slider', value: slider });
    else if (item && mode === 'pick_two' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) action = () => answer({ kind: 'pick', chosen: e.key === 'ArrowLeft' ? 0 : 1 });
    else if (item && /^[1-9]$/.test(e.key)) {
      const n = Number(e.key) - 1;
      if ((mode === 'pick_two' || mode === 'pick_four') && n < item.genomes.length) action = () => answer({ kind: 'pick', chosen: n });
      if (mode === 'classes' && n < (options.classNames?.length ?? 0)) action = () => answer({ kind: 'class', class: n });
    }
    if (!action) return;
    e.preventDefault();
    action();
  };
  document.addEventListener('keydown', onKey);
  options.signal.addEventListener('abort', () => document.removeEventListener('keydown', onKey), { once: true });

  draw();
  return root;
}
