// The player's labels, newest first (`GET /api/taste/labels`), and "delete them all"
// (`DELETE /api/taste/labels`, with a confirmation step). Loaded when opened, and again on demand.

import { api, images, type Book, type LabelEntry, type TasteStatus } from '../api';
import { h, replace } from '../dom';
import { entryGenomes } from '../taste';
import { failure, loading, messageOf } from './notice';
import { portrait } from './portrait';

/** Entries shown with portraits; older ones are counted. */
const SHOWN = 30;

export interface HistoryOptions {
  book: Book;
  /** Class names, for a classes book. */
  classNames?: string[];
  /** Resolves when every label sent from this page is answered (before listing or deleting). */
  settled: () => Promise<void>;
  /** Every label was deleted: the book's new status. */
  onDeleted: (status: TasteStatus) => void;
  signal: AbortSignal;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function verdict(entry: LabelEntry, names: string[] | undefined): string {
  if ('skipped' in entry) return 'skipped';
  const label = entry.labelled;
  switch (label.kind) {
    case 'swipe':
      return label.like ? '♥ liked' : '✗ disliked';
    case 'slider':
      return `rated ${label.value.toFixed(2)}`;
    case 'pick':
      return `picked ${label.chosen + 1} of ${label.shown.length}`;
    case 'class':
      return `→ ${names?.[label.class] ?? `class ${label.class + 1}`}`;
  }
}

export function labelHistory(options: HistoryOptions): HTMLElement {
  const list = h('div', { class: 'label-list' });
  const confirmBox = h('div', { class: 'confirm' });
  let loaded = false;

  const load = async () => {
    loaded = true;
    replace(list, loading('your labels'));
    try {
      await options.settled();
      const entries = await api.taste.labels(options.book, options.signal);
      const labelled = entries.filter((e) => 'labelled' in e).length;
      const newest = entries.slice(-SHOWN).reverse();
      replace(list,
        h('p', { class: 'muted label-list-count', 'data-entries': entries.length }, `${plural(labelled, 'label')} and ${plural(entries.length - labelled, 'skip')}, newest first.`),
        entries.length
          ? h('ol', { class: 'label-entries' }, newest.map((entry) => {
            const genomes = entryGenomes(entry);
            const chosen = 'labelled' in entry && entry.labelled.kind === 'pick' ? entry.labelled.chosen : -1;
            return h('li', { class: 'label-entry', 'data-kind': 'skipped' in entry ? 'skip' : entry.labelled.kind },
              h('span', { class: 'label-portraits' }, genomes.map((g, i) => h('span', { class: i === chosen ? 'chosen' : '' }, portrait(images.genome(g), `Labelled character ${i + 1}`, 'sm')))),
              h('span', { class: 'label-verdict' }, verdict(entry, options.classNames)));
          }))
          : h('p', { class: 'empty' }, 'No labels yet.'),
        entries.length > SHOWN ? h('p', { class: 'muted' }, `…and ${entries.length - SHOWN} older entries.`) : null);
    } catch (e) {
      if (!options.signal.aborted) replace(list, failure(messageOf(e)));
    }
  };

  const askDelete = () => {
    replace(confirmBox,
      h('p', null, 'Delete every label of this book? Your model starts again from nothing; this cannot be undone.'),
      h('button', {
        type: 'button', class: 'btn btn-danger confirm-delete-labels', onclick: async () => {
          try {
            await options.settled();
            const status = await api.taste.deleteLabels(options.book);
            replace(confirmBox);
            options.onDeleted(status);
            await load();
          } catch (e) {
            replace(confirmBox, failure(messageOf(e)));
          }
        },
      }, 'Delete them all'),
      h('button', { type: 'button', class: 'btn-ghost', onclick: () => replace(confirmBox) }, 'Keep them'));
  };

  const details = h('details', { class: 'label-history' },
    h('summary', null, 'Your labels'),
    h('div', { class: 'label-actions' },
      h('button', { type: 'button', class: 'btn-ghost', onclick: () => void load() }, 'Refresh'),
      h('button', { type: 'button', class: 'btn-ghost btn-danger delete-labels', onclick: askDelete }, 'Delete all labels…')),
    confirmBox, list);
  details.addEventListener('toggle', () => { if (details.open && !loaded) void load(); });
  return details;
}
