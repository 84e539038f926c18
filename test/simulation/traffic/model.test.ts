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
