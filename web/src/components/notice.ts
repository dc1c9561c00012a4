// Inline messages inside a view: progress (role=status) and failures (role=alert).

import { h } from '../dom';

export function info(...text: (string | Node)[]): HTMLElement {
  return h('p', { class: 'notice notice-info', role: 'status' }, ...text);
}

export function failure(...text: (string | Node)[]): HTMLElement {
  return h('p', { class: 'notice notice-error', role: 'alert' }, ...text);
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'notice notice-loading', role: 'status' }, `Loading ${what}…`);
}

/** An Error (or anything thrown) as text. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
