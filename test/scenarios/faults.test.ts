/**
 * The reconciler can die after any AWS call, or meet throttling and 5xx,
 * and still reach the same end state with no duplicate resource. They build and tear down the Fargate
 * tier; lambda-tier-faults.test.ts does the same for the Lambda tier, and the property
 * test in traffic.property.test.ts crashes both tiers at random while traffic moves between them.
 */
import { FARGATE_TIER_KINDS } from '../../reconciler/resources';
import { byType, scenario as fullScenario, specInput } from './harness';

const scenario = (options: Parameters<typeof fullScenario>[0] = {}) =>
  fullScenario({ kinds: FARGATE_TIER_KINDS, ...options });

type Scenario = ReturnType<typeof scenario>;

async function scaleUp(s: Scenario) {
  await s.apply(specInput({ mode: 'fargate' }));
  return s.settle();
}

async function scaleDown(s: Scenario) {
  await s.apply(specInput({ mode: 'lambda' }));
  return s.settle();
}

/** The fault-free run: its end states and how many calls each half takes. */
async function reference() {
  const s = scenario();
  await scaleUp(s);
  const up = byType(s.owned());
  const upCalls = s.account.callCounts().reduce((sum, c) => sum + c.count, 0);
  await scaleDown(s);
  const down = byType(s.owned());
  const allCalls = s.account.callCounts().reduce((sum, c) => sum + c.count, 0);
  return { up, down, upCalls, downCalls: allCalls - upCalls };
}

describe('scenario: faults', () => {
  let expected: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    expected = await reference();
    expect(expected.upCalls).toBeGreaterThan(20);
  });

  it('4a. a crash after the k-th call of a scale-up, for every k, ends in the same state with no duplicates', async () => {
    for (let k = 1; k <= expected.upCalls; k++) {
      const s = scenario();
      await s.apply(specInput({ mode: 'fargate' }));
      s.account.setFaults({ crashAfterCalls: k });
      await s.settle();
      expect({ k, types: byType(s.owned()) }).toEqual({ k, types: expected.up });
    }
  });

  it('4b. a crash after the k-th call of a scale-down, for every k, leaves nothing of the Fargate tier', async () => {
    for (let k = 1; k <= expected.downCalls; k++) {
      const s = scenario();
      await scaleUp(s);
      await s.apply(specInput({ mode: 'lambda' }));
      s.account.setFaults({ crashAfterCalls: k });
      await s.settle();
      expect({ k, types: byType(s.owned()) }).toEqual({ k, types: expected.down });
    }
  });

  it('5. with 20 % throttling and 5 % 5xx, scale-up and scale-down end in the same states', async () => {
    for (const seed of [1, 2, 3]) {
      const s = scenario({ faults: { throttle: 0.2, error5xx: 0.05, seed } });
      await scaleUp(s);
      expect({ seed, types: byType(s.owned()) }).toEqual({ seed, types: expected.up });
      await scaleDown(s);
      expect({ seed, types: byType(s.owned()) }).toEqual({ seed, types: expected.down });
    }
  });
});
