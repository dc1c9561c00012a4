// A hash router (`#/character/12`, the form the API's `external_url` uses). Each route names a
// view; leaving a route aborts its signal, so its polling and listeners stop. The current view
// is drawn again when the player's identity (signed-in account, wallet account, chain) changes.

import { h, replace } from './dom';
import type { Session } from './session';
import { failure, messageOf } from './components/notice';

export interface RouteContext {
  session: Session;
  /** `:name` parts of the path. */
  params: Record<string, string>;
  /** The part after `?` in the hash. */
  query: URLSearchParams;
  /** Aborted when the player leaves the view (or it is redrawn). */
  signal: AbortSignal;
}

export type View = (ctx: RouteContext) => HTMLElement | Promise<HTMLElement>;

export interface Route {
  /** `/character/:id` */
  path: string;
  title: string;
  view: View;
  /** In the navigation bar: its label and group. */
  nav?: { label: string; group: 'play' | 'taste' };
}

interface Match {
  route: Route;
  params: Record<string, string>;
  query: URLSearchParams;
}

function match(routes: Route[], hash: string): Match | null {
  const [rawPath, rawQuery = ''] = hash.replace(/^#/, '').split('?');
  const path = rawPath || '/';
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]))) {
      return { route, params, query: new URLSearchParams(rawQuery) };
    }
  }
  return null;
}

export class Router {
  /** The current view's controller. */
  private controller: AbortController | null = null;
  /** Identity the current view was drawn for. */
  private drawnFor = '';

  constructor(private readonly routes: Route[], private readonly outlet: HTMLElement, private readonly session: Session) {}

  start(): void {
    window.addEventListener('hashchange', () => void this.render());
    this.session.subscribe(() => {
      if (this.identity() !== this.drawnFor) void this.render();
    });
    void this.render();
  }

  /** The current path (without `#`), for the navigation's highlight. */
  currentPath(): string {
    return location.hash.replace(/^#/, '').split('?')[0] || '/';
  }

  private identity(): string {
    const { me, wallet } = this.session;
    return [me?.address ?? '', wallet ? 'w' : '', wallet?.address ?? '', wallet?.chainId ?? ''].join('|');
  }

  async render(): Promise<void> {
    this.controller?.abort(new DOMException('left the view', 'AbortError'));
    const controller = new AbortController();
    this.controller = controller;
    this.drawnFor = this.identity();
    const found = match(this.routes, location.hash);
    this.outlet.setAttribute('aria-busy', 'true');
    let content: HTMLElement;
    if (!found) {
      document.title = 'Not found · Chimera';
      content = h('section', { class: 'not-found' }, h('h1', null, 'Nothing here'), h('p', null, 'No page at this address. ', h('a', { href: '#/' }, 'Go home')));
    } else {
      document.title = `${found.route.title} · Chimera`;
      this.outlet.dataset.route = found.route.path;
      try {
        content = await found.route.view({ session: this.session, params: found.params, query: found.query, signal: controller.signal });
      } catch (e) {
        if (controller.signal.aborted) return;
        content = h('section', null, h('h1', null, found.route.title), failure(messageOf(e)));
      }
    }
    if (controller.signal.aborted) return;
    replace(this.outlet, content);
    this.outlet.removeAttribute('aria-busy');
    this.outlet.dispatchEvent(new CustomEvent('routed', { bubbles: true }));
  }
}
