/**
 * The Lambda tier's half of scenario 4: the reconciler dies after the k-th AWS call, for every k, while it
 * builds the Lambda tier from nothing (role, function, permission, HTTP API, integration, route, stage) and
 * while it deletes it on a delete request; passes then run until settled. The end state must be the
 * fault-free run's, with no duplicate resource, and a delete must leave nothing behind.
 */
import { LAMBDA_TIER_KINDS } from '../../reconciler/resources';
import { byType, scenario as fullScenario, specInput, STACK } from './harness';

const scenario = () => fullScenario({ kinds: LAMBDA_TIER_KINDS });
type Scenario = ReturnType<typeof scenario>;

/**
 * Every resource in the account by type, untagged ones too: an API's integrations and routes and the
 * function's permission carry no tags, and a duplicate of one must show.
 */
const everything = (s: Scenario) => byType(s.account.inventory());

const totalCalls = (s: Scenario) => s.account.callCounts().reduce((sum, c) => sum + c.count, 0);

async function build(s: Scenario) {
  await s.apply(specInput({ mode: 'lambda' }));
  return s.settle();
}

/** The fault-free run: the built tier's resources and the calls of each half. */
async function reference() {
  const s = scenario();
  await build(s);
  const built = everything(s);
  const buildCalls = totalCalls(s);
  await s.store.requestDelete(STACK);
  await s.settle();
  return { built, buildCalls, deleteCalls: totalCalls(s) - buildCalls };
}

describe('scenario: faults in the Lambda tier', () => {
  let expected: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    expected = await reference();
    expect(Object.keys(expected.built)).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::Lambda::Permission',
        'AWS::ApiGatewayV2::Api',
        'AWS::ApiGatewayV2::Integration',
        'AWS::ApiGatewayV2::Route',
        'AWS::IAM::Role',
      ]),
    );
    expect(expected.buildCalls).toBeGreaterThan(10);
  });

  it('a crash after the k-th call of the build, for every k, ends in the same state with no duplicates', async () => {
    for (let k = 1; k <= expected.buildCalls; k++) {
      const s = scenario();
      await s.apply(specInput({ mode: 'lambda' }));
      s.account.setFaults({ crashAfterCalls: k });
      const passes = await s.settle();
      expect({ k, types: everything(s), phase: passes.at(-1)?.phase }).toEqual({
        k,
        types: expected.built,
        phase: 'Lambda',
      });
    }
  });

  it('a crash after the k-th call of a delete, for every k, leaves nothing and removes the record', async () => {
    for (let k = 1; k <= expected.deleteCalls; k++) {
      const s = scenario();
      await build(s);
      await s.store.requestDelete(STACK);
      s.account.setFaults({ crashAfterCalls: k });
      const passes = await s.settle();
      // Everything left is what a new account holds (its example.test zone), tagged or not.
      expect({ k, left: everything(s), outcome: passes.at(-1)?.outcome }).toEqual({
        k,
        left: everything(scenario()),
        outcome: 'deleted',
      });
      expect(await s.store.get(STACK)).toBeUndefined();
    }
  });
});
