/**
 * adversary: a number past 2^53 written by hand somewhere inside a stack's record (DynamoDB keeps 38
 * digits). The document client reads such an integer as a bigint, which JSON cannot write
 * ("Do not know how to serialize a BigInt"): the CLI must still show the record, and a pass must still
 * run on it, saying what is wrong rather than failing with a TypeError.
 */
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_TABLE_NAME } from '../../reconciler/state';
import { IMAGE, runCli, tempFolder, withLocalTable, writeFile } from './run-cli';

const BIG: AttributeValue = { N: '99999999999999999999' };

async function edit(cwd: string, expression: string, names: Record<string, string> = {}): Promise<void> {
  await withLocalTable(cwd, (client) =>
    client.send(
      new UpdateItemCommand({
        TableName: DEFAULT_TABLE_NAME,
        Key: { stack: { S: 'orders-api' } },
        UpdateExpression: expression,
        ExpressionAttributeValues: { ':v': BIG },
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      }),
    ),
  );
}

describe('lambdaflex --local over a record holding a number past 2^53', () => {
  it.each([
    ['in the spec (fargate.cpu)', 'SET spec.fargate.cpu = :v'],
    ['as the generation', 'SET generation = :v'],
    ['as the version', 'SET version = :v'],
  ])(
    '%s: get -o json, get -o yaml, status and reconcile answer without a TypeError',
    async (_name, expression) => {
      const cwd = tempFolder();
      const file = writeFile(cwd, 'orders-api.json', {
        stack: 'orders-api',
        image: IMAGE,
        mode: 'lambda',
        fargate: { cpu: 256, memoryMb: 512 },
      });
      const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
      expect(applied.stderr).toBe('');
      await edit(cwd, expression);

      const failed: { args: string[]; stderr: string }[] = [];
      for (const args of [
        ['get', 'orders-api', '-o', 'json'],
        ['get', 'orders-api', '-o', 'yaml'],
        ['status', 'orders-api'],
        ['reconcile', 'orders-api'],
        ['list'],
      ]) {
        const result = await runCli(cwd, ['--local', ...args]);
        if (/BigInt|TypeError|Cannot mix/.test(result.stderr)) failed.push({ args, stderr: result.stderr });
      }
      expect(failed).toEqual([]);
      const json = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
      expect(json.code).toBe(0);
      expect(() => JSON.parse(json.stdout)).not.toThrow();
    },
  );
});
