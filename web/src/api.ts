// The typed client of the Chimera service's HTTP API (GET /api/openapi.json is the reference).
// Every call goes to the same origin as the page, so the SIWE session cookie rides along.

import type { AttributeSlot } from './genome';

/** A character in a list or a family tree (`TokenSummary`). */
export interface TokenSummary {
  id: number;
  name: string;
  genome_hex: string;
  generation: number;
  owner: string;
  /** 0 for genesis. */
  matron: number;
  /** 0 for genesis. */
  sire: number;
  image: string;
  /** Main attribute values by slot. */
  attributes: Record<AttributeSlot, string>;
}

/** One relative in a family answer. */
export interface FamilyMember extends TokenSummary {
  /** Generations away from the root (1 = parents or children). */
  distance: number;
}

/** `GET /api/tokens/{id}/family`. */
export interface Family {
  root: TokenSummary;
  ancestors: FamilyMember[];
  descendants: FamilyMember[];
}

/** The decoded genome as the API writes it (docs/genome.md, "JSON"). */
export interface DecodedGenomeJson {
  code: { main: number; sub: number }[];
  attrs: { slot: AttributeSlot; main: string; sub: string }[];
}

/** One marketplace trait. */
export interface Trait {
  trait_type: string;
  value: string | number;
  display_type?: string | null;
}

/** `GET /api/tokens/{id}`: ERC-721 metadata plus everything the index knows. */
export interface TokenMetadata {
  id: number;
  name: string;
  description: string;
  image: string;
  external_url: string;
  attributes: Trait[];
  genome_hex: string;
  genome: DecodedGenomeJson;
  generation: number;
  /** Absent (null) for genesis. */
  matron?: number | null;
  sire?: number | null;
  children: number[];
  owner: string;
  birth_block: number;
  /** Who may breed with it as a sire, if its owner approved someone. */
  siring_approved?: string | null;
}

/** `GET /api/tokens`. */
export interface TokenPage {
  tokens: TokenSummary[];
  total: number;
  next_cursor?: number | null;
}

/** A parent for preview/fuse: a token id or a genome hex. */
export type Parent = number | string;

/** One possible child. */
export interface PreviewChild {
  genome_hex: string;
  seed: string;
  image: string;
}

/** Per-gene odds of where the child's main value comes from. */
export interface GeneOdds {
  gene: number;
  slot?: AttributeSlot | null;
  /** Matron main, matron sub, sire main, sire sub (levels, or names for attributes). */
  values: (number | string)[];
  /** P(child main = each candidate), before mutation, same order. */
  odds: number[];
  /** P(the child's main value mutates). */
  mutation: number;
}

/** `POST /api/preview`. */
export interface Preview {
  children: PreviewChild[];
  inheritance: GeneOdds[];
}

/** `GET /api/contract`. */
export interface ContractInfo {
  chain_id: number;
  address: string;
  deploy_block: number;
  abi: unknown[];
}

/** `GET /api/auth/nonce`. */
export interface NonceResponse {
  nonce: string;
  expires_in: number;
  domain: string;
  uri: string;
  chain_id: number;
}

/** A signed-in wallet (`GET /api/me`). */
export interface Me {
  address: string;
  chain_id: number;
  expires: number;
  tokens: number;
}

/** `GET /healthz`. */
export interface Health {
  status: string;
  indexed_block?: number | null;
  tokens: number;
  generator: boolean;
}

/** An API error: the service's message (`ErrorBody.error`) and the HTTP status. */
export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(`the Chimera service did not answer ${method} ${path}: is it running?`, 0);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // fall through: reported below
  }
  if (!response.ok) {
    const message = (json as { error?: string } | undefined)?.error ?? `${method} ${path} answered ${response.status}`;
    throw new ApiError(message, response.status);
  }
  if (json === undefined) throw new ApiError(`${method} ${path} answered something that is not JSON`, response.status);
  return json as T;
}

// ------------------------------------------------------------------ the taste model (`/api/taste…`)

/** An owner's two label books: the like/dislike taste, or their own named classes. */
export type Book = 'taste' | 'classes';

/** How the queue asks: one card to swipe or rate, two or four to pick from, or classes. */
export type LabelMode = 'swipe' | 'slider' | 'pick_two' | 'pick_four' | 'classes';

/** One answer of the owner (`POST /api/taste/labels`). */
export type Label =
  | { kind: 'swipe'; genome: string; like: boolean }
  | { kind: 'slider'; genome: string; value: number }
  | { kind: 'pick'; shown: string[]; chosen: number }
  | { kind: 'class'; genome: string; class: number };

/** One entry of a label book, oldest first (`GET /api/taste/labels`). */
export type LabelEntry = { labelled: Label } | { skipped: { genome: string } };

