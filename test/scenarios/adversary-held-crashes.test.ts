/**
 * Adversary scenario: the "held by a found dependent" rule (engine/held-by-dependents.ts, docs/ownership.md
 * "Missed, while a dependent names it") with a pass killed after each of its calls in turn and the next
 * pass run at once, while every DescribeVpcs misses the stack's VPC (a replica behind) and, in the second
 * case, DescribeSubnets is throttled past the SDK's retries every other call (its subnets unread). A
 * crash keeps the ledger from writing what the dead pass held (`heldNow` lives in the pass): whatever the
 * call the pass died after, no VPC is made in place of the one the subnets name, the stack keeps its VPC
 * recorded, and once the VPC shows again the stack settles on it.
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import type { HookClient } from './call-hooks';
import { hideTheVpc } from './hide-the-vpc';
import { scenario, specInput, STACK, settledOnFargate } from './harness';

const VPC_TYPE = 'AWS::EC2::VPC';

/** After the VPC is missed: for a while (12 passes), or by one pass, then with all in it by the next. */
type Then = 'missed-a-while' | 'then-all-missed';

/** EC2 throttling past the SDK's retries, as the reconciler receives it. */
function throttled(): Error {
  return Object.assign(new Error('Request limit exceeded.'), {
    name: 'RequestLimitExceeded',
    $fault: 'client',
    $metadata: { httpStatusCode: 503 },
  });
}

async function crashAfter(calls: number, throttleSubnets: boolean, then: Then) {
  const s = scenario({ seed: 101, afterCrashMs: 0 });
  const { hide, hideAllInIt, changes } = hideTheVpc(s);
  let hiding = false;
  let subnetCalls = 0;
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      if (
        hiding &&
        throttleSubnets &&
        context.commandName === 'DescribeSubnetsCommand' &&
        subnetCalls++ % 2 === 0
      )
        throw throttled();
      return next(args);
    },
    { step: 'initialize', name: 'throttleSubnets', priority: 'high' },
  );
  const original = await settledOnFargate(s);
  changes.length = 0;

  // A spec change, so that the passes have work to do; the VPC missed from here on, for a while.
  await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
  hide(original);
  hiding = true;
  s.account.setFaults({ crashAfterCalls: calls });
  let crashed = false;
  for (let i = 0; i < 12; i++) {
    const result = await s.pass();
    if (result === 'crashed') {
      crashed = true;
      continue;
    }
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    if (then === 'then-all-missed') {
      // The first pass that lived held the VPC; the next misses it and everything in it: one miss.
      hideAllInIt(true);
      await s.pass();
      hideAllInIt(false);
      break;
    }
  }
  const whileMissed = {
    creates: changes.filter((c) => c.operation === 'CreateVpc'),
    recorded: (await s.store.get(STACK))!.bookkeeping.owned?.vpc?.id,
  };

  hide(undefined);
  hiding = false;
  s.account.advance(CONSISTENCY_WINDOW_MS / 5);
  const last = (await s.settle(300)).at(-1);
  return {
    // The crash happened in the passes watched, or later (the fault spent: `restart` clears it).
    crashed: crashed || s.account.faults.crashAfterCalls === undefined,
    whileMissed,
    last,
    creates: changes.filter((c) => c.operation === 'CreateVpc'),
    vpcs: s
      .owned()
      .filter((i) => i.type === VPC_TYPE)
      .map((i) => i.id),
    original,
    conflicts: (await s.store.get(STACK))!.status?.conflicts ?? [],
  };
}

describe('adversary: a held VPC, a pass killed after each call, the next at once', () => {
  const CASES: [boolean, Then][] = [
    [false, 'missed-a-while'],
    [true, 'missed-a-while'],
    [false, 'then-all-missed'],
  ];
  for (const [throttleSubnets, then] of CASES) {
    const label = `${throttleSubnets ? 'its subnets throttled every other read' : 'its subnets found'}, ${then}`;
    it(`the VPC missed, ${label}: no second VPC whatever the call the pass died after`, async () => {
      const broken: string[] = [];
      let crashes = 0;
      for (let calls = 1; calls <= 40; calls++) {
        const r = await crashAfter(calls, throttleSubnets, then);
        if (r.crashed) crashes++;
        const at = `crash after call ${calls}`;
        if (r.whileMissed.creates.length > 0) broken.push(`${at}: CreateVpc while missed`);
        if (r.whileMissed.recorded !== r.original)
          broken.push(`${at}: recorded ${r.whileMissed.recorded} while missed`);
        if (r.creates.length > 0 || r.vpcs.length !== 1 || r.vpcs[0] !== r.original)
          broken.push(`${at}: VPCs ${JSON.stringify(r.vpcs)} (was ${r.original})`);
        if (!r.last?.settled || r.last.phase !== 'Fargate')
          broken.push(`${at}: ended ${JSON.stringify(r.last)}`);
        if (r.conflicts.length > 0) broken.push(`${at}: conflicts ${JSON.stringify(r.conflicts)}`);
      }
      expect(crashes).toBe(40);
      expect(broken).toEqual([]);
    });
  }
});
