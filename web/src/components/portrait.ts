// A portrait from the service's PNG routes, scaled crisply. When the service cannot render
// (503: no generator model on this machine) it says so in words instead of showing a picture;
// when the rendering routes are rate limited (429) it waits and tries again.

import { h } from '../dom';

export type PortraitSize = 'sm' | 'md' | 'lg';

/** `data-state` of the figure: tests and styles read it. */
export type PortraitState = 'loading' | 'loaded' | 'unavailable' | 'error';

const MAX_RETRIES = 6;

async function reasonFor(src: string): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(src);
    if (response.ok) return { status: 200, text: '' };
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    return { status: response.status, text: body?.error ?? `the service answered ${response.status}` };
  } catch {
    return { status: 0, text: 'the service did not answer' };
  }
}

export function portrait(src: string, alt: string, size: PortraitSize = 'md'): HTMLElement {
  const img = h('img', { src, alt, loading: 'lazy', decoding: 'async', draggable: 'false' });
  const figure = h('figure', { class: `portrait portrait-${size}`, 'data-state': 'loading' }, img);
  let retries = 0;
  img.addEventListener('load', () => figure.setAttribute('data-state', 'loaded'));
  img.addEventListener('error', async () => {
    const { status, text } = await reasonFor(src);
    if (status === 200 || (status === 429 && retries < MAX_RETRIES)) {
      retries += 1;
      setTimeout(() => {
        img.removeAttribute('src');
        img.setAttribute('src', src);
      }, 400 * retries);
      return;
    }
    const unavailable = status === 503;
    figure.setAttribute('data-state', unavailable ? 'unavailable' : 'error');
    figure.setAttribute('title', text);
    figure.replaceChildren(
      h('div', { class: 'portrait-missing', role: 'img', 'aria-label': `${alt}: no portrait` },
        h('strong', null, unavailable ? 'Portrait unavailable' : 'No portrait'),
        h('span', null, unavailable ? 'The portrait generator is not running on this server.' : text),
      ),
    );
  });
  return figure;
}