/** What a book teaches. */
export type TasteTask = { kind: 'taste' } | { kind: 'classes'; names: string[] };

/** k-fold held-out accuracy. */
export interface Validation {
  accuracy: number;
  folds: number;
  /** Labels judged across the folds. */
  judged: number;
}

/** One point of the learning curve: held-out accuracy when trained on the first `labels`. */
export interface CurvePoint {
  labels: number;
  accuracy: number;
}

/** The fitted model's summary (only in `GET /api/taste`). */
export interface ModelSummary {
  labels: number;
  swipes: number;
  sliders: number;
  picks: number;
  classes: number;
  rows: number;
  converged: boolean;
  /** Learned from picks alone: probabilities are relative to an average character. */
  relative: boolean;
  /** Per-gene L2 strength (0..40): small means the labels say the gene matters. */
  relevance?: number[];
}

/** `GET /api/taste` (and, without model/validation/curve, every label's reply). */
export interface TasteStatus {
  book: Book;
  task: TasteTask;
  labels: number;
  skips: number;
  model: ModelSummary | null;
  validation: Validation | null;
  learning_curve: CurvePoint[];
}

/** One question of the queue: 1 genome (swipe, slider, classes) or 2 / 4 (picks). */
export interface Prompt {
  genomes: string[];
  /** The model's like probability per genome (top class's for classes); empty at cold start. */
  predicted: number[];
  /** `cold_start`, `uncertain` or `explore`. */
  reason: string;
  /** Absolute portrait URLs (the app builds same-origin ones from `genomes`). */
  images: string[];
}

/** `GET /api/taste/queue`. */
export interface QueueBatch {
  /** No model guided the batch yet. */
  cold_start: boolean;
  prompts: Prompt[];
}

/** One entry of `GET /api/taste/rank`, best first. */
export interface RankedToken {
  token: number;
  probability: number;
  log_odds: number;
  genome: string;
  owner: string;
  generation: number;
  image: string;
}

/** A genome the reverse classifier found. */
export interface IdealCandidate {
  genome: string;
  /** The goal's probability under each model asked (yours, and the other owner's for a mutual ideal). */
  probabilities: number[];
  /** How far from an ordinary character it had to go (latent RMS). */
  latent_rms: number;
  image: string;
}

/** `GET /api/taste/ideal`: one, or one per class. */
export interface Ideal {
  best: IdealCandidate;
  variations: IdealCandidate[];
  target: number;
  reached: boolean;
}

/** One gene edit of a nudge. */
export interface GeneEdit {
  gene: number;
  /** The attribute slot, for genes 32..39. */
  slot?: AttributeSlot;
  /** Main value before and after. */
  from: number;
  to: number;
  /** Attribute value names before and after. */
  names?: [string, string];
  /** Nibble steps it costs. */
  steps: number;
}

/** `GET /api/taste/nudge/{id}`. */
export interface Nudge {
  token: number;
  original: string;
  genome: string;
  edits: GeneEdit[];
  steps: number;
  before: number;
  after: number;
  target: number;
  reached: boolean;
  image_before: string;
  image_after: string;
}

/** Sampled children of a pair, scored by the owner's taste. */
export interface ChildDistribution {
  samples: number;
  mean_probability: number;
  mean_log_odds: number;
  /** Share of children whose like probability is at least `threshold`. */
  p_at_least: number;
  threshold: number;
  /** Children per probability bin, equal bins over 0..1. */
  histogram: number[];
}

/** One mate of `GET /api/taste/mates/{id}`, best first. */
export interface Mate {
  token: number;
  owner: string;
  /** The mate is the owner's own (else its owner approved them for siring). */
  own: boolean;
  /** Exact expected log-odds of a child. */
  expected_score: number;
  children: ChildDistribution;
  image: string;
}

/** `GET /api/taste/match/{address}`. */
export interface Match {
  me: string;
  other: string;
  /** Mean probability that I like their characters. */
  i_like_theirs: number;
  they_like_mine: number;
  /** Geometric mean of both: high only when it goes both ways. */
  mutual: number;
  my_favourite_of_theirs: number | null;
  their_favourite_of_mine: number | null;
}

/** What the model says about one genome or token (`POST /api/taste/score`). */
export interface Score {
  genome: string;
  token?: number;
  prediction: { kind: 'taste'; like: number; logit: number } | { kind: 'classes'; probabilities: number[]; class: number; name: string };
}

/** `POST /api/taste/group`. */
export interface GroupResult {
  members: string[];
  ideal: { genome: string; image: string; probabilities: number[]; reached: boolean };
  variations: { genome: string; image: string }[];
}

/** Query string of the defined values. */
function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export interface TokenQuery {
  owner?: string;
  generation?: number;
  cursor?: number;
  limit?: number;
}

