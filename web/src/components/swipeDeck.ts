// The swipe deck (the classifier patent's figs. 11–12 and 16): one card at a time, judged with
// like / dislike / skip, and undo. Buttons, arrow keys (→ like, ← dislike, ↑ skip, Backspace
// undo) and touch or mouse swipes (right, left, up) all do the same. It is pure UI: it reports
// each verdict to its owner and keeps nothing itself beyond the undo history. Given `more`, it
// asks for the next cards while a few are still left, so the player never waits for one.

import { h, replace } from '../dom';
import { portrait } from './portrait';

export interface DeckItem {
  /** Stable identity (a genome hex, a token id…). */
  key: string;
  /** Portrait URL. */
  image: string;
  title: string;
  subtitle?: string;
  /** The model's like probability, guessed before the player judges (not shown). */
  predicted?: number;
}

export type Verdict = 'like' | 'dislike' | 'skip';

export interface DeckDecision {
  item: DeckItem;
  verdict: Verdict;
}

export interface DeckOptions {
  items: DeckItem[];
  /** Called after each verdict. */
  onVerdict?: (decision: DeckDecision) => void;
  /** Called when a verdict is taken back. */
  onUndo?: (decision: DeckDecision) => void;
  /** Detaches the keyboard listener when aborted (the router aborts on navigation). */
  signal?: AbortSignal;
  /** Shown when every card is judged. */
  doneText?: string;
  /** The next cards (keys already in the deck are dropped); asked for while `prefetchAt` are left. */
  more?: () => Promise<DeckItem[]>;
  /** Cards left when `more` is asked (default 5). */
  prefetchAt?: number;
}

/** Pixels a card must travel to count as a swipe. */
const SWIPE_DISTANCE = 90;
/** Milliseconds of the fly-out animation. */
const FLY_MS = 180;
/** Empty answers from `more` in a row before the deck counts as finished. */
const EMPTY_TRIES = 3;

