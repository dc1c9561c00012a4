// Train (classifier patent figs. 11–15 and 18): the player judges characters and the service
// fits their taste model on the genomes. Five ways to answer: the swipe deck (like, dislike, skip,
// undo), a 0–1 slider, pick 1 of 2, pick 1 of 4, and the player's own named classes. Characters
// come from `GET /api/taste/queue`, a batch ahead; every answer goes to the service at once, in
// order; the side panel shows the label count, the held-out accuracy and the learning curve.

import { api, images, type Book, type LabelMode, type Prompt } from '../api';
import { labelHistory } from '../components/labelHistory';
import { labelPrompt, type PromptDecision, type PromptItem } from '../components/labelPrompt';
import { failure, info, messageOf } from '../components/notice';
import { swipeDeck, type DeckItem } from '../components/swipeDeck';
import { signInFirst } from '../components/tasteNotice';
import { tastePanel, type TastePanel } from '../components/tasteStatus';
import { h, replace } from '../dom';
import { attributeName, decodeGenome, words } from '../genome';
import type { RouteContext } from '../router';
import { bookOf, LabelLog, PromptFeed, promptKey } from '../taste';

const MODES: { mode: LabelMode; label: string; source: string }[] = [
  { mode: 'swipe', label: 'Swipe', source: 'figs. 11–12' },
  { mode: 'slider', label: 'Slider', source: 'fig. 13' },
  { mode: 'pick_two', label: 'Pick 1 of 2', source: 'fig. 14' },
  { mode: 'pick_four', label: 'Pick 1 of 4', source: 'fig. 15' },
  { mode: 'classes', label: 'My classes', source: 'fig. 13, “kiss, marry, kill”' },
];

const REASONS: Record<string, string> = {
  cold_start: 'from a first spread of characters',
  uncertain: 'your model is unsure about this one',
  explore: 'a wild card, to explore',
};

/** A character's caption from its genome: hair, eyes, expression. */
function caption(genome: string): { title: string; subtitle: string } {
  const genes = decodeGenome(genome);
  const name = (gene: number) => words(attributeName(genes[gene].slot!, genes[gene].main));
  return { title: `${name(32)} ${name(33)}`, subtitle: `${name(34)} eyes, ${name(36)}` };
}

/** Where the player's class names are remembered between visits (the status call is slow). */
const classKey = (address: string) => `chimera.classes.${address.toLowerCase()}`;

