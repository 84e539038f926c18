import * as path from 'node:path';
import { ChangeResourceRecordSetsCommand, type Change } from '@aws-sdk/client-route-53';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { createSimulatedAws } from '../../../aws-sim';
import { costByMinute, costTotal } from '../../../simulation/cost';
import { setMetricDelay } from '../../../aws-sim/services/cloudwatch';
import { configureLambda } from '../../../aws-sim/services/lambda';
import { loadTrace, setTraffic, trafficLog } from '../../../simulation/traffic';
import { createLambdaTier, metricValues, MINUTE } from './fixtures';

const DIURNAL = path.join(__dirname, '..', '..', '..', 'examples', 'traces', 'diurnal.csv');

describe('traffic on the Lambda tier', () => {
  it('publishes Invocations only after the metric delay (default 2 minutes)', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo');
    setTraffic(sim.account, 10); // 10 rps, 100 ms, from the current minute (0) on
    sim.account.advance(MINUTE - 5_000); // minute 0 ends
    const fn = { FunctionName: tier.functionName };
    expect((await metricValues(sim, 'AWS/Lambda', 'Invocations', fn)).values).toEqual([]);
    sim.account.advance(2 * MINUTE - 1);
    expect((await metricValues(sim, 'AWS/Lambda', 'Invocations', fn)).values).toEqual([]);
    sim.account.advance(1);
    expect(await metricValues(sim, 'AWS/Lambda', 'Invocations', fn)).toEqual({ minutes: [0], values: [600] });
    expect((await metricValues(sim, 'AWS/Lambda', 'Duration', fn, 'Average')).values).toEqual([100]);
    expect((await metricValues(sim, 'AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum')).values).toEqual([
      1,
    ]);
    expect((await metricValues(sim, 'AWS/ApiGateway', 'Count', { ApiId: tier.apiId })).values).toEqual([600]);
  });

  it('leaves minutes without traffic missing, not zero', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    setTraffic(sim.account, {
      rows: [
        { minute: 0, rps: 1, durationMs: 50 },
        { minute: 1, rps: 0, durationMs: 50 },
        { minute: 2, rps: 2, durationMs: 50 },
      ],
    });
    sim.account.advance(5 * MINUTE);
    expect(await metricValues(sim, 'AWS/Lambda', 'Invocations', { FunctionName: tier.functionName })).toEqual(
      { minutes: [2, 0], values: [120, 60] },
    );
  });

  it('throttles beyond the account concurrency limit (docs/aws-facts.md: 1,000 per region)', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    // 15,000 rps × 0.1 s = 1,500 concurrent executions wanted; 1,000 allowed: a third is throttled.
    setTraffic(sim.account, 15_000);
    sim.account.advance(MINUTE);
    const fn = { FunctionName: tier.functionName };
    expect((await metricValues(sim, 'AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum')).values).toEqual([
      1000,
    ]);
    const [throttles] = (await metricValues(sim, 'AWS/Lambda', 'Throttles', fn)).values;
    const [invocations] = (await metricValues(sim, 'AWS/Lambda', 'Invocations', fn)).values;
    expect(throttles).toBeCloseTo(300_000);
    expect(invocations).toBeCloseTo(600_000);
    expect(trafficLog(sim.account, 'demo')[0]).toMatchObject({
      minute: 0,
      lambdaRequests: 900_000,
      fargateRequests: 0,
    });
    expect(trafficLog(sim.account, 'demo')[0]!.lambdaThrottled).toBeCloseTo(300_000);
    // A lower account limit throttles more.
    configureLambda(sim.account, { accountConcurrencyLimit: 500 });
    sim.account.advance(MINUTE);
    expect((await metricValues(sim, 'AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum')).values[0]).toBe(
      500,
    );
  });

  it('throttles beyond the function’s reserved concurrency', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo');
    setMetricDelay(sim.account, 0);
    await sim.clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: tier.functionName, ReservedConcurrentExecutions: 5 }),
    );
    setTraffic(sim.account, 100); // 10 concurrent wanted, 5 reserved
    sim.account.advance(MINUTE);
    expect(
      (await metricValues(sim, 'AWS/Lambda', 'Throttles', { FunctionName: tier.functionName })).values,
    ).toEqual([3000]);
  });

  it('splits a stack’s traffic by the weights resolvers see for its record, and meters Lambda costs', async () => {
    const sim = createSimulatedAws();
    const tier = await createLambdaTier(sim, 'demo', { domain: 'demo.example.test' });
    setMetricDelay(sim.account, 0);
    const zones = sim.account.stateOf<{ zones: Record<string, unknown> }>('route53').zones;
    const zoneId = Object.keys(zones)[0]!;
    setTraffic(sim.account, { rps: 10, durationMs: 100 });
    sim.account.advance(MINUTE);
    // No record yet: lookups of the name fail, nothing reaches Lambda.
    expect(trafficLog(sim.account, 'demo').at(-1)).toMatchObject({ lambdaRequests: 0, unrouted: 600 });
    const record = (id: string, weight: number, dnsName: string): Change => ({
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: 'demo.example.test',
        Type: 'A',
        SetIdentifier: id,
        Weight: weight,
        AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: dnsName, EvaluateTargetHealth: false },
      },
    });
    await sim.clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [record('lambda', 100, tier.apiGatewayDomainName!)] },
      }),
    );
    sim.account.advance(2 * MINUTE); // INSYNC within the first of these minutes
    expect(trafficLog(sim.account, 'demo').at(-1)).toMatchObject({ lambdaRequests: 600, unrouted: 0 });
    const lastMinute = costByMinute(sim.account).at(-1)!;
    // 600 invocations × (0.2e-6 + 0.1 s × 0.5 GB × 0.0000166667) + 600 × 1e-6 (HTTP API)
    expect(lastMinute.lambda).toBeCloseTo(600 * (0.2e-6 + 0.1 * 0.5 * 0.0000166667 + 1e-6), 12);
    expect(lastMinute.fargate).toBe(0);
    expect(costTotal(sim.account).total).toBeCloseTo(
      costByMinute(sim.account).reduce((s, m) => s + m.total, 0),
      12,
    );
    expect(trafficLog(sim.account, 'demo').at(-1)!.cost).toBeCloseTo(lastMinute.total, 12);
  });

  it('simulates a day’s trace quickly', async () => {
    const sim = createSimulatedAws();
    await createLambdaTier(sim, 'demo');
    const fs = await import('node:fs');
    setTraffic(sim.account, loadTrace(fs.readFileSync(DIURNAL, 'utf8')));
    sim.account.advance(1440 * MINUTE);
    expect(trafficLog(sim.account, 'demo')).toHaveLength(1440);
    expect(costTotal(sim.account).lambda).toBeGreaterThan(0);
  });
});
