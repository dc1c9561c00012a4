// The landing page: what Chimera is, where the player stands (wallet, network, sign-in), and
// the way in.

import { api } from '../api';
import { walletState } from '../components/walletBar';
import { h, shortAddress } from '../dom';
import type { RouteContext } from '../router';

export function homeView({ session }: RouteContext): HTMLElement {
  const state = walletState(session);
  const step = (done: boolean, text: string, action?: HTMLElement | null) =>
    h('li', { class: done ? 'step done' : 'step' }, h('span', { class: 'step-mark', 'aria-hidden': 'true' }, done ? '✓' : '•'), text, action ? [' ', action] : null);
  const wallet = session.wallet;
  const generator = h('p', { class: 'muted generator-status' });
  void api.health().then((health) => {
    generator.textContent = `${health.tokens} characters indexed${health.indexed_block != null ? ` up to block ${health.indexed_block}` : ''}. ${health.generator ? 'Portraits are drawn live from each genome.' : 'Portraits are unavailable on this server (no generator model): characters show a placeholder.'}`;
  }).catch(() => undefined);

  return h('section', { class: 'home' },
    h('h1', null, 'Chimera'),
    h('p', { class: 'lede' },
      'Characters whose 320-bit genome lives on chain: 32 drawing genes and 8 named attributes, each with a main value you see and a sub value it carries. Breed two and the chain draws their child.'),
    h('ol', { class: 'steps', 'data-state': state },
      step(!!wallet, wallet ? 'A wallet is installed.' : 'Install an Ethereum wallet (MetaMask or any EIP-1193 wallet).'),
      step(!!wallet?.address, wallet?.address ? `Connected as ${shortAddress(wallet.address)}.` : 'Connect your wallet.',
        wallet && !wallet.address ? h('button', { type: 'button', class: 'btn', onclick: () => void session.connect() }, 'Connect wallet') : null),
      step(!!wallet?.onRightChain, `Use Chimera’s network (chain ${session.config.contract.chain_id}).`,
        wallet?.address && !wallet.onRightChain ? h('button', { type: 'button', class: 'btn', onclick: () => void session.switchChain() }, 'Switch network') : null),
      step(!!session.me, session.me ? `Signed in as ${shortAddress(session.me.address)}: you own ${session.me.tokens} character${session.me.tokens === 1 ? '' : 's'}.` : 'Sign in with your wallet (a signature, no transaction).',
        wallet?.address && wallet.onRightChain && !session.me ? h('button', { type: 'button', class: 'btn', onclick: () => void session.signIn() }, 'Sign in') : null)),
    h('p', { class: 'home-links' },
      session.address ? h('a', { class: 'btn btn-primary', href: '#/characters' }, 'My characters') : null, ' ',
      h('a', { class: 'btn', href: '#/explore' }, 'Explore every character'), ' ',
      session.address ? h('a', { class: 'btn', href: '#/breed' }, 'Breed') : null),
    generator);
}
