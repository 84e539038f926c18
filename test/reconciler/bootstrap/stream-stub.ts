/**
 * What dynalite lacks and the table stream kind needs: DynamoDB Streams. This middleware takes
 * UpdateTable's StreamSpecification as DynamoDB does (enabling an enabled stream is a ValidationException;
 * each enabling gets a new label and ARN) and adds StreamSpecification, LatestStreamArn and
 * LatestStreamLabel to DescribeTable's answers; everything else goes to dynalite.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface StreamState {
  enabled: boolean;
  viewType?: string;
  label?: string;
}

export function stubStreams(client: DynamoDBClient, now: () => number = Date.now): Map<string, StreamState> {
  const streams = new Map<string, StreamState>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TableName: string;
        StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
      };
      if (context.commandName === 'UpdateTableCommand' && input.StreamSpecification) {
        const current = streams.get(input.TableName) ?? { enabled: false };
        const wanted = input.StreamSpecification;
        if (wanted.StreamEnabled && current.enabled) {
          throw Object.assign(new Error('Table already has an enabled stream'), {
            name: 'ValidationException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        streams.set(
          input.TableName,
          wanted.StreamEnabled
            ? {
                enabled: true,
                viewType: wanted.StreamViewType,
                label: new Date(now()).toISOString().replace('Z', ''),
              }
            : { ...current, enabled: false },
        );
        return { output: { $metadata: {}, TableDescription: { TableName: input.TableName } }, response: {} };
      }
      const answer = await next(args);
      if (context.commandName === 'DescribeTableCommand') {
        const table = (answer.output as { Table?: Record<string, unknown> }).Table;
        const stream = streams.get(input.TableName);
        if (table && stream?.enabled) {
          table.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.viewType };
          table.LatestStreamLabel = stream.label;
          table.LatestStreamArn = `${String(table.TableArn)}/stream/${stream.label}`;
        }
      }
      return answer;
    },
    { step: 'initialize', name: 'streamStub' },
  );
  return streams;
}
