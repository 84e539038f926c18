/** Runs the CLI in-process with captured output, in a folder of its own (for `.lambdaflex/`). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteItemCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '../../cli/local';
import { run } from '../../cli/main';
import { DEFAULT_TABLE_NAME } from '../../reconciler/state';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'lambdaflex-cli-'));
}

export function writeFile(folder: string, name: string, content: string | object): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

export async function runCli(
  cwd: string,
  args: string[],
  stdin = '',
  /** Stands in for the wait between two readings of `status --watch` and `events -f`. */
  sleep?: (ms: number) => Promise<void>,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'lambdaflex', ...args], {
    cwd,
    stdin: Readable.from([stdin]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...(sleep ? { sleep } : {}),
  });
  return { code, stdout, stderr };
}

/** A fresh folder with a stand-in for the service's bundle in it, for `bootstrap --zip`. */
export function folderWithBundle(): { cwd: string; zip: string } {
  const cwd = tempFolder();
  const zip = join(cwd, 'bundle.zip');
  writeFileSync(zip, 'PK a bundle');
  return { cwd, zip };
}

/** What bootstrap made in the folder's simulated account (its roles, function, queues…), by type. */
export async function systemResources(cwd: string): Promise<string[]> {
  const listed = await runCli(cwd, ['--local', 'sim', 'resources', '--json']);
  return (JSON.parse(listed.stdout) as { type: string }[])
    .map((r) => r.type)
    .filter((type) => type !== 'AWS::Route53::HostedZone');
}

export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2';

/**
 * `use` run on the folder's local table, as a hand edit between two runs of the CLI: the CLI holds the
 * folder only while it runs (and a watch only while it reads).
 */
export async function withLocalTable<T>(
  cwd: string,
  use: (client: DynamoDBClient) => Promise<T>,
): Promise<T> {
  const local = await startLocalDynamo(cwd);
  try {
    return await use(local.client);
  } finally {
    await local.stop();
  }
}

/** The stack's record deleted from the folder's local table, as another writer would (it ends a watch). */
export async function deleteLocalRecord(cwd: string, stack = 'orders-api'): Promise<void> {
  await withLocalTable(cwd, (client) =>
    client.send(new DeleteItemCommand({ TableName: DEFAULT_TABLE_NAME, Key: { stack: { S: stack } } })),
  );
}

/**
 * A fresh folder with the stack orders-api applied, with dns in the folder's simulated hosted zone, and
 * no bootstrap yet: the folder and the zone's id.
 */
export async function folderWithDnsStack(): Promise<{ cwd: string; zone: string }> {
  const cwd = tempFolder();
  const resources = JSON.parse((await runCli(cwd, ['--local', 'sim', 'resources', '--json'])).stdout) as {
    type: string;
    id: string;
  }[];
  const zone = resources.find((r) => r.type === 'AWS::Route53::HostedZone')!.id;
  const file = writeFile(cwd, 'orders-api.json', {
    stack: 'orders-api',
    image: IMAGE,
    mode: 'lambda',
    dns: {
      hostedZoneId: zone,
      recordName: 'orders-api.example.test',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/5f7e4b8a-2c1d-4e3f-9a6b-7c8d9e0f1a2b',
    },
  });
  const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
  if (applied.code !== 0) throw new Error(`apply of the stack with dns failed: ${applied.stderr}`);
  return { cwd, zone };
}

/**
 * A ceiling held at `apply`: the stack `over` asks more and is refused with `refusal`, the bootstrap
 * command `raise` that gives room, and nothing written; `under-ceiling` asks less and is applied; `list`
 * shows the second and not the first. `applyAsking(stack)` applies the stack's spec.
 */
export async function expectApplyHeldToCeiling(
  cwd: string,
  applyAsking: (stack: 'over' | 'under-ceiling') => Promise<CliResult>,
  refusal: string,
  raise: string,
): Promise<void> {
  const over = await applyAsking('over');
  expect(over.code).toBe(1);
  expect(over.stderr).toContain(refusal);
  expect(over.stderr).toContain(`\`${raise}\` raises it`);
  expect(over.stderr).toContain('nothing written');
  const under = await applyAsking('under-ceiling');
  expect(under.stderr).toBe('');
  expect(under.code).toBe(0);
  const list = await runCli(cwd, ['--local', 'list']);
  expect(list.stdout).toContain('under-ceiling');
  expect(list.stdout).not.toMatch(/^over\b/m);
}

/** Nothing bootstrap makes is in the simulated account, and the local table does not exist. */
export async function expectNothingInstalled(cwd: string): Promise<void> {
  expect(await systemResources(cwd)).toEqual([]);
  await withLocalTable(cwd, async (client) => {
    await expect(client.send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }))).rejects.toThrow(
      /not found|ResourceNotFound/i,
    );
  });
}
