/**
 * Writes the ownership ledger's intents to the stack's record before a create's call, fenced by the
 * lease (a pass that lost it stops before creating anything). Creates started together share a write:
 * each caller returns once a write begun after its intent has landed.
 */
import type { StateStore } from '../state/types';
import type { OwnershipLedger } from './ownership';

export function journalFor(
  store: StateStore,
  stack: string,
  holder: string,
  ledger: OwnershipLedger,
): () => Promise<void> {
  let requested = 0;
  let written = 0;
  let writing: Promise<void> | undefined;

  const write = async (): Promise<void> => {
    const upTo = requested;
    await store.writeReconcilerState(
      stack,
      (current) => ({ bookkeeping: { ...current.bookkeeping, ...ledger.toBookkeeping() } }),
      { leaseHolder: holder },
    );
    written = Math.max(written, upTo);
  };

  return async () => {
    const need = ++requested;
    while (written < need) {
      if (!writing) writing = write().finally(() => (writing = undefined));
      await writing;
    }
  };
}
