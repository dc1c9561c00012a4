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

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
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
