// A character's page: large portrait, the genome barcode with its attribute names, owner,
// parents and children, the family tree several generations deep, breeding readiness, and for
// the owner: approve siring and transfer.

import { isAddress, ZeroAddress, getAddress } from 'ethers';
import { api, images, type Family, type TokenMetadata } from '../api';
import { barcode } from '../components/barcode';
import { characterCard } from '../components/characterCard';
import { familyTree } from '../components/familyTree';
import { failure, info, loading, messageOf } from '../components/notice';
import { portrait } from '../components/portrait';
import { sendTransaction, waitFor } from '../components/transaction';
import { h, replace, sameAddress, shortAddress } from '../dom';
import type { RouteContext } from '../router';

const MAX_DEPTH = 8;

/** Who may use it as a sire, or null (the API leaves the field out, or could send the zero address). */
function approvedOf(meta: TokenMetadata): string | null {
  return meta.siring_approved && meta.siring_approved !== ZeroAddress ? meta.siring_approved : null;
}

export function characterView(ctx: RouteContext): HTMLElement {
  const id = Number(ctx.params.id);
  const root = h('article', { class: 'character' });
  if (!Number.isInteger(id) || id < 1) {
    replace(root, h('h1', null, 'No such character'), failure(`"${ctx.params.id}" is not a character id: ids are whole numbers from 1.`));
    return root;
  }
  const depth = Math.min(MAX_DEPTH, Math.max(1, Number(ctx.query.get('depth') ?? 3) || 3));
  replace(root, loading(`character #${id}`));
  void load();
  return root;

  async function load(): Promise<void> {
    let meta: TokenMetadata;
    let family: Family;
    try {
      [meta, family] = await Promise.all([api.token(id, ctx.signal), api.family(id, depth, ctx.signal)]);
    } catch (e) {
      if (ctx.signal.aborted) return;
      replace(root, h('h1', null, `Chimera #${id}`), failure(messageOf(e)));
      return;
    }
    if (ctx.signal.aborted) return;
    draw(meta, family);
  }

  function draw(meta: TokenMetadata, family: Family): void {
    const { session } = ctx;
    const walletAddress = session.wallet?.address ?? null;
    const isOwner = sameAddress(walletAddress, meta.owner);
    const mayBreedAsSire = !isOwner && sameAddress(approvedOf(meta), walletAddress);
    const ownerWithoutWallet = !isOwner && sameAddress(session.me?.address, meta.owner);
    const parents = family.ancestors.filter((a) => a.distance === 1);
    const children = family.descendants.filter((d) => d.distance === 1);

    const depthSelect = h('select', {
      'aria-label': 'Generations shown', class: 'depth-select',
      onchange: (e: Event) => { location.hash = `#/character/${id}?depth=${(e.target as HTMLSelectElement).value}`; },
    }, Array.from({ length: MAX_DEPTH }, (_, i) => h('option', { value: String(i + 1), selected: i + 1 === depth }, `${i + 1} generation${i ? 's' : ''}`)));

    replace(root,
      h('header', { class: 'character-head' },
        h('h1', null, meta.name),
        h('p', { class: 'character-meta' },
          h('span', { class: 'gen' }, `Generation ${meta.generation}`), ' · ',
          `born in block ${meta.birth_block}`, ' · owner ',
          h('a', { class: 'owner', href: `#/explore?owner=${meta.owner}`, title: meta.owner }, isOwner ? 'you' : shortAddress(meta.owner)))),
      h('div', { class: 'character-layout' },
        h('div', { class: 'character-side' },
          portrait(images.token(id), meta.name, 'lg'),
          h('p', { class: 'description' }, meta.description),
          chainStatus(meta),
          isOwner ? ownerActions(meta) : null,
          ownerWithoutWallet ? h('p', { class: 'muted' }, 'It is yours: connect your wallet with this account to transfer it or approve siring.') : null,
          mayBreedAsSire ? h('p', { class: 'notice notice-info' }, `${shortAddress(meta.owner)} lets you breed with #${id} once. `, h('a', { class: 'btn', href: `#/breed?sire=${id}` }, 'Breed with it')) : null),
        h('div', { class: 'character-main' },
          h('h2', null, 'Genome'),
          barcode(meta.genome_hex),
          h('h2', null, 'Parents'),
          parents.length
            ? h('div', { class: 'grid grid-small parents' }, parents.sort((a, b) => (a.id === meta.matron ? -1 : b.id === meta.matron ? 1 : 0)).map((p) =>
              characterCard(p, { me: walletAddress, size: 'sm', compact: true, extra: h('p', { class: 'role' }, p.id === meta.matron ? 'matron' : 'sire') })))
            : h('p', { class: 'muted' }, 'A genesis character: minted, not born.'),
          h('h2', null, `Children (${meta.children.length})`),
          children.length
            ? h('div', { class: 'grid grid-small children' }, children.map((c) => characterCard(c, { me: walletAddress, size: 'sm', compact: true })))
            : h('p', { class: 'muted' }, 'No children yet.'),
          h('div', { class: 'section-head' }, h('h2', null, 'Family tree'), depthSelect),
          familyTree(family, depth))));
  }

  function chainStatus(meta: TokenMetadata): HTMLElement {
    const box = h('div', { class: 'chain-status' });
    const chain = ctx.session.chain();
    const approved = approvedOf(meta);
    const approval = approved
      ? h('p', { class: 'siring' }, `May sire once for ${sameAddress(approved, ctx.session.wallet?.address) ? 'you' : shortAddress(approved)}.`)
      : null;
    if (!chain) {
      replace(box, approval, h('p', { class: 'muted' }, 'Connect your wallet on the right network to see whether it can breed now.'));
      return box;
    }
    replace(box, approval, h('p', { class: 'muted' }, 'Reading the chain…'));
    void (async () => {
      try {
        const [state, block, pace] = await Promise.all([chain.characterOf(meta.id), chain.blockNumber(), chain.secondsPerBlock()]);
        if (ctx.signal.aborted) return;
        const wait = state.cooldownEndBlock - block;
        replace(box, approval, wait <= 0
          ? h('p', { class: 'ready', 'data-ready': 'true' }, 'Ready to breed.')
          : h('p', { class: 'resting', 'data-ready': 'false' }, `Resting until block ${state.cooldownEndBlock} (${wait} blocks${pace ? `, about ${Math.ceil(wait * pace)} s` : ''}).`));
      } catch (e) {
        if (!ctx.signal.aborted) replace(box, approval, failure(`Could not read the chain: ${messageOf(e)}`));
      }
    })();
    return box;
  }

  function ownerActions(meta: TokenMetadata): HTMLElement {
    const status = h('div', { class: 'tx-status' });
    const approved = approvedOf(meta);

    const siringInput = h('input', { type: 'text', name: 'siring-address', placeholder: '0x… address allowed to breed with it', 'aria-label': 'Address to approve for siring', autocomplete: 'off', spellcheck: 'false' });
    const approveSiring = async (to: string) => {
      const receipt = await sendTransaction(ctx.session, status, {
        label: to === ZeroAddress ? `Clearing #${meta.id}'s siring approval` : `Approving ${shortAddress(to)} to breed with #${meta.id}`,
        method: 'approveSiring', args: [to, meta.id],
      });
      if (!receipt) return;
      status.append(info('Waiting for the index to see it…'));
      const want = to === ZeroAddress ? null : to;
      await waitFor(() => api.token(meta.id, ctx.signal), (m) => (want === null ? approvedOf(m) === null : sameAddress(approvedOf(m), want)), ctx.signal, 30);
      await load();
    };
    const siringForm = h('form', {
      class: 'action-form siring-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const value = siringInput.value.trim();
        if (!isAddress(value)) return replace(status, failure(`"${value}" is not an address: 0x and 40 hex digits.`));
        void approveSiring(getAddress(value));
      },
    },
    h('label', null, 'Approve siring', siringInput),
    h('button', { type: 'submit', class: 'btn' }, 'Approve'),
    approved ? h('button', { type: 'button', class: 'btn-ghost', onclick: () => void approveSiring(ZeroAddress) }, 'Clear approval') : null);

    const transferInput = h('input', { type: 'text', name: 'transfer-address', placeholder: '0x… new owner', 'aria-label': 'New owner address', autocomplete: 'off', spellcheck: 'false' });
    const confirmBox = h('div', { class: 'confirm' });
    const transfer = async (to: string) => {
      replace(confirmBox);
      const receipt = await sendTransaction(ctx.session, status, {
        label: `Transferring #${meta.id} to ${shortAddress(to)}`,
        method: 'transferFrom', args: [meta.owner, to, meta.id],
      });
      if (!receipt) return;
      status.append(info('Waiting for the index to see it…'));
      await waitFor(() => api.token(meta.id, ctx.signal), (m) => sameAddress(m.owner, to), ctx.signal, 30);
      await ctx.session.refreshMe().catch(() => undefined);
      await load();
    };
    const transferForm = h('form', {
      class: 'action-form transfer-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const value = transferInput.value.trim();
        if (!isAddress(value)) return replace(status, failure(`"${value}" is not an address: 0x and 40 hex digits.`));
        const to = getAddress(value);
        if (sameAddress(to, meta.owner)) return replace(status, failure('That is already the owner.'));
        replace(confirmBox,
          h('p', null, `Give #${meta.id} to ${to}? Only they can give it back.`),
          h('button', { type: 'button', class: 'btn btn-danger confirm-transfer', onclick: () => void transfer(to) }, 'Confirm transfer'),
          h('button', { type: 'button', class: 'btn-ghost', onclick: () => replace(confirmBox) }, 'Cancel'));
      },
    },
    h('label', null, 'Transfer', transferInput),
    h('button', { type: 'submit', class: 'btn' }, 'Transfer…'));

    return h('section', { class: 'owner-actions' },
      h('h2', null, 'Yours'),
      h('p', null, h('a', { class: 'btn', href: `#/breed?matron=${meta.id}` }, `Breed #${meta.id}`)),
      siringForm, transferForm, confirmBox, status);
  }
}
