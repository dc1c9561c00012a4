// End-to-end tests of the web app in headless Chromium (Debian's, driven by playwright-core)
// against a real dev world: a fresh `chimera dev` on free ports (anvil, contract, 12 genesis
// characters, indexer, keeper, API serving web/dist). The page gets an injected EIP-1193 wallet,
// `window.ethereum`, whose every request is answered here in Node: accounts and signatures come
// from an anvil dev key through ethers, everything else is forwarded to the anvil RPC.
//
//   CHIMERA_BIN=/path/to/chimera node --import tsx --test tests/e2e.ts   (scripts/e2e.sh does it all)
//
// Screenshots of every view go to <repo>/test-output/screenshots/.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getAddress, getBytes, isHexString, JsonRpcProvider, toQuantity, toUtf8Bytes, Wallet } from 'ethers';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(WEB, '..');
const CHIMERA_BIN = path.resolve(ROOT, process.env.CHIMERA_BIN ?? 'target/debug/chimera');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output');
const SHOTS = path.join(OUT, 'screenshots');

/** Anvil's public dev keys (never for real funds): account 0 plays, account 1 is the friend. */
const PLAYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const FRIEND = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const FRIEND_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const DEV_CHAIN_ID = 31337;

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// ------------------------------------------------------------------ the dev world

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `chimera dev` on free ports with a temporary data directory; stopped with Ctrl-C (SIGINT). */
class DevWorld {
  private constructor(readonly process: ChildProcess, readonly url: string, readonly rpcUrl: string, readonly dataDir: string, private readonly log: string[]) {}

  static async start(): Promise<DevWorld> {
    const [port, anvilPort] = [await freePort(), await freePort()];
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-e2e-'));
    const logFile = createWriteStream(path.join(OUT, 'e2e-dev-world.log'));
    const log: string[] = [];
    const child = spawn(CHIMERA_BIN, ['dev', '--reset', '--data-dir', dataDir, '--port', String(port), '--anvil-port', String(anvilPort)], {
      cwd: ROOT, // the service serves web/dist and finds anvil relative to the repository root
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a stuck world can be stopped with everything it started
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk: Buffer) => {
        logFile.write(chunk);
        log.push(chunk.toString());
      });
    }
    const world = new DevWorld(child, `http://127.0.0.1:${port}`, `http://127.0.0.1:${anvilPort}`, dataDir, log);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`chimera dev exited with ${child.exitCode}:\n${world.logTail()}`);
      try {
        const health = (await (await fetch(`${world.url}/healthz`)).json()) as { tokens: number };
        const page = await (await fetch(`${world.url}/`)).text();
        if (health.tokens >= 12 && page.includes('id="app"')) return world;
        if (health.tokens >= 12) throw new Error('the service does not serve web/dist: build it first (scripts/build.sh)');
      } catch (e) {
        if ((e as Error).message.includes('web/dist')) throw e;
      }
      await sleep(300);
    }
    throw new Error(`the dev world did not come up in 120 s:\n${world.logTail()}`);
  }

  logTail(): string {
    return this.log.join('').split('\n').slice(-30).join('\n');
  }

  async api<T>(route: string): Promise<T> {
    const response = await fetch(`${this.url}${route}`);
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    this.process.kill('SIGINT');
    const gone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!gone && this.process.pid) process.kill(-this.process.pid, 'SIGKILL');
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ the injected wallet

type RpcAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/**
 * The wallet behind `window.ethereum` in the page. It starts on chain 1 and not connected, like a
 * wallet that never saw the site, so the app has to connect it and switch it to the dev chain.
 */
class TestWallet {
  /** The chain the wallet is on. */
  chainId = 1;
  /** The site was allowed to see the account. */
  connected = false;
  /** Answer the next personal_sign with the user's "no" (EIP-1193 4001). */
  rejectNextSignature = false;
  /** Every method the page asked for, in order. */
  readonly calls: string[] = [];
  readonly signer: Wallet;
  private rpcId = 0;

  constructor(key: string, private readonly rpcUrl: string) {
    this.signer = new Wallet(key, new JsonRpcProvider(rpcUrl, DEV_CHAIN_ID, { staticNetwork: true, pollingInterval: 250 }));
  }

  get address(): string {
    return this.signer.address;
  }

