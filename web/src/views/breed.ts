// Breeding: pick a matron (yours) and a sire (yours, or another owner's that you are approved
// for), preview possible children (sample portraits and per-gene odds from the service's copy of
// the on-chain law), see the fee, gas and cooldowns, send `breed` from the wallet, and watch the
// pending birth hatch until the child appears in the index.

import { api, images, type PreviewChild, type TokenMetadata, type TokenSummary } from '../api';
import { Chain, COOLDOWN_STEPS, eth, type BreedRequest, type CharacterState } from '../chain';
import { characterCard } from '../components/characterCard';
import { failure, info, loading, messageOf } from '../components/notice';
import { oddsTable } from '../components/oddsTable';
import { portrait } from '../components/portrait';
import { sendTransaction } from '../components/transaction';
import { h, replace, sameAddress, shortAddress, sleep } from '../dom';
import { attributeName, decodeGenome, words } from '../genome';
import type { RouteContext } from '../router';

/** Readiness of every candidate, when the chain can be read. */
interface Readiness {
  block: number;
  secondsPerBlock: number | null;
  states: Map<number, CharacterState>;
}

/** Candidates read from the chain at most (one eth_call each). */
const MAX_READINESS = 60;
/** Blocks after the birth block before the page offers to hatch by hand. */
const HATCH_BY_HAND_AFTER = 15;