export function swipeDeck(options: DeckOptions): HTMLElement {
  const items = [...options.items];
  const keys = new Set(items.map((i) => i.key));
  let index = 0;
  let animating = false;
  let dragging = false;
  /** Cards the stack shows now (at most three). */
  let drawnCards = 0;
  const history: DeckDecision[] = [];
  /** The feed: a request under way, empty answers in a row, the last failure. */
  const feed = { fetching: false, empty: 0, failed: '' };
  const exhausted = () => !options.more || feed.empty >= EMPTY_TRIES;

  const stack = h('div', { class: 'deck-stack' });
  const status = h('p', { class: 'deck-status', role: 'status', 'aria-live': 'polite' });
  const undoButton = h('button', { type: 'button', class: 'deck-undo', onclick: () => undo(), 'aria-keyshortcuts': 'Backspace' }, '↶ Undo');
  const buttons = h('div', { class: 'deck-buttons' },
    h('button', { type: 'button', class: 'deck-dislike', onclick: () => judge('dislike'), 'aria-keyshortcuts': 'ArrowLeft' }, '✗ Dislike'),
    h('button', { type: 'button', class: 'deck-skip', onclick: () => judge('skip'), 'aria-keyshortcuts': 'ArrowUp' }, 'Skip'),
    h('button', { type: 'button', class: 'deck-like', onclick: () => judge('like'), 'aria-keyshortcuts': 'ArrowRight' }, '♥ Like'),
    undoButton);
  const root = h('section', { class: 'deck', 'aria-label': 'Swipe deck', tabindex: '0' },
    stack, buttons, status,
    h('p', { class: 'deck-hint' }, 'Swipe right to like, left to dislike, up to skip; or use ← ↑ → and Backspace to undo.'));

  const count = (v: Verdict) => history.filter((d) => d.verdict === v).length;

  function drawStatus(): void {
    root.dataset.index = String(index);
    root.dataset.liked = String(count('like'));
    root.dataset.disliked = String(count('dislike'));
    root.dataset.skipped = String(count('skip'));
    root.dataset.ready = String(items.length - index);
    const tally = `${count('like')} liked · ${count('dislike')} disliked · ${count('skip')} skipped`;
    status.textContent = options.more
      ? `${history.length} judged · ${tally}${feed.failed ? ` · ${feed.failed}` : ''}`
      : index < items.length ? `Card ${index + 1} of ${items.length} · ${tally}` : `All ${items.length} cards judged · ${tally}`;
    undoButton.disabled = history.length === 0;
    for (const b of buttons.querySelectorAll<HTMLButtonElement>('button:not(.deck-undo)')) b.disabled = index >= items.length;
  }

  function draw(): void {
    drawStatus();
    void fill();
    if (index >= items.length) {
      root.dataset.waiting = String(!exhausted());
      const waiting = !exhausted()
        ? feed.failed
          ? [`The next characters did not come: ${feed.failed} `, h('button', { type: 'button', class: 'btn-ghost', onclick: () => { feed.failed = ''; draw(); } }, 'Try again')]
          : 'Fetching the next characters…'
        : options.doneText ?? 'That was the last card.';
      replace(stack, h('div', { class: exhausted() ? 'deck-done' : 'deck-done deck-waiting' }, waiting));
      drawnCards = 0;
      return;
    }
    delete root.dataset.waiting;
    const visible = items.slice(index, index + 3);
    drawnCards = visible.length;
    replace(stack, visible.map((item, i) => card(item, i)).reverse());
    const top = stack.lastElementChild as HTMLElement | null;
    if (top) attachSwipe(top);
  }

  /** Ask `more` for cards while few are left; redraw only what the new cards change. */
  async function fill(): Promise<void> {
    if (!options.more || feed.fetching || feed.failed || exhausted() || options.signal?.aborted) return;
    if (items.length - index > (options.prefetchAt ?? 5)) return;
    feed.fetching = true;
    try {
      const fresh = (await options.more()).filter((i) => !keys.has(i.key));
      for (const item of fresh) keys.add(item.key);
      items.push(...fresh);
      feed.empty = fresh.length ? 0 : feed.empty + 1;
      root.dataset.fetches = String(Number(root.dataset.fetches ?? 0) + 1);
    } catch (e) {
      if (options.signal?.aborted) return;
      feed.failed = e instanceof Error ? e.message : String(e);
    } finally {
      feed.fetching = false;
    }
    // The stack shows three cards: redraw it when it shows fewer now, unless a card is in hand
    // (the fly-out's commit draws it then).
    if (drawnCards < 3 && !animating && !dragging) draw();
    else drawStatus();
    if (!feed.failed && items.length - index <= (options.prefetchAt ?? 5)) setTimeout(() => void fill(), 300);
  }

  function card(item: DeckItem, depth: number): HTMLElement {
    return h('div', { class: `deck-card depth-${depth}`, 'data-key': item.key, 'aria-hidden': depth === 0 ? 'false' : 'true' },
      portrait(item.image, item.title, 'lg'),
      h('div', { class: 'deck-caption' }, h('strong', null, item.title), item.subtitle ? h('span', null, item.subtitle) : null),
      h('span', { class: 'stamp stamp-like' }, 'LIKE'),
      h('span', { class: 'stamp stamp-dislike' }, 'NOPE'),
      h('span', { class: 'stamp stamp-skip' }, 'SKIP'));
  }

  function judge(verdict: Verdict): void {
    if (animating || index >= items.length) return;
    const top = stack.lastElementChild as HTMLElement | null;
    const decision = { item: items[index], verdict };
    const commit = () => {
      history.push(decision);
      index += 1;
      feed.empty = 0; // the player's answer changed what the feed will draw next
      animating = false;
      draw();
      options.onVerdict?.(decision);
    };
    if (!top || !top.classList.contains('deck-card')) return commit();
    animating = true;
    top.style.transform = '';
    top.classList.add(`fly-${verdict}`);
    setTimeout(commit, FLY_MS);
  }

  function undo(): void {
    if (animating) return;
    const last = history.pop();
    if (!last) return;
    index -= 1;
    draw();
    options.onUndo?.(last);
  }

  function attachSwipe(el: HTMLElement): void {
    let start: { x: number; y: number; id: number } | null = null;
    const stamp = (name: string, amount: number) => {
      const s = el.querySelector<HTMLElement>(`.stamp-${name}`);
      if (s) s.style.opacity = String(Math.max(0, Math.min(1, amount)));
    };
    el.addEventListener('pointerdown', (e) => {
      if (animating) return;
      start = { x: e.clientX, y: e.clientY, id: e.pointerId };
      dragging = true;
      el.setPointerCapture(e.pointerId);
      el.classList.add('dragging');
    });
    el.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      el.style.transform = `translate(${dx}px, ${Math.min(dy, 0)}px) rotate(${dx / 18}deg)`;
      stamp('like', dx / SWIPE_DISTANCE);
      stamp('dislike', -dx / SWIPE_DISTANCE);
      stamp('skip', Math.abs(dx) < SWIPE_DISTANCE / 2 ? -dy / SWIPE_DISTANCE : 0);
    });
    const end = (e: PointerEvent) => {
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      start = null;
      dragging = false;
      el.classList.remove('dragging');
      if (dx > SWIPE_DISTANCE) judge('like');
      else if (dx < -SWIPE_DISTANCE) judge('dislike');
      else if (dy < -SWIPE_DISTANCE) judge('skip');
      else {
        el.style.transform = '';
        for (const name of ['like', 'dislike', 'skip']) stamp(name, 0);
      }
    };
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
  }

  const onKey = (e: KeyboardEvent) => {
    if (!root.isConnected) return;
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const keys: Record<string, () => void> = {
      ArrowRight: () => judge('like'),
      ArrowLeft: () => judge('dislike'),
      ArrowUp: () => judge('skip'),
      Backspace: () => undo(),
    };
    const action = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' ? () => undo() : keys[e.key];
    if (!action || e.altKey) return;
    e.preventDefault();
    action();
  };
  document.addEventListener('keydown', onKey);
  options.signal?.addEventListener('abort', () => document.removeEventListener('keydown', onKey), { once: true });

  draw();
  return root;
}
