/**
 * The log says what each tier served: requests sent to a function that is gone count as sent and as
 * unrouted, and `lambdaReached` keeps them out (the dashboard's "served by Lambda" reads it).
 */
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { createSimulatedAws } from '../../../aws-sim';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import { setTraffic, trafficLog } from '../../../simulation/traffic';
import { createLambdaTier, MINUTE } from './fixtures';

describe('lambdaReached and fargateReached in the traffic log', () => {
  it('count what reached a working tier, not what was sent to one that was gone', async () => {
    const sim = createSimulatedAws();
    await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    setTraffic(sim.account, { rps: 10, durationMs: 100 });
    sim.account.advance(2 * MINUTE);
    expect(trafficLog(sim.account, 'demo').at(-1)).toMatchObject({
      lambdaRequests: 600,
      lambdaReached: 600,
      fargateReached: 0,
      unrouted: 0,
    });
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-demo-function' }));
    sim.account.advance(2 * MINUTE);
    expect(trafficLog(sim.account, 'demo').at(-1)).toMatchObject({ lambdaReached: 0, unrouted: 600 });
  });
});
