/**
 * adversary: the sandbox's console prints lines from the record (a problem, a reason, a pass's error)
 * as the CLI does, to the same kind of terminal. A deletion mark edited by hand into a string carrying
 * C1 control characters (U+009B is CSI, ESC [ to an 8-bit terminal: clear the screen, move the cursor)
 * and DEL reaches the console through the problem the dashboard shows; the CLI writes such characters as
 * visible escapes (cli/terminal-text.ts), so must the sandbox.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TABLE_NAME } from '../../reconciler/state';
import { ProgressReporter } from '../../sandbox/progress';
import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

jest.setTimeout(120_000);

// eslint-disable-next-line no-control-regex -- what a terminal acts on is what is looked for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('the sandbox console over a record edited to drive the terminal', () => {
  let dir: string;
  let sandbox: Sandbox;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-console-'));
    sandbox = await startSandbox({
      cwd: dir,
      port: 0,
      speed: 600,
      tickMs: 50,
      print: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the hold of a mark holding CSI and DEL with them escaped', async () => {
    const client = (sandbox.store as unknown as { client: DynamoDBClient }).client;
    await client.send(
      new UpdateItemCommand({
        TableName: DEFAULT_TABLE_NAME,
        Key: { stack: { S: 'orders-api' } },
        UpdateExpression: 'SET deletionRequestedAt = :v',
        ExpressionAttributeValues: { ':v': { S: '\u009b2J\u009b1;1Hall fine\u007f' } },
      }),
    );
    while (!lines.some((line) => line.includes('deletionRequestedAt')))
      await new Promise((resolve) => setTimeout(resolve, 20));
    const hold = lines.find((line) => line.includes('deletionRequestedAt'))!;
    expect(hold).toContain('\\u009b2J\\u009b1;1Hall fine\\u007f');
    expect(lines.filter((line) => CONTROL.test(line))).toEqual([]);
  });
});

describe("the sandbox console's progress lines", () => {
  const view = (overrides: Partial<DashboardState>): DashboardState =>
    ({
      stack: 'orders-api',
      now: Date.UTC(2026, 0, 1, 0, 5),
      mode: 'auto',
      phase: 'Lambda',
      rps: 2,
      traffic: { line: 'x' },
      shares: { lambda: 1, fargate: 0 },
      tasks: 0,
      cost: { actual: 0, alwaysLambda: 0, compared: true },
      problems: [],
      ...overrides,
    }) as DashboardState;

  it('keep a reason or a problem with a line break on its line: it cannot forge a line of its own', () => {
    const printed: string[] = [];
    const progress = new ProgressReporter((line) => printed.push(line));
    progress.report(
      view({ reason: 'staying\n[sim 01-01 00:06] orders-api Fargate     mode fargate', problems: ['a\nb'] }),
      0,
    );
    expect(printed.join('\n').split('\n')).toHaveLength(2);
    expect(printed[0]).toContain('staying\\n[sim 01-01 00:06]');
    expect(printed[1]).toBe('  orders-api: a\\nb');
  });
});

describe('adversary: the sandbox refusing to start echoes what it was given', () => {
  it('writes the control characters of an option it refuses as visible escapes', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'sandbox/main.ts', '--speed', '\u001b]0;owned\u0007'],
      { cwd: join(__dirname, '../..'), encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('(got "\\u001b]0;owned\\u0007")');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain('\u0007');
  });
});
