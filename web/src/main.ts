// Boot: read the contract and optional config, find the wallet and the session, draw the shell
// (header, navigation, wallet controls, messages) and hand the page to the router.

import './styles.css';
import { failure, messageOf } from './components/notice';
import { walletBar, walletHint } from './components/walletBar';
import { loadConfig } from './config';
import { h, replace, shortAddress } from './dom';
import { Router } from './router';
import { routes } from './routes';
import { Session } from './session';

function navigation(router: Router): HTMLElement {
  const current = router.currentPath();
  const link = (path: string, label: string) =>
    h('a', { href: `#${path}`, class: `nav-link${current === path ? ' active' : ''}`, 'aria-current': current === path ? 'page' : undefined }, label);
  return h('nav', { class: 'nav', 'aria-label': 'Main' },
    routes.filter((r) => r.nav?.group === 'play').map((r) => link(r.path, r.nav!.label)),
    h('span', { class: 'nav-sep', 'aria-hidden': 'true' }),
    routes.filter((r) => r.nav?.group === 'taste').map((r) => link(r.path, r.nav!.label)));
}

async function boot(): Promise<void> {
  const app = document.getElementById('app')!;
  let session: Session;
  try {
    session = new Session(await loadConfig());
    await session.init();
  } catch (e) {
    replace(app, h('main', { class: 'main' }, h('h1', null, 'Chimera'), failure(`Chimera cannot start: ${messageOf(e)}`)));
    return;
  }

  const header = h('header', { class: 'top' });
  const messages = h('div', { class: 'messages' });
  const outlet = h('main', { class: 'main', id: 'main', tabindex: '-1' });
  const { contract } = session.config;
  const footer = h('footer', { class: 'foot' },
    `Contract ${shortAddress(contract.address)} on chain ${contract.chain_id} · `,
    h('a', { href: '/api/openapi.json' }, 'API'));
  replace(app, header, messages, outlet, footer);

  const router = new Router(routes, outlet, session);
  const drawShell = () => {
    replace(header,
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), 'Chimera'),
      navigation(router),
      walletBar(session));
    const notice = session.notice
      ? h('p', { class: `notice notice-${session.notice.kind} session-notice`, role: session.notice.kind === 'error' ? 'alert' : 'status' },
        session.notice.text, ' ', h('button', { type: 'button', class: 'btn-ghost dismiss', 'aria-label': 'Dismiss', onclick: () => session.clearNotice() }, '×'))
      : null;
    replace(messages, walletHint(session), notice);
  };
  session.subscribe(drawShell);
  window.addEventListener('hashchange', drawShell);
  drawShell();
  router.start();
}

void boot();
