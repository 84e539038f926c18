/**
 * The traffic model is attached to the simulated account (simulation/traffic/model.ts), not built into it:
 * an account serves and meters traffic once the model is attached, keeps the model's state when saved and
 * loaded, and an account nobody attached it to publishes no traffic at all.
 */
import { createSimulatedAws } from '../../../aws-sim';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import { costTotal } from '../../../simulation/cost';
import { attachTrafficModel, setTraffic, trafficLog } from '../../../simulation/traffic';
import { createLambdaTier, metricValues, MINUTE } from './fixtures';

describe('the traffic model as an extension of the simulated account', () => {
  it('publishes nothing in an account it is not attached to', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    sim.account.advance(3 * MINUTE);
    expect(sim.account.toJSON().extensions).toBeUndefined();
    expect(
      (await metricValues(sim, 'AWS/Lambda', 'Invocations', { FunctionName: tier.functionName })).values,
    ).toEqual([]);
  });

  it('serves and meters every minute once attached, and carries on from a saved account', async () => {
    const sim = createSimulatedAws();
    attachTrafficModel(sim.account);
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    setTraffic(sim.account, 10);
    sim.account.advance(2 * MINUTE);
    expect(trafficLog(sim.account, 'demo').map((e) => e.minute)).toEqual([0, 1]);
    const spent = costTotal(sim.account).total;
    expect(spent).toBeGreaterThan(0);

    // Another process loads the saved account: attached before loading, the model keeps the saved state.
    const loaded = createSimulatedAws();
    attachTrafficModel(loaded.account);
    loaded.account.restore(sim.account.toJSON());
    loaded.account.advance(MINUTE);
    expect(trafficLog(loaded.account, 'demo').map((e) => e.minute)).toEqual([0, 1, 2]);
    expect(costTotal(loaded.account).total).toBeGreaterThan(spent);
    expect(
      (await metricValues(loaded, 'AWS/Lambda', 'Invocations', { FunctionName: tier.functionName })).values,
    ).toEqual([600, 600, 600]);
  });
});

/**
 * `.lambdaflex/sim.json` files saved before the model and the meter were extensions held their state in
 * the simulated CloudWatch's (`services.cloudwatch.traffic`, `.cost`), under the same format name.
 */
describe('an account saved before the traffic model was an extension', () => {
  async function savedTheOldWay() {
    const sim = createSimulatedAws();
    attachTrafficModel(sim.account);
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    setTraffic(sim.account, 10);
    sim.account.advance(2 * MINUTE);
    const saved = sim.account.toJSON();
    const cloudwatch = saved.services.cloudwatch as Record<string, unknown>;
    cloudwatch.traffic = saved.extensions!.traffic;
    cloudwatch.cost = saved.extensions!.cost;
    delete saved.extensions;
    return { saved, tier, spent: costTotal(sim.account).total };
  }

  it('loads with its traffic and its cost, and carries on from them', async () => {
    const { saved, tier, spent } = await savedTheOldWay();
    expect(saved.format).toBe('lambdaflex-sim/1');
    const loaded = createSimulatedAws();
    attachTrafficModel(loaded.account);
    loaded.account.restore(saved);
    expect(costTotal(loaded.account).total).toBe(spent);
    loaded.account.advance(MINUTE);
    expect(trafficLog(loaded.account, 'demo').map((e) => [e.minute, e.rps])).toEqual([
      [0, 10],
      [1, 10],
      [2, 10],
    ]);
    expect(costTotal(loaded.account).total).toBeGreaterThan(spent);
    expect(
      (await metricValues(loaded, 'AWS/Lambda', 'Invocations', { FunctionName: tier.functionName })).values,
    ).toEqual([600, 600, 600]);
    // Saved again, it is in today's layout: the state moved, not copied.
    const again = loaded.account.toJSON();
    expect(Object.keys(again.services.cloudwatch as object).sort()).toEqual(['config', 'series']);
    expect(Object.keys(again.extensions ?? {}).sort()).toEqual(['cost', 'traffic']);
  });

  it('loads the same when the model is attached only after the account was restored', async () => {
    const { saved, spent } = await savedTheOldWay();
    const loaded = createSimulatedAws();
    loaded.account.restore(saved);
    attachTrafficModel(loaded.account);
    expect(costTotal(loaded.account).total).toBe(spent);
    loaded.account.advance(MINUTE);
    expect(trafficLog(loaded.account, 'demo').map((e) => e.rps)).toEqual([10, 10, 10]);
  });

  it('fills the served counts of log minutes saved before they were logged', async () => {
    const { saved } = await savedTheOldWay();
    const traffic = (saved.services.cloudwatch as { traffic: { log: Record<string, unknown>[] } }).traffic;
    for (const entry of traffic.log) {
      delete entry.lambdaReached;
      delete entry.fargateReached;
    }
    const loaded = createSimulatedAws();
    attachTrafficModel(loaded.account);
    loaded.account.restore(saved);
    expect(trafficLog(loaded.account, 'demo').map((e) => [e.lambdaReached, e.fargateReached])).toEqual([
      [600, 0],
      [600, 0],
    ]);
  });
});
