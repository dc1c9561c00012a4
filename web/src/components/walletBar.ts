// The header's wallet controls and the standing hint under the header: connect, switch network,
// sign in (SIWE), sign out, with a plain sentence for every state that blocks something.

import { h, shortAddress } from '../dom';
import { noWalletText, type Session } from '../session';

function button(label: string, cls: string, session: Session, action: () => Promise<void>): HTMLButtonElement {
  return h('button', { type: 'button', class: cls, disabled: session.busy, onclick: () => void action() }, label);
}

/** The controls in the header. */
export function walletBar(session: Session): HTMLElement {
  const { wallet, me } = session;
  const parts: (HTMLElement | string)[] = [];
  const signOut = () => button('Sign out', 'btn-ghost wallet-signout', session, () => session.signOut());
  if (me) parts.push(h('span', { class: 'wallet-me', title: me.address }, h('span', { class: 'dot dot-ok' }), shortAddress(me.address)));

  if (!wallet) {
    if (!me) parts.push(h('span', { class: 'wallet-none' }, 'No wallet'));
    else parts.push(signOut());
  } else if (!wallet.address) {
    parts.push(button('Connect wallet', 'btn wallet-connect', session, () => session.connect()));
    if (me) parts.push(signOut());
  } else if (!wallet.onRightChain) {
    if (!me) parts.push(h('span', { class: 'wallet-address', title: wallet.address }, shortAddress(wallet.address)));
    parts.push(button('Switch network', 'btn wallet-switch', session, () => session.switchChain()));
    if (me) parts.push(signOut());
  } else if (!me || session.accountMismatch) {
    if (!me) parts.push(h('span', { class: 'wallet-address', title: wallet.address }, shortAddress(wallet.address)));
    parts.push(button(me ? `Sign in as ${shortAddress(wallet.address)}` : 'Sign in', 'btn wallet-signin', session, () => session.signIn()));
    if (me) parts.push(signOut());
  } else {
    parts.push(signOut());
  }
  return h('div', { class: 'wallet-bar', 'data-state': walletState(session) }, parts);
}

/** A machine-readable summary of the wallet state (tests and styles). */
export function walletState(session: Session): string {
  const { wallet, me } = session;
  if (!wallet) return me ? 'signed-in-no-wallet' : 'no-wallet';
  if (!wallet.address) return me ? 'signed-in-disconnected' : 'disconnected';
  if (!wallet.onRightChain) return 'wrong-chain';
  if (!me) return 'connected';
  return session.accountMismatch ? 'account-mismatch' : 'signed-in';
}

/** The standing explanation for a state that blocks something, or null. */
export function walletHint(session: Session): HTMLElement | null {
  const { wallet, me } = session;
  const hint = (text: string) => h('p', { class: 'wallet-hint', role: 'status' }, text);
  if (!wallet) return hint(me ? `Signed in as ${me.address}, but this browser has no wallet: connect one to breed or trade.` : noWalletText);
  if (wallet.address && !wallet.onRightChain) {
    return hint(`Your wallet is on chain ${wallet.chainId}, but Chimera lives on chain ${wallet.expectedChainId} (${session.config.chainName}). Press Switch network.`);
  }
  if (session.accountMismatch && me && wallet.address) {
    return hint(`Your wallet's account is ${wallet.address}, but you are signed in as ${me.address}. Sign in again with this account, or switch accounts in the wallet.`);
  }
  return null;
}
