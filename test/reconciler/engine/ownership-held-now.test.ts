/**
 * The ledger: a resource held by a dependent this pass (heldByDependent) and looked up again later in
 * the same pass (a wait step) is not missed by that look-up: the next pass's miss is the first that counts.
 */
import { OwnershipLedger } from '../../../reconciler/engine/ownership';
import type { ManagedResource } from '../../../reconciler/resources/types';

const VPC = {
  key: 'vpc',
  type: 'Test::vpc',
  dependsOn: [],
  creates: 'nonce',
  idsNeverReused: true,
} as unknown as ManagedResource;
const T0 = 1_000_000;

const ledgerWithVpc = () =>
  new OwnershipLedger(
    { owned: { vpc: { id: 'vpc-1', nonce: 'n1', since: 5, seen: true } }, intents: {} },
    () => T0,
  );

describe('OwnershipLedger: a miss after the pass held the resource', () => {
  it('is not counted: no missedAt is written, and the look-up waits', () => {
    const ledger = ledgerWithVpc();
    expect(ledger.judge(VPC, undefined).pending).toBeDefined();
    ledger.heldByDependent('vpc', 'vpc-1');
    expect(ledger.judge(VPC, undefined).pending).toMatch(/a dependent found by this pass names it/);
    expect(ledger.toBookkeeping().owned?.vpc).toEqual({ id: 'vpc-1', nonce: 'n1', since: 5, seen: true });
  });

  it('without the hold, the look-up’s miss is counted as before', () => {
    const ledger = ledgerWithVpc();
    ledger.judge(VPC, undefined);
    expect(ledger.toBookkeeping().owned?.vpc?.missedAt).toBe(T0);
  });
});
