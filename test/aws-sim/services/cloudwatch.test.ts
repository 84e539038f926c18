import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { createSimulatedAws } from '../../../aws-sim';

const MINUTE = 60_000;

function query(id: string, stat: string, period = 60): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'Test', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'web' }] },
      Period: period,
      Stat: stat,
    },
  };
}

async function withData() {
  const sim = createSimulatedAws();
  const start = sim.account.now();
  const put = (minute: number, value: number) =>
    sim.clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Test',
        MetricData: [
          {
            MetricName: 'Latency',
            Dimensions: [{ Name: 'Service', Value: 'web' }],
            Value: value,
            Timestamp: new Date(start + minute * MINUTE + 5_000),
          },
        ],
      }),
    );
  await put(0, 10);
  await put(0, 30);
  await put(1, 5);
  // minute 2 has no data; minute 3 has
  await put(3, 7);
  return { ...sim, start };
}

describe('simulated CloudWatch', () => {
  it('answers GetMetricData newest first with only the periods that have data (missing stays missing)', async () => {
    const { clients, start } = await withData();
    const out = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query('sum', 'Sum'), query('avg', 'Average'), query('max', 'Maximum')],
        StartTime: new Date(start),
        EndTime: new Date(start + 5 * MINUTE),
      }),
    );
    const [sum, avg, max] = out.MetricDataResults!;
    expect(sum!.Timestamps!.map((t) => (t.getTime() - start) / MINUTE)).toEqual([3, 1, 0]);
    expect(sum!.Values).toEqual([7, 5, 40]);
    expect(avg!.Values).toEqual([7, 5, 20]);
    expect(max).toMatchObject({ Id: 'max', Values: [7, 5, 30], StatusCode: 'Complete' });
  });

  it('aggregates over longer periods and scans ascending on request', async () => {
    const { clients, start } = await withData();
    const out = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query('s', 'Sum', 120)],
        StartTime: new Date(start),
        EndTime: new Date(start + 4 * MINUTE),
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(out.MetricDataResults![0]!.Values).toEqual([45, 7]);
  });

  it('answers nothing for a metric with no data, not zeros', async () => {
    const { clients, start } = await withData();
    const q = query('other', 'Sum');
    q.MetricStat!.Metric!.Dimensions = [{ Name: 'Service', Value: 'other' }];
    const out = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [q],
        StartTime: new Date(start),
        EndTime: new Date(start + 5 * MINUTE),
      }),
    );
    expect(out.MetricDataResults![0]).toMatchObject({ Timestamps: [], Values: [] });
  });

  it('refuses more than 500 queries in one call (GetMetricData API reference)', async () => {
    const { clients, start } = await withData();
    const queries = Array.from({ length: 501 }, (_, i) => query(`q${i}`, 'Sum'));
    await expect(
      clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(start),
          EndTime: new Date(start + MINUTE),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(0, 500),
          StartTime: new Date(start),
          EndTime: new Date(start + MINUTE),
        }),
      ),
    ).resolves.toBeDefined();
  });

  it('refuses a period that is not a multiple of 60 s and an unknown statistic', async () => {
    const { clients, start } = await withData();
    const send = (q: MetricDataQuery) =>
      clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [q],
          StartTime: new Date(start),
          EndTime: new Date(start + MINUTE),
        }),
      );
    await expect(send(query('a', 'Sum', 90))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(send(query('a', 'p99'))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('answers GetMetricStatistics with the asked statistics', async () => {
    const { clients, start } = await withData();
    const out = await clients.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'web' }],
        StartTime: new Date(start),
        EndTime: new Date(start + MINUTE),
        Period: 60,
        Statistics: ['Sum', 'SampleCount'],
      }),
    );
    expect(out.Datapoints).toEqual([{ Timestamp: expect.anything(), Sum: 40, SampleCount: 2 }]);
  });
});
