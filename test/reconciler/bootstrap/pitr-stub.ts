/**
 * What dynalite lacks and the table kind needs: it implements no continuous-backup API, and ignores the
 * Tags of CreateTable (real DynamoDB applies them). This middleware answers DescribeContinuousBackups and
 * UpdateContinuousBackups from a map, adds CreateTable's tags to ListTagsOfResource answers, and passes
 * everything else to dynalite.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { stubStreams } from './stream-stub';

export function stubPointInTimeRecovery(client: DynamoDBClient): Map<string, boolean> {
  // Nor does it implement streams (stream-stub.ts): the table stream kind needs them too.
  stubStreams(client);
  const enabled = new Map<string, boolean>();
  const createTags = new Map<string, { Key: string; Value: string }[]>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TableName: string;
        PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean };
      };
      const describe = () => ({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: enabled.get(input.TableName) ? 'ENABLED' : 'DISABLED',
          },
        },
      });
      if (context.commandName === 'DescribeContinuousBackupsCommand') {
        return { output: { $metadata: {}, ...describe() }, response: {} };
      }
      if (context.commandName === 'UpdateContinuousBackupsCommand') {
        enabled.set(
          input.TableName,
          input.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true,
        );
        return { output: { $metadata: {}, ...describe() }, response: {} };
      }
      if (context.commandName === 'CreateTableCommand') {
        const tags = (args.input as { Tags?: { Key: string; Value: string }[] }).Tags ?? [];
        createTags.set(input.TableName, tags);
      }
      if (context.commandName === 'ListTagsOfResourceCommand') {
        const arn = (args.input as { ResourceArn: string }).ResourceArn;
        const answer = await next(args);
        const output = answer.output as { Tags?: { Key: string; Value: string }[] };
        const extra = createTags.get(arn.slice(arn.lastIndexOf('/') + 1)) ?? [];
        output.Tags = [...(output.Tags ?? []), ...extra];
        return answer;
      }
      return next(args);
    },
    { step: 'initialize', name: 'pitrStub' },
  );
  return enabled;
}
