/**
 * A kind whose id is a name (an IAM role's, an ECS service's ARN): the stack's resource deleted behind
 * its back and made again under the name, every tag copied (its nonce too), between two passes. The id
 * recorded is the copy's too; what AWS gave the stack's own alone (the RoleId, recorded as `uniqueId`
 * once seen) is not. Bootstrap proves its roles by the RoleId (bootstrap/proven.ts); a stack's role is
 * proven the same way (engine/ownership-proof.ts): the copy is reported, never updated or deleted.
 */
import { OwnershipLedger } from '../../../reconciler/engine/ownership';
import type { ManagedResource } from '../../../reconciler/resources/types';

const T0 = 1_000_000;
const ROLE = 'lf-orders-api-role';
const kind = { key: 'role', type: 'AWS::IAM::Role', creates: 'name' } as unknown as ManagedResource;
const TAGS = {
  'lambdaflex:stack': 'orders-api',
  'lambdaflex:component': 'role',
  'lambdaflex:managed-by': 'lambdaflex',
  'lambdaflex:nonce': 'n1',
};
const found = (uniqueId?: string) => ({
  key: 'role',
  type: 'AWS::IAM::Role',
  id: ROLE,
  ...(uniqueId ? { uniqueId } : {}),
  tags: TAGS,
  attributes: {},
  ready: true,
});
const seenAs = (uniqueId: string) =>
  new OwnershipLedger(
    { owned: { role: { id: ROLE, nonce: 'n1', uniqueId, since: T0, seen: true } }, intents: {} },
    () => T0 + 60_000,
  );

describe('a resource made again under the name the stack recorded', () => {
  it('with another RoleId: not the stack’s, reported as made again under the name, the record let go', () => {
    const ledger = seenAs('AROA1');
    const copy = found('AROA2');
    const judged = ledger.judge(kind, copy);
    expect(judged.resource).toMatchObject({ id: ROLE, uniqueId: 'AROA2', foreign: true });
    expect(judged.resource?.conflict).toBe(
      `${ROLE} carries the stack's tags but is not the one it recorded (AROA1): made again under the name since (AROA2); left alone, delete it by hand if it is the stack's`,
    );
    expect(judged.duplicates).toEqual([]);
    // The stack's own is gone (AWS keeps one of the name): nothing of it to take back.
    expect(ledger.recorded('role')).toBeUndefined();
    expect(ledger.toBookkeeping().forgotten).toEqual({});
  });

  it('with the RoleId recorded: the stack’s, as before', () => {
    const ledger = seenAs('AROA1');
    expect(ledger.judge(kind, found('AROA1'))).toEqual({
      resource: found('AROA1'),
      duplicates: [],
      foreign: [],
    });
    expect(ledger.recorded('role')).toMatchObject({ id: ROLE, uniqueId: 'AROA1', seen: true });
  });

  it('found without a RoleId (a finder that gives none): the id recorded proves it, as before', () => {
    const ledger = seenAs('AROA1');
    expect(ledger.judge(kind, found()).resource).toEqual(found());
    expect(ledger.recorded('role')).toMatchObject({ id: ROLE, uniqueId: 'AROA1' });
  });
});