  private async forward(method: string, params: unknown[]): Promise<RpcAnswer> {
    const response = await fetch(this.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++this.rpcId, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    return body.error ? { error: body.error } : { result: body.result };
  }

  async handle(page: Page, method: string, params: unknown[]): Promise<RpcAnswer> {
    this.calls.push(method);
    const fail = (code: number, message: string): RpcAnswer => ({ error: { code, message } });
    switch (method) {
      case 'eth_chainId':
        return { result: toQuantity(this.chainId) };
      case 'net_version':
        return { result: String(this.chainId) };
      case 'eth_accounts':
        return { result: this.connected ? [this.address] : [] };
      case 'eth_requestAccounts':
        this.connected = true;
        setTimeout(() => void emit(page, 'accountsChanged', [this.address]), 0);
        return { result: [this.address] };
      case 'wallet_switchEthereumChain': {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (wanted !== DEV_CHAIN_ID) return fail(4902, `Unrecognized chain ID ${toQuantity(wanted)}.`);
        this.chainId = wanted;
        setTimeout(() => void emit(page, 'chainChanged', toQuantity(wanted)), 0);
        return { result: null };
      }
      case 'personal_sign': {
        const [message, account] = params as [string, string];
        if (!this.connected || getAddress(account) !== this.address) return fail(4100, 'The requested account has not been authorized.');
        if (this.rejectNextSignature) {
          this.rejectNextSignature = false;
          return fail(4001, 'User rejected the request.');
        }
        return { result: await this.signer.signMessage(isHexString(message) ? getBytes(message) : toUtf8Bytes(message)) };
      }
      case 'eth_sendTransaction': {
        if (this.chainId !== DEV_CHAIN_ID) return fail(4901, `the test wallet is on chain ${this.chainId}`);
        const tx = params[0] as { from: string; to: string; data?: string; value?: string; gas?: string };
        if (getAddress(tx.from) !== this.address) return fail(4100, 'unknown account');
        try {
          const sent = await this.signer.sendTransaction({
            to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : 0n, gasLimit: tx.gas ? BigInt(tx.gas) : undefined,
          });
          return { result: sent.hash };
        } catch (e) {
          return fail(-32000, (e as Error).message);
        }
      }
      case 'wallet_addEthereumChain':
      case 'eth_signTypedData_v4':
      case 'eth_sign':
        return fail(4200, `the test wallet does not support ${method}`);
      default:
        if (this.chainId !== DEV_CHAIN_ID) return fail(4901, `the test wallet has no RPC for chain ${this.chainId}`);
        return this.forward(method, params);
    }
  }
}

/** Fire a provider event (accountsChanged, chainChanged) in the page. */
async function emit(page: Page, event: string, value: unknown): Promise<void> {
  await page.evaluate(([e, v]) => (window as unknown as { __e2eEmit(e: string, v: unknown): void }).__e2eEmit(e, v), [event, value] as const).catch(() => undefined);
}

/**
 * Runs in the page before its scripts: `window.ethereum` whose requests go to the Node wallet
 * through the `__e2eWallet` binding. Plain JavaScript in a string: the TypeScript loader would add
 * helpers to a serialised function that do not exist in the page.
 */
const INJECTED_PROVIDER = `(() => {
  const listeners = new Map();
  const provider = {
    isChimeraE2E: true,
    async request({ method, params }) {
      const answer = await window.__e2eWallet(method, params ?? []);
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
    },
  };
  window.ethereum = provider;
  window.__e2eEmit = (event, value) => listeners.get(event)?.forEach((listener) => listener(value));
})();`;

// ------------------------------------------------------------------ fixtures

let world: DevWorld;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let wallet: TestWallet;
const pageErrors: string[] = [];

interface TokenSummary { id: number; owner: string; matron: number; sire: number; generation: number; genome_hex: string; attributes: Record<string, string> }
interface TokenMetadata extends Omit<TokenSummary, 'matron' | 'sire'> {
  matron?: number | null; sire?: number | null; children: number[]; siring_approved?: string | null;
  genome: { attrs: { slot: string; main: string; sub: string }[] };
}

async function shot(name: string, target: Page = page): Promise<void> {
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Every portrait in `scope` has settled: drawn, or honestly marked unavailable. */
async function portraitsSettled(scope: string, target: Page = page): Promise<void> {
  // Portraits load lazily: bring each into view once so that off-screen ones start too, then put
  // every scroll position back as it was (the screenshots show what a person first sees).
  const scrolled = await target.evaluate(() => [...document.querySelectorAll('.tree-scroll, .barcode-frame')].map((e) => e.scrollLeft));
  for (const figure of await target.locator(`${scope} .portrait`).all()) await figure.scrollIntoViewIfNeeded().catch(() => undefined);
  await target.evaluate((lefts) => {
    document.querySelectorAll('.tree-scroll, .barcode-frame').forEach((e, i) => { e.scrollLeft = lefts[i] ?? 0; });
    window.scrollTo(0, 0);
  }, scrolled);
  await target.waitForFunction((sel) => {
    const figures = [...document.querySelectorAll(`${sel} .portrait`)];
    return figures.length > 0 && figures.every((f) => ['loaded', 'unavailable'].includes(f.getAttribute('data-state') ?? ''));
  }, scope, { timeout: 30_000 });
}

async function walletState(): Promise<string | null> {
  return page.getAttribute('.wallet-bar', 'data-state');
}

async function waitWalletState(state: string): Promise<void> {
  await page.waitForSelector(`.wallet-bar[data-state="${state}"]`, { timeout: 15_000 });
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  world = await DevWorld.start();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  wallet = new TestWallet(PLAYER_KEY, world.rpcUrl);
  await context.exposeBinding('__e2eWallet', (source, method: string, params: unknown[]) => wallet.handle(source.page, method, params));
  await context.addInitScript({ content: INJECTED_PROVIDER });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const consoleLog = createWriteStream(path.join(OUT, 'e2e-console.log'));
  context.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  context.on('weberror', (e) => consoleLog.write(`[pageerror] ${e.error().stack ?? e.error().message}\n`));
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await world?.stop();
});

// ------------------------------------------------------------------ the tests

test('without a wallet the app says so and still shows characters', { timeout: 60_000 }, async () => {
  const bare = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await bare.newPage();
  await p.goto(`${world.url}/#/explore`);
  await p.waitForSelector('.wallet-bar[data-state="no-wallet"]');
  assert.match(await p.innerText('.wallet-hint'), /No Ethereum wallet found/);
  await p.waitForSelector('[aria-label="Characters"] .card');
  assert.equal(await p.locator('[aria-label="Characters"] .card').count(), 12);
  await portraitsSettled('[aria-label="Characters"]', p);
  await shot('explore-no-wallet', p);
  await bare.close();
});

test('connect, switch network, decline then sign the SIWE message, stay signed in across a reload', { timeout: 60_000 }, async () => {
  await page.goto(`${world.url}/#/`);
  await waitWalletState('disconnected');
  await page.click('.wallet-bar .wallet-connect');
  await waitWalletState('wrong-chain');
  assert.match(await page.innerText('.wallet-hint'), /on chain 1, but Chimera lives on chain 31337/);
  await shot('wrong-chain');
  await page.click('.wallet-bar .wallet-switch');
  await waitWalletState('connected');
  assert.ok(wallet.calls.includes('wallet_switchEthereumChain'));

  wallet.rejectNextSignature = true;
  await page.click('.wallet-bar .wallet-signin');
  await page.waitForSelector('.session-notice.notice-error');
  assert.match(await page.innerText('.session-notice'), /You declined the signature/);
  assert.equal(await walletState(), 'connected');

  await page.click('.wallet-bar .wallet-signin');
  await waitWalletState('signed-in');
  assert.match(await page.innerText('.wallet-bar'), /0xf39F…2266/);
  await shot('signed-in');

  await page.reload();
  await waitWalletState('signed-in');
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  assert.equal(me.address, wallet.address);
  assert.equal(me.chain_id, DEV_CHAIN_ID);
});

test('my characters: a grid with name, generation and attributes; sort and filter', { timeout: 60_000 }, async () => {
  const owned = (await world.api<{ tokens: TokenSummary[] }>(`/api/tokens?owner=${wallet.address}`)).tokens;
  assert.ok(owned.length >= 2, 'the player owns genesis characters');
  await page.goto(`${world.url}/#/characters`);
  const grid = '[aria-label="My characters"]';
  await page.waitForSelector(`${grid} .card`);
  assert.equal(await page.locator(`${grid} .card`).count(), owned.length);
  const first = page.locator(`${grid} .card`).first();
  assert.match(await first.innerText(), /Chimera #\d+/);
  assert.match(await first.innerText(), /Gen 0/);

  await page.selectOption('.filter-sort', 'oldest');
  assert.equal(Number(await page.getAttribute(`${grid} .card >> nth=0`, 'data-token')), Math.min(...owned.map((t) => t.id)));
  await page.selectOption('.filter-sort', 'newest');
  assert.equal(Number(await page.getAttribute(`${grid} .card >> nth=0`, 'data-token')), Math.max(...owned.map((t) => t.id)));

  const target = owned[1];
  const words = (s: string) => s.replace(/_/g, ' ');
  await page.fill('.filter-search', `${words(target.attributes.hair_style)} ${words(target.attributes.eye_colour)} #${target.id}`);
  const shown = await page.locator(`${grid} .card`).evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-token'))));
  assert.deepEqual(shown, [target.id]);
  await page.fill('.filter-search', '');
  await portraitsSettled(grid);
  await shot('my-characters');
});

/** Breed `matron` × `sire` through the Breed view and return the child's id once it is indexed. */
async function breedViaUi(matron: number, sire: number, screenshots = false): Promise<number> {
  await page.goto(`${world.url}/#/breed?matron=${matron}&sire=${sire}`);
  await page.waitForSelector('.samples .sample', { timeout: 20_000 });
  assert.equal(await page.locator('.samples .sample').count(), 8);
  assert.equal(await page.locator('.odds-table tbody tr').count(), 8);
  await page.waitForSelector('.costs', { timeout: 20_000 });
  const costs = await page.innerText('.costs');
  assert.match(costs, /Birth fee/);
  assert.match(costs, /Gas/);
  assert.match(costs, new RegExp(`#${matron} cooldown`));
  const send = page.locator('.breed-send');
  assert.equal(await send.isEnabled(), true, `breed button enabled (problems: ${await page.locator('.problems').allInnerTexts()})`);
  if (screenshots) {
    await portraitsSettled('.samples');
    await shot('breed-preview');
  }
  await send.click();
  const newborn = await page.waitForSelector('.newborn[data-child]', { timeout: 60_000 });
  const child = Number(await newborn.getAttribute('data-child'));
  const meta = await world.api<TokenMetadata>(`/api/tokens/${child}`);
  assert.equal(meta.matron, matron);
  assert.equal(meta.sire, sire);
  assert.equal(getAddress(meta.owner), wallet.address);
  if (screenshots) {
    await portraitsSettled('.newborn');
    await shot('breed-born');
  }
  return child;
}

let family: { grandchild: number; children: [number, number]; grandparents: number[] };

test('breed two characters from the wallet and watch the child hatch', { timeout: 150_000 }, async () => {
  const owned = (await world.api<{ tokens: TokenSummary[] }>(`/api/tokens?owner=${wallet.address}`)).tokens.filter((t) => t.generation === 0);
  assert.ok(owned.length >= 4);
  const [a, b, c, d] = owned.map((t) => t.id);
  const sent = wallet.calls.filter((m) => m === 'eth_sendTransaction').length;
  const first = await breedViaUi(a, b, true);
  assert.equal(wallet.calls.filter((m) => m === 'eth_sendTransaction').length, sent + 1, 'one transaction from the wallet');
  // Two more births make a three-generation family for the tree.
  const second = await breedViaUi(c, d);
  const grandchild = await breedViaUi(first, second);
  family = { grandchild, children: [first, second], grandparents: [a, b, c, d] };
  const meta = await world.api<TokenMetadata>(`/api/tokens/${grandchild}`);
  assert.equal(meta.generation, 2);
});

test('character page: portrait, barcode with main and sub values, parents, family tree', { timeout: 60_000 }, async () => {
  assert.ok(family, 'the breeding test ran');
  const id = family.grandchild;
  const meta = await world.api<TokenMetadata>(`/api/tokens/${id}`);
  await page.goto(`${world.url}/#/character/${id}?depth=3`);
  await page.waitForSelector('.barcode .gene');

  // 40 genes whose bars carry the genome's main and sub nibbles.
  const genes = await page.locator('.barcode .gene').evaluateAll((gs) => gs.map((g) => [Number(g.getAttribute('data-main')), Number(g.getAttribute('data-sub'))]));
  const hex = meta.genome_hex.slice(2);
  assert.equal(genes.length, 40);
  genes.forEach(([main, sub], i) => {
    const byte = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    assert.deepEqual([main, sub], [byte >> 4, byte & 15], `gene ${i}`);
  });
  // The attribute table names main and sub values as the API decodes them.
  const rows = await page.locator('.attr-table tbody tr').evaluateAll((rs) => rs.map((r) => [
    r.getAttribute('data-slot'), r.querySelector('.attr-main')!.textContent, r.querySelector('.attr-sub')!.textContent]));
  assert.deepEqual(rows, meta.genome.attrs.map((a) => [a.slot, a.main.replace(/_/g, ' '), a.sub.replace(/_/g, ' ')]));
  await page.hover('.barcode .gene[data-gene="33"]');
  assert.match(await page.innerText('.barcode-readout'), /Gene 33 · hair style · main/);

  // Parents, and a pedigree three generations deep: the character, 2 parents, 4 grandparents.
  assert.deepEqual(
    (await page.locator('.parents .card').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-token'))))).sort((x, y) => x - y),
    [...family.children].sort((x, y) => x - y));
  const tree = (await page.locator('.pedigree .tree-card').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-token'))))).sort((x, y) => x - y);
  assert.deepEqual(tree, [...family.grandparents, ...family.children, id].sort((x, y) => x - y));
  assert.match(await page.innerText('.character-meta'), /owner you/);
  await page.waitForSelector('.chain-status [data-ready]');
  await portraitsSettled('.character');
  await shot('character');

  // A grandparent's page lists its descendants.
  await page.goto(`${world.url}/#/character/${family.grandparents[0]}`);
  await page.waitForSelector('.desc-row[data-distance="2"] .tree-card');
  assert.equal(await page.locator(`.desc-row[data-distance="2"] .tree-card[data-token="${id}"]`).count(), 1);
  await portraitsSettled('.character');
  await shot('character-genesis');

  // The same page on a phone.
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${world.url}/#/character/${id}`);
  await phone.waitForSelector('.barcode .gene');
  await portraitsSettled('.character', phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await phone.evaluate(() => [...document.querySelectorAll('.main *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.tree-scroll, .barcode-frame'))
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`));
  assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px: ${wide.join(', ')})`);
  await shot('character-phone', phone);
  await phone.close();
});

test('owner actions: approve siring (and the friend breeds with it), then transfer', { timeout: 90_000 }, async () => {
  const sire = family.grandparents[1];
  await page.goto(`${world.url}/#/character/${sire}`);
  await page.fill('input[name="siring-address"]', FRIEND);
  await page.click('.siring-form button[type="submit"]');
  await page.waitForSelector('.siring', { timeout: 30_000 });
  assert.match(await page.innerText('.siring'), /May sire once for 0x7099…79C8/);
  assert.equal(getAddress((await world.api<TokenMetadata>(`/api/tokens/${sire}`)).siring_approved!), FRIEND);

  // The friend, in a browser of their own, breeds their character with the approved sire.
  const friendWallet = new TestWallet(FRIEND_KEY, world.rpcUrl);
  friendWallet.connected = true;
  friendWallet.chainId = DEV_CHAIN_ID;
  const friendContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await friendContext.exposeBinding('__e2eWallet', (source, method: string, params: unknown[]) => friendWallet.handle(source.page, method, params));
  await friendContext.addInitScript({ content: INJECTED_PROVIDER });
  const friendPage = await friendContext.newPage();
  friendPage.on('pageerror', (e) => pageErrors.push(e.message));
  const friendsOwn = (await world.api<{ tokens: TokenSummary[] }>(`/api/tokens?owner=${FRIEND}`)).tokens[0].id;
  await friendPage.goto(`${world.url}/#/breed?matron=${friendsOwn}&sire=${sire}`);
  await friendPage.waitForSelector('.other-sire-status .notice-info');
  assert.match(await friendPage.innerText('.other-sire-status'), /approved you/);
  await friendPage.waitForSelector('.costs');
  await friendPage.click('.breed-send');
  const born = Number(await (await friendPage.waitForSelector('.newborn[data-child]', { timeout: 60_000 })).getAttribute('data-child'));
  const child = await world.api<TokenMetadata>(`/api/tokens/${born}`);
  assert.deepEqual([child.matron, child.sire, getAddress(child.owner)], [friendsOwn, sire, FRIEND]);
  assert.equal((await world.api<TokenMetadata>(`/api/tokens/${sire}`)).siring_approved ?? null, null, 'a siring approval is good for one birth');
  await friendContext.close();

  const gift = family.grandchild;
  await page.goto(`${world.url}/#/character/${gift}`);
  await page.fill('input[name="transfer-address"]', FRIEND);
  await page.click('.transfer-form button[type="submit"]');
  await page.click('.confirm-transfer');
  await page.waitForFunction(() => !/owner you/.test(document.querySelector('.character-meta')?.textContent ?? 'owner you'), null, { timeout: 30_000 });
  assert.equal(getAddress((await world.api<TokenMetadata>(`/api/tokens/${gift}`)).owner), FRIEND);
  assert.equal(await page.locator('.owner-actions').count(), 0, 'no owner actions once it is gone');
});

// ------------------------------------------------------------------ the taste model

/** The e2e player's taste: like a character when its hair colour (gene 32's main nibble) is below 8. */
const likes = (genome: string) => parseInt(genome.slice(2 + 2 * 32, 2 + 2 * 32 + 1), 16) < 8;

/** A signed-in session of another account, straight against the API (for the friend's taste). */
async function apiSession(key: string): Promise<<T>(method: string, route: string, body?: unknown) => Promise<T>> {
  const signer = new Wallet(key);
  const nonce = await world.api<{ nonce: string; domain: string; uri: string; chain_id: number }>('/api/auth/nonce');
  const now = new Date();
  const message = [
    `${nonce.domain} wants you to sign in with your Ethereum account:`, signer.address, '', 'Sign in to Chimera.', '',
    `URI: ${nonce.uri}`, 'Version: 1', `Chain ID: ${nonce.chain_id}`, `Nonce: ${nonce.nonce}`,
    `Issued At: ${now.toISOString()}`, `Expiration Time: ${new Date(now.getTime() + 3600_000).toISOString()}`,
  ].join('\n');
  const verify = await fetch(`${world.url}/api/auth/verify`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, signature: await signer.signMessage(message) }),
  });
  assert.equal(verify.status, 200, `the friend signs in: ${await verify.clone().text()}`);
  const cookie = verify.headers.get('set-cookie')!.split(';')[0];
  return async <T>(method: string, route: string, body?: unknown) => {
    const response = await fetch(`${world.url}${route}`, {
      method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

/** The signed-in player's own view of the API, through the page (its session cookie). */
async function pageApi<T>(route: string): Promise<T> {
  return page.evaluate(async (r) => {
    const response = await fetch(r);
    if (!response.ok) throw new Error(`${r}: ${response.status} ${await response.text()}`);
    return response.json();
  }, route) as Promise<T>;
}

interface Labelled { kind: string; genome?: string; like?: boolean; value?: number; shown?: string[]; chosen?: number; class?: number }
type LabelEntry = { labelled: Labelled } | { skipped: { genome: string } };
const labelOf = (e: LabelEntry): Labelled | null => ('labelled' in e ? e.labelled : null);

/** The deck's counters: cards passed, liked, disliked, skipped. */
async function deckCounts(scope = '.deck'): Promise<number[]> {
  return page.locator(scope).evaluate((d) => ['data-index', 'data-liked', 'data-disliked', 'data-skipped'].map((a) => Number(d.getAttribute(a))));
}

async function untilDeck(want: number[], scope = '.deck'): Promise<void> {
  await page.waitForFunction(([sel, w]) => {
    const d = document.querySelector(sel as string);
    return !!d && ['data-index', 'data-liked', 'data-disliked', 'data-skipped'].map((a) => Number(d.getAttribute(a))).join() === (w as number[]).join();
  }, [scope, want] as const, { timeout: 10_000 });
}

/** The genome on top of the deck, once there is one (the next batch may still be on its way). */
async function topCard(scope = '.deck'): Promise<string> {
  const card = await page.waitForSelector(`${scope} .deck-card.depth-0`, { timeout: 60_000 });
  return (await card.getAttribute('data-key'))!;
}

let idealBefore = '';

test('taste views before any label: Ideal asks for labels first', { timeout: 30_000 }, async () => {
  await page.goto(`${world.url}/#/ideal`);
  await page.waitForSelector('.ideal[data-state="empty"] .taste-empty');
  assert.match(await page.innerText('.taste-empty'), /Label some characters first/);
  assert.match(await page.innerText('.taste-empty'), /label some characters first/, 'the service’s own 422 message is shown');
  assert.equal(await page.locator('.ideal-card').count(), 0);
  await shot('ideal-before-labels');
});

test('train: slider, pick 1 of 2, pick 1 of 4 and custom classes reach the service', { timeout: 90_000 }, async () => {
  await page.goto(`${world.url}/#/train?mode=slider`);
  await page.waitForSelector('.taste-panel[data-evaluated="0"]');
  const labels = async () => Number(await page.getAttribute('.taste-panel[data-book="taste"]', 'data-labels'));
  const untilLabels = (n: number) => page.waitForSelector(`.taste-panel[data-book="taste"][data-labels="${n}"]`, { timeout: 30_000 });

  await page.waitForSelector('.prompt-slider .prompt-card[data-genome]');
  const rated = (await page.getAttribute('.prompt-slider .prompt-card', 'data-genome'))!;
  await page.fill('.taste-slider', '0.8');
  await page.click('.slider-submit');
  await untilLabels(1);

  await page.click('.mode-tab[data-mode="pick_two"]');
  await page.waitForSelector('.prompt-pick_two .pick-option');
  assert.equal(await page.locator('.pick-option').count(), 2);
  await page.keyboard.press('2');
  await untilLabels(2);

  await page.click('.mode-tab[data-mode="pick_four"]');
  await page.waitForSelector('.prompt-pick_four .pick-option');
  assert.equal(await page.locator('.pick-option').count(), 4);
  const shown = await page.locator('.pick-option').evaluateAll((os) => os.map((o) => o.getAttribute('data-genome')));
  await page.click('.pick-option[data-choice="2"]');
  await untilLabels(3);
  // Skip the next four (nothing learned), then undo the skip: four skips go and come back.
  await page.waitForSelector('.prompt-pick_four:not([data-waiting]) .pick-option');
  await page.keyboard.press('ArrowUp');
  await page.waitForSelector('.taste-panel[data-book="taste"] .taste-count span.muted:text("4 skipped")');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('.taste-panel[data-book="taste"] .taste-count span.muted')?.textContent === '');
  await portraitsSettled('.pick-grid');
  await shot('train-pick-four');

  const entries = await pageApi<LabelEntry[]>('/api/taste/labels');
  assert.deepEqual(entries.map((e) => ('labelled' in e ? e.labelled.kind : 'skip')), ['slider', 'pick', 'pick']);
  assert.equal(labelOf(entries[0])?.genome, rated);
  assert.equal(labelOf(entries[0])?.value, 0.8);
  assert.deepEqual(labelOf(entries[2]), { kind: 'pick', shown, chosen: 2 });
  assert.equal(await labels(), 3);

  // Custom classes: name them, then put a character in one.
  await page.click('.mode-tab[data-mode="classes"]');
  await page.waitForSelector('.classes-form', { timeout: 30_000 });
  await page.fill('input[name="class-names"]', 'kiss, marry, kill');
  await page.click('.classes-form button[type="submit"]');
  await page.waitForSelector('.class-buttons .class-button');
  assert.deepEqual(await page.locator('.class-button').evaluateAll((bs) => bs.map((b) => b.textContent)), ['1 kiss', '2 marry', '3 kill']);
  await page.keyboard.press('2');
  await page.waitForSelector('.taste-panel[data-book="classes"][data-labels="1"]', { timeout: 30_000 });
  const classes = await pageApi<LabelEntry[]>('/api/taste/labels?book=classes');
  assert.deepEqual(classes.map((e) => [labelOf(e)?.kind, labelOf(e)?.class]), [['class', 1]]);
  await portraitsSettled('.prompt-stage');
  await shot('train-classes');
});

test('train: swipe 20 characters by a rule; the accuracy and the learning curve follow', { timeout: 150_000 }, async () => {
  await page.goto(`${world.url}/#/train`);
  let top = await topCard();
  assert.deepEqual(await deckCounts(), [0, 0, 0, 0]);
  // Skip, then undo the skip: the same card is back.
  await page.keyboard.press('ArrowUp');
  await untilDeck([1, 0, 0, 1]);
  await page.keyboard.press('Backspace');
  await untilDeck([0, 0, 0, 0]);
  assert.equal(await topCard(), top);

  let liked = 0;
  let disliked = 0;
  const judged = () => liked + disliked;
  const count = (like: boolean) => (like ? (liked += 1) : (disliked += 1));
  // One by a pointer swipe (mouse here; touch uses the same pointer events)…
  top = await topCard();
  const box = (await page.locator('.deck-card.depth-0').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + (likes(top) ? 160 : -160), box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  count(likes(top));
  await untilDeck([judged(), liked, disliked, 0]);
  // …one by the buttons, then a wrong verdict taken back with undo…
  top = await topCard();
  await page.click(likes(top) ? '.deck-like' : '.deck-dislike');
  count(likes(top));
  await untilDeck([judged(), liked, disliked, 0]);
  top = await topCard();
  await page.keyboard.press(likes(top) ? 'ArrowLeft' : 'ArrowRight');
  await untilDeck([judged() + 1, liked + (likes(top) ? 0 : 1), disliked + (likes(top) ? 1 : 0), 0]);
  await page.click('.deck-undo');
  await untilDeck([judged(), liked, disliked, 0]);
  assert.equal(await topCard(), top, 'undo brings the card back');
  // …and the rest with the arrow keys, as the next batches arrive.
  while (judged() < 20) {
    top = await topCard();
    await page.keyboard.press(likes(top) ? 'ArrowRight' : 'ArrowLeft');
    count(likes(top));
    await untilDeck([judged(), liked, disliked, 0]);
  }
  assert.ok(liked > 0 && disliked > 0, `a mix of likes (${liked}) and dislikes (${disliked})`);

  // The service holds exactly the 20 swipes, each as the rule says, after the three earlier labels.
  await page.waitForSelector('.taste-panel[data-labels="23"]', { timeout: 30_000 });
  const entries = await pageApi<LabelEntry[]>('/api/taste/labels');
  const swipes = entries.map(labelOf).filter((l): l is Labelled => l?.kind === 'swipe');
  assert.equal(entries.length, 23, 'no skip left behind, no label lost');
  assert.equal(swipes.length, 20);
  for (const label of swipes) assert.equal(label.like, likes(label.genome!), `verdict on ${label.genome}`);

  // The accuracy figure and the learning curve, measured at 23 labels.
  const panel = await page.waitForSelector('.taste-panel[data-evaluated="23"][data-accuracy]', { timeout: 90_000 });
  const accuracy = Number(await panel.getAttribute('data-accuracy'));
  assert.ok(accuracy >= 0 && accuracy <= 1);
  assert.match(await page.innerText('.taste-accuracy strong'), /^\d+%$/);
  assert.match(await page.innerText('.taste-accuracy'), /5-fold, held out, at 23 labels/);
  assert.ok(await page.locator('.curve-svg .curve-point').count() >= 1, 'the learning curve has points');
  assert.equal(await page.innerText('.taste-count strong'), '23');

  // The list of labels, newest first.
  await page.click('.label-history summary');
  await page.waitForSelector('.label-list-count');
  assert.match(await page.innerText('.label-list-count'), /^23 labels and 0 skips/);
  assert.equal(await page.locator('.label-entry').count(), 23);
  await portraitsSettled('.deck-card.depth-0');
  await shot('train-deck');
});

test('ideal: drawn after labels, and drawn again as the fig. 16 deck adds more', { timeout: 90_000 }, async () => {
  await page.goto(`${world.url}/#/ideal`);
  const card = await page.waitForSelector('.ideal[data-state="ready"] .ideal-card[data-genome]', { timeout: 30_000 });
  idealBefore = (await card.getAttribute('data-genome'))!;
  assert.match(idealBefore, /^0x[0-9a-f]{80}$/);
  assert.equal(await page.getAttribute('.ideal', 'data-labels'), '23');
  assert.ok(Number(await page.getAttribute('.ideal-card .prob', 'data-probability')) > 0.5, 'the ideal scores high');
  await page.waitForSelector('.ideal-deck .deck-card.depth-0');
  assert.equal(await page.getAttribute('.ideal-deck .deck-card.depth-0', 'data-key'), idealBefore, 'the deck opens with the ideal');
  await portraitsSettled('.ideal-card');
  await shot('ideal');

  // Dislike the ideal itself and the next high scorer: the ideal is drawn again from 25 labels.
  await page.keyboard.press('ArrowLeft');
  await untilDeck([1, 0, 1, 0], '.ideal-deck .deck');
  await page.keyboard.press('ArrowLeft');
  await untilDeck([2, 0, 2, 0], '.ideal-deck .deck');
  await page.waitForSelector('.ideal[data-labels="25"][data-state="ready"]', { timeout: 30_000 });
  const after = (await page.getAttribute('.ideal', 'data-genome'))!;
  assert.notEqual(after, idealBefore, 'a new ideal once its predecessor was disliked');
  assert.match(await page.innerText('.ideal-status'), /Drawn from your 25 labels/);

  // The friend trains a taste too (by the opposite rule); then the mutual ideal of both.
  const friend = await apiSession(FRIEND_KEY);
  const batch = await friend<{ prompts: { genomes: string[] }[] }>('GET', '/api/taste/queue?mode=swipe&prompts=12');
  for (const p of batch.prompts) await friend('POST', '/api/taste/labels', { label: { kind: 'swipe', genome: p.genomes[0], like: !likes(p.genomes[0]) } });
  await page.fill('input[name="with"]', FRIEND);
  await page.click('.with-form button[type="submit"]');
  await page.waitForSelector('.ideal-card h2:text("mutual ideal")', { timeout: 30_000 });
  assert.equal(await page.locator('.ideal-card .ideal-facts .prob').count(), 2, 'scored by both models');
  await portraitsSettled('.ideal-card');
  await shot('ideal-mutual');
});

test('discover: every character ranked by taste, and mutual matches', { timeout: 60_000 }, async () => {
  const all = (await world.api<{ total: number }>('/api/tokens?limit=1')).total;
  await page.goto(`${world.url}/#/discover`);
  await page.waitForSelector('.ranked .card[data-probability]', { timeout: 30_000 });
  const probabilities = await page.locator('.ranked .card').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-probability'))));
  assert.equal(probabilities.length, all, 'every character is ranked');
  assert.deepEqual(probabilities, [...probabilities].sort((a, b) => b - a), 'best first');
  assert.match(await page.innerText('.ranked .card >> nth=0'), /Your taste \d+%|Your taste [<>]\d+%/);

  // The friend has a model (previous test): a mutual match with figures; the third owner has none.
  const match = await page.waitForSelector(`.match[data-owner="${FRIEND}"]`, { timeout: 30_000 });
  const mutual = Number(await match.getAttribute('data-mutual'));
  assert.ok(mutual > 0 && mutual < 1);
  assert.match(await match.innerText(), /Mutual \S+%[\s\S]*You like theirs[\s\S]*They like yours/);
  await page.waitForSelector('.match-none', { timeout: 30_000 });
  assert.match(await page.innerText('.match-none'), /has no taste model yet/);
  await page.locator('.ranked').scrollIntoViewIfNeeded();
  await portraitsSettled('.ranked');
  await shot('discover');
});

test('mates: partners by predicted child score with histograms, into Breed', { timeout: 60_000 }, async () => {
  const mine = (await world.api<{ tokens: TokenSummary[] }>(`/api/tokens?owner=${wallet.address}`)).tokens;
  const id = Math.min(...mine.map((t) => t.id));
  await page.goto(`${world.url}/#/mates?id=${id}`);
  await page.waitForSelector('.mates[data-state="ready"] .mate', { timeout: 30_000 });
  const mates = page.locator('.mate');
  assert.ok(await mates.count() >= 1);
  for (const row of await mates.all()) {
    assert.equal(await row.locator('.child-histogram rect.bin').count(), 10, 'a 10-bin histogram of the children');
    assert.match(await row.locator('.mate-odds').innerText(), /^\d+% of 256 sampled children score at least 80%$/);
  }
  const sire = Number(await mates.first().getAttribute('data-token'));
  await portraitsSettled('.mate-list');
  await shot('mates');

  await mates.first().locator('.mate-breed').click();
  await page.waitForSelector(`.pick.picked[data-role="matron"][data-token="${id}"]`);
  await page.waitForSelector(`.pick.picked[data-role="sire"][data-token="${sire}"]`);
  assert.match(page.url(), new RegExp(`#/breed\\?matron=${id}&sire=${sire}$`));
});

test('nudge: the fewest gene edits that lift a character to the target', { timeout: 60_000 }, async () => {
  const ranked = await pageApi<{ token: number; owner: string; probability: number }[]>('/api/taste/rank?k=200');
  const lowest = ranked.filter((r) => getAddress(r.owner) === wallet.address).at(-1)!;
  await page.goto(`${world.url}/#/nudge?id=${lowest.token}&target=0.95`);
  await page.waitForSelector(`.nudge[data-state="ready"] .nudge-result[data-target="0.95"]`, { timeout: 30_000 });
  if (lowest.probability < 0.95) {
    assert.ok(Number(await page.getAttribute('.nudge-result', 'data-edits')) >= 1, `edits for #${lowest.token} (${lowest.probability})`);
    const rows = await page.locator('.nudge-edit').allInnerTexts();
    assert.ok(rows.length >= 1 && rows.every((r) => /gene \d+[\s\S]*→[\s\S]*\d+ steps?/.test(r)), rows.join(' | '));
    const original = (await world.api<TokenMetadata>(`/api/tokens/${lowest.token}`)).genome_hex;
    assert.notEqual(await page.getAttribute('.nudge-result', 'data-genome'), original, 'the nudged genome differs');
  } else {
    assert.match(await page.innerText('.nudge-result'), /nothing to change/);
  }
  const [before, after] = await page.locator('.nudge-result .prob').evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-probability'))));
  assert.ok(Math.abs(before - lowest.probability) < 1e-3, 'the before figure is the rank’s probability');
  assert.ok(after >= before);
  await portraitsSettled('.before-after');
  await shot('nudge');

  // A higher target asks again.
  await page.locator('input[name="target"]').fill('0.99');
  await page.waitForSelector('.nudge-result[data-target="0.99"]', { timeout: 30_000 });
});

test('sign out ends the session', { timeout: 30_000 }, async () => {
  await page.goto(`${world.url}/#/`);
  await waitWalletState('signed-in');
  await page.click('.wallet-signout');
  await waitWalletState('connected');
  assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401);
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
