/**
 * Adversary scenario: a create AWS does not deduplicate (sent once, reconciler/aws/create-retries.ts) takes
 * effect, and the pass dies before the answer arrives (a Lambda killed mid-call); the next pass starts at
 * once, while EC2 still hides the new resource for a minute (eventual consistency: "a resource you just
 * created might not appear in Describe calls immediately"). Nothing may be made twice: the next passes
 * look for the resource by the create's journaled nonce until it shows, and the stack ends with one of
 * each, its own, nothing reported as someone else's.
 */
import { scenario, specInput, STACK } from './harness';
import { SENT_ONCE_CREATES, type SentOnceCreate } from './sent-once-creates';

const CASES: readonly SentOnceCreate[] = [
  ...SENT_ONCE_CREATES,
  // Sent with a client token (the SDK keeps it across its attempts), but hidden by EC2's lag all the same.
  { operation: 'CreateRouteTable', mode: 'fargate', type: 'AWS::EC2::RouteTable' },
];

describe('adversary: a create sent once, the pass killed right after it took effect, the next at once', () => {
  it.each(CASES)(
    '$operation: one $type, the stack’s, nothing made twice nor reported',
    async ({ operation, mode, type }) => {
      const s = scenario({ seed: 67, afterCrashMs: 0, consistencyDelayMs: 60_000 });
      s.account.setFaults({ crashAfterOperation: operation });
      await s.apply(specInput({ mode }));
      const passes = await s.settle();
      expect(passes.at(-1)).toMatchObject({
        phase: mode === 'fargate' ? 'Fargate' : 'Lambda',
        settled: true,
      });
      // The crash happened (the fault was spent), on the one call of the operation that made anything.
      expect(s.account.faults.crashAfterOperation).toBeUndefined();
      const made = s.account.inventory().filter((item) => item.type === type);
      const ours = made.filter((item) => item.tags['lambdaflex:stack'] === STACK);
      // A VPC's main route table is AWS's, untagged: only the stack's tagged ones count.
      expect(type === 'AWS::EC2::RouteTable' ? ours : made).toHaveLength(1);
      const record = await s.store.get(STACK);
      expect(record?.status?.conflicts ?? []).toEqual([]);
    },
  );
});
