// What the taste views say instead of their content: sign in first (every taste route needs the
// SIWE session), or label some characters first (the service's 422), or the service's error.

import { ApiError } from '../api';
import { h } from '../dom';
import type { Session } from '../session';
import { failure, info, messageOf } from './notice';

/** Null when signed in; else the notice with the button for the next step. */
export function signInFirst(session: Session, what: string): HTMLElement | null {
  if (session.me) return null;
  const button = !session.wallet
    ? null
    : !session.wallet.address
      ? h('button', { type: 'button', class: 'btn', onclick: () => void session.connect() }, 'Connect wallet')
      : !session.wallet.onRightChain
        ? h('button', { type: 'button', class: 'btn', onclick: () => void session.switchChain() }, 'Switch network')
        : h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void session.signIn() }, 'Sign in');
  return info(`Your taste model is yours alone: sign in with your wallet to ${what}. `,
    button ?? 'No wallet was found in this browser.');
}

/** A taste call failed: "label first" (422) leads to Train; anything else is shown as it is. */
export function tasteProblem(e: unknown): HTMLElement {
  if (e instanceof ApiError && e.status === 422) {
    return h('div', { class: 'notice notice-info taste-empty', role: 'status' },
      h('p', null, h('strong', null, 'Label some characters first. '), 'Your model learns from your likes and dislikes; it has nothing to go on yet.'),
      h('p', { class: 'muted' }, `The service said: ${e.message}`),
      h('a', { class: 'btn btn-primary', href: '#/train' }, 'Train your taste'));
  }
  if (e instanceof ApiError && e.status === 401) return failure('Your session has ended: sign in again.');
  return failure(messageOf(e));
}
