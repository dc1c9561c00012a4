// Sending one contract transaction from the wallet, with its progress in words: confirm in the
// wallet, sent (hash), included (block), or why it failed. A dry run (estimateGas) comes first,
// so a transaction the contract would refuse is explained before the wallet is even asked.

import type { Contract, ContractTransactionResponse, TransactionReceipt } from 'ethers';
import { h, replace, sleep } from '../dom';
import type { Session } from '../session';
import { failure, info, messageOf } from './notice';

export interface TxPlan {
  /** What the transaction does, e.g. "Approving siring of #4". */
  label: string;
  /** The contract method and its arguments. */
  method: string;
  args: unknown[];
  /** Wei sent along (payable methods). */
  value?: bigint;
}

/** Send `plan`; progress goes into `status`. Resolves to the receipt, or null if it did not happen. */
export async function sendTransaction(session: Session, status: HTMLElement, plan: TxPlan): Promise<TransactionReceipt | null> {
  const chain = session.chain();
  if (!session.wallet || !chain) {
    replace(status, failure('Connect your wallet on the right network first.'));
    return null;
  }
  let contract: Contract;
  try {
    contract = chain.withSigner(await session.wallet.signer());
  } catch (e) {
    replace(status, failure(messageOf(e)));
    return null;
  }
  const fn = contract.getFunction(plan.method);
  const overrides = plan.value !== undefined ? { value: plan.value } : {};
  try {
    await fn.estimateGas(...plan.args, overrides);
  } catch (e) {
    replace(status, failure(`${plan.label}: ${chain.explain(e)}`));
    return null;
  }
  replace(status, info(`${plan.label}: confirm in your wallet…`));
  let tx: ContractTransactionResponse;
  try {
    tx = await fn.send(...plan.args, overrides);
  } catch (e) {
    replace(status, failure(`${plan.label}: ${chain.explain(e)}`));
    return null;
  }
  replace(status, info(`${plan.label}: sent `, h('code', { class: 'hash' }, tx.hash), ', waiting for a block…'));
  try {
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error('the transaction reverted');
    replace(status, info(`${plan.label}: done in block ${receipt.blockNumber}.`));
    return receipt;
  } catch (e) {
    replace(status, failure(`${plan.label}: ${chain.explain(e)}`));
    return null;
  }
}

/** Poll `read` once a second until `done` holds (the indexer caught up), at most `seconds`. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, signal: AbortSignal, seconds = 60): Promise<T | null> {
  for (let i = 0; i < seconds; i++) {
    try {
      const value = await read();
      if (done(value)) return value;
    } catch {
      // not there yet
    }
    await sleep(1000, signal);
  }
  return null;
}