export function breedView(ctx: RouteContext): HTMLElement {
  const { session, signal } = ctx;
  const root = h('section', { class: 'breed' }, h('h1', null, 'Breed'));
  const address = session.wallet?.address ?? session.me?.address ?? null;
  if (!address) {
    root.append(info('Connect your wallet to breed your characters. ',
      session.wallet ? h('button', { type: 'button', class: 'btn', onclick: () => void session.connect() }, 'Connect wallet') : 'No wallet was found in this browser.'));
    return root;
  }
  root.append(h('p', { class: 'lede' },
    'Pick a matron you own and a sire you own or may use. The child’s genome is drawn on chain from both parents’ main and sub genes, seeded by the hash of the block after your breed; a keeper then hatches it and it is yours.'));
  const body = h('div', { class: 'breed-body' }, loading('your characters'));
  root.append(body);
  void start(address);
  return root;

  async function start(me: string): Promise<void> {
    let mine: TokenSummary[];
    try {
      mine = await api.allTokens({ owner: me }, signal);
    } catch (e) {
      if (!signal.aborted) replace(body, failure(messageOf(e)));
      return;
    }
    const sires = new Map<number, TokenSummary>(mine.map((t) => [t.id, t]));
    const state = {
      matron: Number(ctx.query.get('matron')) || null as number | null,
      sire: Number(ctx.query.get('sire')) || null as number | null,
    };
    if (state.matron && !mine.some((t) => t.id === state.matron)) state.matron = null;

    const chain = session.chain();
    let readiness: Readiness | null = null;
    const readinessOf = async (ids: number[]): Promise<Readiness | null> => {
      if (!chain) return null;
      try {
        const [block, pace, states] = await Promise.all([
          chain.blockNumber(), chain.secondsPerBlock(),
          Promise.all(ids.slice(0, MAX_READINESS).map(async (id) => [id, await chain.characterOf(id)] as const)),
        ]);
        return { block, secondsPerBlock: pace, states: new Map(states) };
      } catch {
        return null;
      }
    };

    const matronPicker = h('div', { class: 'picker', role: 'radiogroup', 'aria-label': 'Matron' });
    const sirePicker = h('div', { class: 'picker', role: 'radiogroup', 'aria-label': 'Sire' });
    const otherSireInput = h('input', { type: 'number', min: '1', name: 'other-sire', placeholder: 'id', 'aria-label': 'Another owner’s character id' });
    const otherSireStatus = h('div', { class: 'other-sire-status' });
    const preview = h('section', { class: 'preview' });
    const checks = h('section', { class: 'checks' });
    const birth = h('section', { class: 'birth', 'aria-live': 'polite' });

    const restText = (id: number): string | null => {
      const st = readiness?.states.get(id);
      if (!readiness || !st) return null;
      const wait = st.cooldownEndBlock - readiness.block;
      return wait <= 0 ? 'ready' : `rests ${wait} blocks`;
    };

    const pickCard = (t: TokenSummary, role: 'matron' | 'sire') => {
      const selected = state[role] === t.id;
      const rest = restText(t.id);
      return h('button', {
        type: 'button', role: 'radio', 'aria-checked': String(selected), class: `pick${selected ? ' picked' : ''}`,
        'data-token': t.id, 'data-role': role,
        onclick: () => { state[role] = t.id; changed(); },
      },
      portrait(images.token(t.id), t.name, 'sm'),
      h('span', { class: 'pick-name' }, `#${t.id}`),
      h('span', { class: 'pick-meta' }, `Gen ${t.generation}`, sameAddress(t.owner, me) ? '' : ` · ${shortAddress(t.owner)}`),
      rest ? h('span', { class: `pick-rest ${rest === 'ready' ? 'is-ready' : 'is-resting'}` }, rest) : null);
    };

    const drawPickers = () => {
      replace(matronPicker, mine.length ? mine.map((t) => pickCard(t, 'matron')) : h('p', { class: 'muted' }, 'You own no character yet.'));
      replace(sirePicker, [...sires.values()].map((t) => pickCard(t, 'sire')));
    };

    const addOtherSire = async (id: number) => {
      replace(otherSireStatus, info(`Looking up #${id}…`));
      try {
        const meta = await api.token(id, signal);
        if (sameAddress(meta.owner, me)) {
          replace(otherSireStatus, info(`#${id} is yours already: it is in the list.`));
        } else if (!sameAddress(meta.siring_approved, me)) {
          replace(otherSireStatus, failure(`#${id}'s owner (${shortAddress(meta.owner)}) has not approved you to breed with it. Ask them to approve siring for ${me} on its page.`));
          return;
        } else {
          replace(otherSireStatus, info(`#${id}'s owner approved you: it can sire one child.`));
        }
        sires.set(id, summaryOf(meta));
        state.sire = id;
        changed();
      } catch (e) {
        replace(otherSireStatus, failure(messageOf(e)));
      }
    };

    replace(body,
      h('div', { class: 'breed-pick' },
        h('section', null, h('h2', null, 'Matron'), matronPicker),
        h('section', null, h('h2', null, 'Sire'), sirePicker,
          h('form', {
            class: 'other-sire',
            onsubmit: (e: Event) => { e.preventDefault(); const id = Number(otherSireInput.value); if (id > 0) void addOtherSire(id); },
          }, h('label', null, 'Another owner’s character approved for you: #', otherSireInput), h('button', { type: 'submit', class: 'btn-ghost' }, 'Add')),
          otherSireStatus)),
      checks, preview, birth);

    const changed = () => {
      const query = new URLSearchParams();
      if (state.matron) query.set('matron', String(state.matron));
      if (state.sire) query.set('sire', String(state.sire));
      const text = query.toString();
      history.replaceState(null, '', `#/breed${text ? `?${text}` : ''}`);
      drawPickers();
      drawPair();
    };

    /** Bumped on every new pair: late answers for an old pair are dropped. */
    let pairToken = 0;
    const drawPair = () => {
      const token = ++pairToken;
      const { matron, sire } = state;
      if (!matron || !sire) {
        replace(checks, h('p', { class: 'muted' }, 'Pick a matron and a sire to see their possible children.'));
        replace(preview);
        return;
      }
      replace(checks, loading('the costs'));
      void drawPreview(matron, sire, token);
      void drawChecks(matron, sire, token);
    };

    /** The report; while a parent rests it is read again once the cooldown should be over. */
    const drawChecks = async (matron: number, sire: number, token: number) => {
      const { element, recheckMs } = await pairReport(matron, sire);
      if (token !== pairToken || signal.aborted) return;
      replace(checks, element);
      if (recheckMs !== null) {
        sleep(recheckMs, signal).then(() => { if (token === pairToken) void drawChecks(matron, sire, token); }).catch(() => undefined);
      }
    };

    const drawPreview = async (matron: number, sire: number, token: number) => {
      replace(preview, h('h2', null, 'Possible children'), loading('the preview'));
      try {
        const result = await api.preview({ matron, sire, samples: 8 }, signal);
        if (token !== pairToken || signal.aborted) return;
        replace(preview,
          h('div', { class: 'section-head' }, h('h2', null, 'Possible children'),
            h('button', { type: 'button', class: 'btn-ghost', onclick: () => void drawPreview(matron, sire, token) }, 'Other samples')),
          h('p', { class: 'muted' }, 'Eight children these two could have under the on-chain law; the real one depends on a block hash nobody knows yet.'),
          h('div', { class: 'grid grid-small samples' }, result.children.map(sampleCard)),
          h('h3', null, 'Odds, gene by gene'),
          oddsTable(result.inheritance));
      } catch (e) {
        if (token === pairToken && !signal.aborted) replace(preview, h('h2', null, 'Possible children'), failure(messageOf(e)));
      }
    };

    /** Fee, gas, cooldowns and every reason the pair cannot breed now, plus the Breed button. */
    const pairReport = async (matronId: number, sireId: number): Promise<{ element: HTMLElement; recheckMs: number | null }> => {
      const problems: string[] = [];
      let longestRest = 0;
      let pace = 1;
      const matron = mine.find((t) => t.id === matronId);
      const sire = sires.get(sireId);
      if (matronId === sireId) problems.push('Pick two different characters.');
      if (matron && sire && (matron.matron === sireId || matron.sire === sireId || sire.matron === matronId || sire.sire === matronId)) {
        problems.push(`#${matronId} and #${sireId} are parent and child: they cannot breed.`);
      }
      const liveChain = session.chain();
      if (!session.wallet?.address) problems.push('Connect your wallet to send the breed.');
      else if (!session.wallet.onRightChain) problems.push('Switch your wallet to Chimera’s network to send the breed.');
      const rows: HTMLElement[] = [];
      let fee: bigint | null = null;
      if (liveChain) {
        try {
          const [metaM, metaS, read] = await Promise.all([api.token(matronId, signal), api.token(sireId, signal), readinessOf([matronId, sireId])]);
          readiness = read ? { ...read, states: new Map([...(readiness?.states ?? new Map()), ...read.states]) } : readiness;
          drawPickers();
          fee = await liveChain.birthFee();
          rows.push(...row('Birth fee', `${eth(fee)} — held by the contract and paid to whoever hatches the birth`));
          for (const meta of [metaM, metaS]) {
            const st = read?.states.get(meta.id);
            if (!st || !read) continue;
            const wait = st.cooldownEndBlock - read.block;
            longestRest = Math.max(longestRest, wait);
            pace = read.secondsPerBlock ?? pace;
            if (wait > 0) problems.push(`#${meta.id} is resting for ${wait} more blocks (until block ${st.cooldownEndBlock}).`);
            const index = Math.min(Math.floor(meta.generation / 2) + meta.children.length, COOLDOWN_STEPS - 1);
            const rest = await liveChain.cooldownBlocks(index);
            rows.push(...row(`#${meta.id} cooldown`, `${wait > 0 ? `resting now (${wait} blocks left); ` : 'ready now; '}then rests about ${rest} blocks after this breed${read.secondsPerBlock ? ` (≈ ${formatSeconds(rest * read.secondsPerBlock)} at the chain’s recent pace)` : ''}`));
          }
          if (!sameAddress(metaS.owner, me) && !sameAddress(metaS.siring_approved, me)) {
            problems.push(`#${sireId}'s owner has not approved you to breed with it.`);
          }
          if (session.canTransact && problems.length === 0) {
            const signer = await session.wallet!.signer();
            const contract = liveChain.withSigner(signer);
            const [gas, feeData, balance] = await Promise.all([
              contract.getFunction('breed').estimateGas(matronId, sireId, { value: fee }),
              liveChain.provider.getFeeData(),
              liveChain.provider.getBalance(session.wallet!.address!),
            ]);
            const price = feeData.maxFeePerGas ?? feeData.gasPrice ?? 0n;
            const gasCost = gas * price;
            rows.push(...row('Gas', `${gas.toLocaleString()} gas × at most ${(Number(price) / 1e9).toFixed(3)} gwei ≈ ${eth(gasCost)}`));
            rows.push(...row('Total', `at most ${eth(gasCost + fee)} (your balance: ${eth(balance)})`));
            if (balance < gasCost + fee) problems.push('Your balance does not cover the fee and gas.');
          }
        } catch (e) {
          problems.push(liveChain.explain(e));
        }
      }
      const button = h('button', {
        type: 'button', class: 'btn btn-primary breed-send', disabled: problems.length > 0 || fee === null,
        onclick: () => void send(matronId, sireId, fee ?? 0n, liveChain!),
      }, `Breed #${matronId} × #${sireId}`);
      const element = h('div', { class: 'pair-report' },
        h('h2', null, 'Before you send'),
        rows.length ? h('dl', { class: 'costs' }, rows) : null,
        problems.length ? h('ul', { class: 'problems', role: 'alert' }, problems.map((p) => h('li', null, p))) : null,
        button);
      const recheckMs = longestRest > 0 ? Math.min(15_000, Math.max(1000, longestRest * pace * 1000 + 300)) : null;
      return { element, recheckMs };
    };

    const send = async (matronId: number, sireId: number, fee: bigint, chain: Chain) => {
      let before: Set<number>;
      try {
        before = new Set((await api.token(matronId, signal)).children);
      } catch {
        before = new Set();
      }
      const status = h('div', { class: 'tx-status' });
      replace(birth, h('h2', null, 'Birth'), status);
      const receipt = await sendTransaction(session, status, { label: `Breeding #${matronId} × #${sireId}`, method: 'breed', args: [matronId, sireId], value: fee });
      if (!receipt) return;
      let request: BreedRequest;
      try {
        request = chain.breedRequestIn(receipt);
      } catch (e) {
        status.append(failure(messageOf(e)));
        return;
      }
      await watchBirth(request, matronId, before, chain);
      // The parents rest now: show it (the report reads the chain again when they are ready).
      if (state.matron && state.sire) void drawChecks(state.matron, state.sire, pairToken);
    };

    const watchBirth = async (request: BreedRequest, matronId: number, before: Set<number>, chain: Chain) => {
      const progress = h('p', { class: 'notice notice-info birth-progress', role: 'status' });
      const actions = h('div', { class: 'birth-actions' });
      birth.append(
        h('p', null, `Pending birth ${request.pendingId}: requested in block ${request.block}; the child’s genome is fixed by the hash of block ${request.birthBlock}.`),
        progress, actions);
      let childId = 0;
      let offeredHatch = false;
      for (;;) {
        if (signal.aborted) return;
        try {
          const [block, pending] = await Promise.all([chain.blockNumber(), chain.pendingBirth(request.pendingId)]);
          childId = pending.childId;
          if (!childId) {
            progress.textContent = block <= pending.birthBlock
              ? `Waiting for birth block ${pending.birthBlock} (now ${block})…`
              : `Birth block ${pending.birthBlock} has passed (now ${block}); waiting for a keeper to hatch it…`;
            if (!offeredHatch && block > pending.birthBlock + HATCH_BY_HAND_AFTER) {
              offeredHatch = true;
              const hatchStatus = h('div', { class: 'tx-status' });
              actions.append(
                h('p', null, 'No keeper has hatched it yet. Anyone may hatch a pending birth; you can do it yourself (you get the held fee back).'),
                h('button', { type: 'button', class: 'btn', onclick: () => void sendTransaction(session, hatchStatus, { label: `Hatching birth ${request.pendingId}`, method: 'hatch', args: [request.pendingId] }) }, 'Hatch it myself'),
                hatchStatus);
            }
          }
        } catch {
          // the chain read failed: the index below still tells
        }
        if (!childId) {
          try {
            const fresh = (await api.token(matronId, signal)).children.find((c) => !before.has(c));
            if (fresh) childId = fresh;
          } catch {
            // keep waiting
          }
        }
        if (childId) break;
        await sleep(1000, signal).catch(() => undefined);
      }
      progress.textContent = `Hatched as #${childId}. Waiting for the index…`;
      let child: TokenMetadata | null = null;
      while (!child && !signal.aborted) {
        try {
          child = await api.token(childId, signal);
        } catch {
          await sleep(1000, signal).catch(() => undefined);
        }
      }
      if (!child || signal.aborted) return;
      progress.textContent = `#${child.id} is born: generation ${child.generation}.`;
      replace(actions,
        h('div', { class: 'newborn', 'data-child': child.id },
          characterCard(summaryOf(child), { me, size: 'lg' }),
          h('p', null, h('a', { class: 'btn btn-primary', href: `#/character/${child.id}` }, `Meet #${child.id}`))));
      mine = await api.allTokens({ owner: me }, signal).catch(() => mine);
      for (const t of mine) sires.set(t.id, t);
      readiness = await readinessOf(mine.map((t) => t.id));
      drawPickers();
    };

    readiness = await readinessOf([...sires.keys()]);
    if (state.sire && !sires.has(state.sire)) await addOtherSire(state.sire);
    else changed();
  }
}

function row(term: string, detail: string): HTMLElement[] {
  return [h('dt', null, term), h('dd', null, detail)];
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

function sampleCard(child: PreviewChild, i: number): HTMLElement {
  const genes = decodeGenome(child.genome_hex);
  const attr = (slot: number) => {
    const g = genes[32 + slot];
    return words(attributeName(g.slot!, g.main));
  };
  return h('figure', { class: 'sample', 'data-genome': child.genome_hex },
    portrait(images.genome(child.genome_hex), `Possible child ${i + 1}`, 'sm'),
    h('figcaption', null, `${attr(0)} ${attr(1)}, ${attr(2)} eyes, ${attr(4)}`));
}

/** A list entry from full metadata. */
function summaryOf(meta: TokenMetadata): TokenSummary {
  const attributes = Object.fromEntries(meta.genome.attrs.map((a) => [a.slot, a.main])) as TokenSummary['attributes'];
  return {
    id: meta.id, name: meta.name, genome_hex: meta.genome_hex, generation: meta.generation, owner: meta.owner,
    matron: meta.matron ?? 0, sire: meta.sire ?? 0, image: meta.image, attributes,
  };
}
