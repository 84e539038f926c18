/** A stack's Lambda tier (function, HTTP API, optional custom domain) made through the simulated SDK clients. */
import {
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import type { SimulatedAws } from '../../../aws-sim';

export const MINUTE = 60_000;

export interface LambdaTier {
  functionName: string;
  apiId: string;
  /** Regional endpoint of the custom domain, when one was made. */
  apiGatewayDomainName?: string;
}

export async function createLambdaTier(
  sim: SimulatedAws,
  stack: string,
  options: { domain?: string } = {},
): Promise<LambdaTier> {
  const tags = { 'lambdaflex:stack': stack };
  const functionName = `lf-${stack}-function`;
  await sim.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Role: 'arn:aws:iam::123456789012:role/r',
      PackageType: 'Image',
      Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/image:1' },
      MemorySize: 512,
      Tags: tags,
    }),
  );
  const api = await sim.clients.apigatewayv2.send(
    new CreateApiCommand({ Name: `lf-${stack}-api`, ProtocolType: 'HTTP', Tags: tags }),
  );
  await sim.clients.apigatewayv2.send(
    new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }),
  );
  let apiGatewayDomainName: string | undefined;
  if (options.domain) {
    const domain = await sim.clients.apigatewayv2.send(
      new CreateDomainNameCommand({
        DomainName: options.domain,
        DomainNameConfigurations: [{ EndpointType: 'REGIONAL' }],
        Tags: tags,
      }),
    );
    apiGatewayDomainName = domain.DomainNameConfigurations![0]!.ApiGatewayDomainName!;
    // API Gateway shows a new stage only after a while (the simulator: its consistency delay).
    sim.account.advance(2_000);
    await sim.clients.apigatewayv2.send(
      new CreateApiMappingCommand({ DomainName: options.domain, ApiId: api.ApiId, Stage: '$default' }),
    );
  }
  sim.account.advance(5_000); // function Active; CreateApi's 1-per-3 s bucket refilled
  return { functionName, apiId: api.ApiId!, apiGatewayDomainName };
}

/** Values of one metric per minute, newest first, as GetMetricData answers them now. */
export async function metricValues(
  sim: SimulatedAws,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat = 'Sum',
): Promise<{ minutes: number[]; values: number[] }> {
  const start = sim.account.startTime;
  const out = await sim.clients.cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: namespace,
              MetricName: metricName,
              Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: 60,
            Stat: stat,
          },
        },
      ],
      StartTime: new Date(start),
      EndTime: new Date(sim.account.now() + MINUTE),
    }),
  );
  const result = out.MetricDataResults![0]!;
  return { minutes: result.Timestamps!.map((t) => (t.getTime() - start) / MINUTE), values: result.Values! };
}