export function trainView({ session, signal, query }: RouteContext): HTMLElement {
  const root = h('section', { class: 'train' }, h('h1', null, 'Train'));
  root.append(h('p', { class: 'lede' },
    'Judge characters and Chimera learns your taste from their genomes. The first twenty are a spread of everything; after that the queue asks about the characters your model is least sure of. Every answer counts at once, and undo takes it back.'));
  const gate = signInFirst(session, 'train your taste');
  if (gate) {
    root.append(gate);
    return root;
  }
  const me = session.me!.address;
  let mode: LabelMode = MODES.some((m) => m.mode === query.get('mode')) ? (query.get('mode') as LabelMode) : 'swipe';

  const panels = new Map<Book, TastePanel>();
  const logs = new Map<Book, LabelLog>();
  const errors = h('div', { class: 'train-errors' });
  const panelOf = (book: Book) => {
    let panel = panels.get(book);
    if (!panel) {
      panel = tastePanel(book, signal);
      panels.set(book, panel);
    }
    return panel;
  };
  const logOf = (book: Book) => {
    let log = logs.get(book);
    if (!log) {
      log = new LabelLog(book, {
        onStatus: (status) => panelOf(book).counted(status),
        onError: (message) => errors.append(failure(`Not saved: ${message}`)),
      });
      logs.set(book, log);
    }
    return log;
  };

  const tabs = h('div', { class: 'mode-tabs', role: 'tablist', 'aria-label': 'How to label' });
  const work = h('div', { class: 'train-work', role: 'tabpanel' });
  const side = h('aside', { class: 'train-side' });
  root.append(h('div', { class: 'train-layout' }, h('div', null, tabs, errors, work), side));

  /** The current mode's work; aborted when the mode changes or the view is left. */
  let modeController: AbortController | null = null;

  const drawTabs = () => replace(tabs, MODES.map((m) => h('button', {
    type: 'button', role: 'tab', class: `mode-tab${m.mode === mode ? ' active' : ''}`, 'aria-selected': String(m.mode === mode), 'data-mode': m.mode,
    title: `Classifier patent ${m.source}`,
    onclick: () => { if (m.mode !== mode) { mode = m.mode; drawMode(); } },
  }, m.label)));

  const drawSide = (book: Book, classNames?: string[]) => {
    replace(side, panelOf(book).element, labelHistory({
      book, classNames, signal,
      settled: () => logOf(book).settled(),
      onDeleted: (status) => { panelOf(book).counted(status); drawMode(); },
    }));
  };

  const drawMode = () => {
    modeController?.abort(new DOMException('mode changed', 'AbortError'));
    const controller = new AbortController();
    modeController = controller;
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    history.replaceState(null, '', `#/train${mode === 'swipe' ? '' : `?mode=${mode}`}`);
    drawTabs();
    replace(errors);
    const book = bookOf(mode);
    if (mode === 'swipe') {
      drawSide(book);
      replace(work, swipeMode(controller.signal));
    } else if (mode === 'classes') {
      void classesMode(controller.signal);
    } else {
      drawSide(book);
      replace(work, promptMode(mode, controller.signal));
    }
  };

  const swipeMode = (modeSignal: AbortSignal): HTMLElement => {
    const feed = new PromptFeed('swipe', modeSignal);
    const log = logOf('taste');
    const panel = panelOf('taste');
    panel.before = () => feed.topUp();
    const toItem = (p: Prompt): DeckItem => {
      const genome = p.genomes[0];
      const { title, subtitle } = caption(genome);
      return { key: genome, image: images.genome(genome), title, subtitle: `${subtitle} · ${REASONS[p.reason] ?? p.reason}`, predicted: p.predicted[0] };
    };
    return swipeDeck({
      items: [],
      more: async () => (await feed.more()).map(toItem),
      signal: modeSignal,
      onVerdict: ({ item, verdict }) => {
        if (verdict === 'skip') {
          void log.skip(item.key);
          return;
        }
        void log.label({ kind: 'swipe', genome: item.key, like: verdict === 'like' });
        if (item.predicted !== undefined) panel.guessed((item.predicted >= 0.5) === (verdict === 'like'));
      },
      onUndo: () => void log.undo(),
    });
  };

  const promptMode = (which: 'slider' | 'pick_two' | 'pick_four' | 'classes', modeSignal: AbortSignal, classNames?: string[]): HTMLElement => {
    const book = bookOf(which);
    const feed = new PromptFeed(which, modeSignal);
    const log = logOf(book);
    const panel = panelOf(book);
    panel.before = () => feed.topUp();
    const toItem = (p: Prompt): PromptItem => ({ key: promptKey(p), genomes: p.genomes, predicted: p.predicted });
    const onAnswer = ({ item, answer }: PromptDecision) => {
      const guess = item.predicted;
      switch (answer.kind) {
        case 'skip':
          for (const genome of item.genomes) void log.skip(genome);
          return;
        case 'slider':
          void log.label({ kind: 'slider', genome: item.genomes[0], value: answer.value });
          if (guess.length && answer.value !== 0.5) panel.guessed((guess[0] >= 0.5) === (answer.value > 0.5));
          return;
        case 'pick':
          void log.label({ kind: 'pick', shown: item.genomes, chosen: answer.chosen });
          if (guess.length === item.genomes.length) panel.guessed(guess.indexOf(Math.max(...guess)) === answer.chosen);
          return;
        case 'class':
          void log.label({ kind: 'class', genome: item.genomes[0], class: answer.class });
      }
    };
    return labelPrompt({
      mode: which, classNames, signal: modeSignal,
      more: async () => (await feed.more()).map(toItem),
      onAnswer,
      onUndo: ({ item, answer }) => void log.undo(answer.kind === 'skip' ? item.genomes.length : 1),
    });
  };

  /** Classes: the names first (defined here, or remembered, or from the status), then the prompts. */
  const classesMode = async (modeSignal: AbortSignal) => {
    const remembered = (() => {
      try {
        return JSON.parse(localStorage.getItem(classKey(me)) ?? 'null') as string[] | null;
      } catch {
        return null;
      }
    })();
    const start = (names: string[]) => {
      localStorage.setItem(classKey(me), JSON.stringify(names));
      drawSide('classes', names);
      replace(work,
        h('p', { class: 'class-names muted' }, `Your classes: ${names.join(', ')}. `,
          h('button', { type: 'button', class: 'btn-ghost', onclick: () => replace(work, defineForm(names)) }, 'Start new classes…')),
        promptMode('classes', modeSignal, names));
    };
    const defineForm = (current: string[] | null): HTMLElement => {
      const input = h('input', { type: 'text', name: 'class-names', placeholder: 'kiss, marry, kill', value: current?.join(', ') ?? '', 'aria-label': 'Class names, separated by commas' });
      const status = h('div');
      return h('form', {
        class: 'classes-form action-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const names = input.value.split(',').map((n) => n.trim()).filter(Boolean);
          try {
            await logOf('classes').settled();
            await api.taste.setClasses(names);
            panels.delete('classes');
            logs.delete('classes');
            if (!modeSignal.aborted) start(names);
          } catch (err) {
            replace(status, failure(messageOf(err)));
          }
        },
      },
      h('p', null, current
        ? 'New classes start a new classes book: the labels of the old one are dropped.'
        : 'Name two or more classes to sort characters into — the patent’s example is “kiss, marry, kill”. Your model then learns each class, and Ideal draws one ideal per class.'),
      h('label', null, 'Classes, separated by commas', input),
      h('button', { type: 'submit', class: 'btn btn-primary' }, current ? 'Start these classes' : 'Define classes'),
      current ? h('button', { type: 'button', class: 'btn-ghost', onclick: () => start(current) }, 'Keep the old ones') : null,
      status);
    };
    if (remembered) {
      start(remembered);
    } else {
      replace(work, info('Looking up your classes…'));
      replace(side);
    }
    // The status is the truth: the names may have changed elsewhere, or the book be gone.
    const status = await panelOf('classes').first;
    if (modeSignal.aborted) return;
    if (!status) {
      localStorage.removeItem(classKey(me));
      panels.delete('classes');
      replace(side);
      replace(work, defineForm(null));
    } else if (status.task.kind === 'classes' && status.task.names.join('\n') !== remembered?.join('\n')) {
      start(status.task.names);
    }
  };

  drawMode();
  return root;
}
