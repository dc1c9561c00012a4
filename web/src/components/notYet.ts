// The honest "not yet" of the taste-model views: what the view will do, and that its API does
// not exist yet. No sample data is made up in its place.

import { h, type Child } from '../dom';

export interface NotYetOptions {
  title: string;
  /** What the view will do once the taste model's API exists. */
  purpose: string;
  /** Where the idea comes from. */
  source: string;
  /** The taste API routes it will use (src/api/taste.rs), each with what it gives the view. */
  needs: { route: string; what: string }[];
}

export function notYet(options: NotYetOptions, ...extra: Child[]): HTMLElement {
  return h('section', { class: 'not-yet', 'data-view-status': 'coming-with-taste-model' },
    h('h1', null, options.title),
    h('p', { class: 'not-yet-badge', role: 'status' }, 'Coming with the taste model'),
    h('p', null, options.purpose),
    h('p', { class: 'muted' }, `From the classifier patent: ${options.source}.`),
    h('p', null, 'This app does not talk to the taste model yet, so the view shows nothing it could not back with real data. It will use:'),
    h('ul', { class: 'needs' }, options.needs.map((n) => h('li', null, h('code', null, n.route), ` — ${n.what}`))),
    ...extra);
}