export const api = {
  tokens: (q: TokenQuery = {}, signal?: AbortSignal) =>
    request<TokenPage>('GET', `/api/tokens${query({ ...q })}`, undefined, signal),

  /** Every page of a listing (bounded: at most `max` tokens). */
  async allTokens(q: Omit<TokenQuery, 'cursor' | 'limit'> = {}, signal?: AbortSignal, max = 2000): Promise<TokenSummary[]> {
    const out: TokenSummary[] = [];
    let cursor: number | undefined;
    do {
      const page = await api.tokens({ ...q, cursor, limit: 200 }, signal);
      out.push(...page.tokens);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && out.length < max);
    return out;
  },

  token: (id: number, signal?: AbortSignal) => request<TokenMetadata>('GET', `/api/tokens/${id}`, undefined, signal),
  family: (id: number, depth: number, signal?: AbortSignal) =>
    request<Family>('GET', `/api/tokens/${id}/family${query({ depth })}`, undefined, signal),
  preview: (body: { matron: Parent; sire: Parent; samples?: number; seed?: string }, signal?: AbortSignal) =>
    request<Preview>('POST', '/api/preview', body, signal),
  contract: () => request<ContractInfo>('GET', '/api/contract'),
  health: () => request<Health>('GET', '/healthz'),
  nonce: () => request<NonceResponse>('GET', '/api/auth/nonce'),
  verify: (message: string, signature: string) => request<Me>('POST', '/api/auth/verify', { message, signature }),
  logout: () => request<void>('POST', '/api/auth/logout'),

  /** The taste model: every route needs the SIWE session; a 422 means "label some characters first". */
  taste: {
    status: (book: Book = 'taste', signal?: AbortSignal) => request<TasteStatus>('GET', `/api/taste${query({ book })}`, undefined, signal),
    label: (label: Label, signal?: AbortSignal) => request<TasteStatus>('POST', '/api/taste/labels', { label }, signal),
    skip: (genome: string, book: Book = 'taste', signal?: AbortSignal) => request<TasteStatus>('POST', '/api/taste/skip', { genome, book }, signal),
    undo: (book: Book = 'taste', signal?: AbortSignal) => request<TasteStatus>('POST', `/api/taste/undo${query({ book })}`, undefined, signal),
    labels: (book: Book = 'taste', signal?: AbortSignal) => request<LabelEntry[]>('GET', `/api/taste/labels${query({ book })}`, undefined, signal),
    deleteLabels: (book: Book = 'taste') => request<TasteStatus>('DELETE', `/api/taste/labels${query({ book })}`),
    setClasses: (names: string[]) => request<TasteStatus>('PUT', '/api/taste/classes', { names }),
    queue: (mode: LabelMode, prompts: number, signal?: AbortSignal) =>
      request<QueueBatch>('GET', `/api/taste/queue${query({ mode, prompts })}`, undefined, signal),
    score: (body: { genomes?: string[]; tokens?: number[]; book?: Book }, signal?: AbortSignal) => request<Score[]>('POST', '/api/taste/score', body, signal),
    rank: (k: number, signal?: AbortSignal) => request<RankedToken[]>('GET', `/api/taste/rank${query({ k })}`, undefined, signal),
    ideal: (q: { target?: number; variations?: number; book?: Book; class?: number; with?: string }, signal?: AbortSignal) =>
      request<Ideal[]>('GET', `/api/taste/ideal${query({ ...q })}`, undefined, signal),
    nudge: (id: number, target: number, signal?: AbortSignal) => request<Nudge>('GET', `/api/taste/nudge/${id}${query({ target })}`, undefined, signal),
    mates: (id: number, q: { shortlist?: number; threshold?: number }, signal?: AbortSignal) =>
      request<Mate[]>('GET', `/api/taste/mates/${id}${query({ ...q })}`, undefined, signal),
    match: (address: string, signal?: AbortSignal) => request<Match>('GET', `/api/taste/match/${address}`, undefined, signal),
    group: (members: string[], mode: 'blend' | 'median' | 'pool' = 'blend', signal?: AbortSignal) =>
      request<GroupResult>('POST', '/api/taste/group', { members, mode }, signal),
  },

  /** The signed-in wallet, or null when there is no (valid) session. */
  async me(): Promise<Me | null> {
    try {
      return await request<Me>('GET', '/api/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
};

/** The service's PNG routes, same-origin (the API's own `image` fields are absolute URLs). */
export const images = {
  token: (id: number, size?: number) => `/api/tokens/${id}/image.png${query({ size })}`,
  genome: (hex: string, size?: number) => `/api/genomes/${hex}/image.png${query({ size })}`,
};
