// The player's taste model from the page's side (classifier patent figs. 11–18): the queue that
// feeds the labelling UIs, fetched a batch ahead so nobody waits for the next character, and the
// label log that sends each answer, skip and undo to the service one after another (an undo must
// reach the service after the label it takes back). No model runs here: the service fits it.

import { api, ApiError, type Book, type Label, type LabelEntry, type LabelMode, type Prompt, type TasteStatus } from './api';

/** Prompts asked for per queue batch (the labelling UIs ask again while about half are left). */
export const BATCH = 10;

/** Which book a labelling mode writes to. */
export function bookOf(mode: LabelMode): Book {
  return mode === 'classes' ? 'classes' : 'taste';
}

/** A prompt's identity: the genomes it shows. */
export function promptKey(prompt: Pick<Prompt, 'genomes'>): string {
  return prompt.genomes.join(',');
}

/**
 * Batches of `GET /api/taste/queue` for one mode, never repeating a prompt already handed out on
 * this page: the service draws each batch from the book as it stands, so a batch fetched ahead
 * can hold prompts of the previous one that are not answered yet. `topUp` fetches into a buffer
 * that the next `more` hands out at once (see the Train view: before the slow accuracy call,
 * which holds up the whole service while it runs).
 */
export class PromptFeed {
  /** Keys of every prompt handed out or buffered. */
  private readonly given = new Set<string>();
  /** Prompts fetched ahead. */
  private buffer: Prompt[] = [];
  /** The request under way. */
  private inFlight: Promise<void> | null = null;

  constructor(readonly mode: LabelMode, private readonly signal: AbortSignal, private readonly size = BATCH) {}

  /** The next new prompts (possibly none, when the service repeated itself). */
  async more(): Promise<Prompt[]> {
    if (!this.buffer.length) await this.fetch(this.size);
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  /** Fetch a larger batch ahead, after what is under way has landed, unless a batch is buffered. */
  async topUp(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    if (this.buffer.length >= this.size || this.signal.aborted) return;
    await this.fetch(2 * this.size).catch(() => undefined);
  }

  private fetch(prompts: number): Promise<void> {
    this.inFlight ??= api.taste.queue(this.mode, Math.min(prompts, 50), this.signal).then((batch) => {
      const fresh = batch.prompts.filter((p) => !this.given.has(promptKey(p)));
      for (const p of fresh) this.given.add(promptKey(p));
      this.buffer.push(...fresh);
    }).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }
}

/** What the log reports after each call the service answered. */
export interface LogEvents {
  /** The book's counts after a label, skip or undo. */
  onStatus?: (status: TasteStatus) => void;
  /** A call failed: its message, in words. */
  onError?: (message: string) => void;
}

/**
 * Sends labels, skips and undos for one book, strictly in order. Each call waits for the one
 * before, so "like, then undo" never arrives as "undo, then like".
 */
export class LabelLog {
  /** The tail of the chain of calls. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Calls sent and not answered yet. */
  pending = 0;

  constructor(readonly book: Book, private readonly events: LogEvents = {}) {}

  label(label: Label): Promise<void> {
    return this.send(() => api.taste.label(label));
  }

  skip(genome: string): Promise<void> {
    return this.send(() => api.taste.skip(genome, this.book));
  }

  /** Take back the last `times` entries (a skipped pick prompt is one skip per character). */
  undo(times = 1): Promise<void> {
    let done: Promise<void> = Promise.resolve();
    for (let i = 0; i < times; i++) done = this.send(() => api.taste.undo(this.book));
    return done;
  }

  /** Resolves once every call sent so far is answered. */
  settled(): Promise<void> {
    return this.tail.then(() => undefined, () => undefined);
  }

  private send(call: () => Promise<TasteStatus>): Promise<void> {
    this.pending += 1;
    const run = this.tail.then(call, call).then(
      (status) => {
        this.pending -= 1;
        this.events.onStatus?.(status);
      },
      (e: unknown) => {
        this.pending -= 1;
        this.events.onError?.(e instanceof Error ? e.message : String(e));
      },
    );
    this.tail = run;
    return run;
  }
}

/** The labels of a book (skips left out), or null when the book does not exist (no classes yet). */
export async function labelCount(book: Book, signal?: AbortSignal): Promise<number | null> {
  try {
    const entries = await api.taste.labels(book, signal);
    return entries.filter((e) => 'labelled' in e).length;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** The genomes an entry is about. */
export function entryGenomes(entry: LabelEntry): string[] {
  if ('skipped' in entry) return [entry.skipped.genome];
  const label = entry.labelled;
  return label.kind === 'pick' ? label.shown : [label.genome];
}

/** `0.734` → `73%`. */
export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** A probability for people: whole percent, and never a flat 100% or 0% for a model's guess. */
export function probabilityText(p: number): string {
  if (p >= 0.995) return '>99%';
  if (p > 0 && p < 0.005) return '<1%';
  return percent(p);
}
