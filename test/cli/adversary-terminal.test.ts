/**
 * adversary: strings in a record that reach the terminal. Whoever can write the table (the DynamoDB console,
 * a script with the table's rights), or have a message of theirs copied into the status (an AWS error that
 * echoes a name, a conflict naming someone else's record), must not be able to drive the reader's terminal:
 * an ESC sequence can set the window title, clear the screen, rewrite earlier lines, or on some terminals
 * answer back into the shell; a carriage return overwrites what the line said before it. Every command that
 * prints a record (status, status --watch, get, list, events, events -f) prints such characters as visible
 * `\uXXXX` escapes. `-o json` and `-o yaml` stay the same values: the escape is what JSON and YAML's
 * double-quoted strings mean by it.
 * Also: a record that changes shape between two readings of --watch (edited by hand into nonsense) and one
 * deleted while followed, by another writer than the reconciler.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { ReconcileProgress } from '../../cli/reconcile-progress';
import type { PlanStep } from '../../reconciler/engine/types';
import { deleteLocalRecord, IMAGE, runCli, tempFolder, withLocalTable, writeFile } from './run-cli';

jest.setTimeout(120_000);

/** A title set, the screen cleared, the cursor sent home, a C1 CSI, a bell, a carriage return, DEL. */
const HOSTILE = 'ok\u001b]0;pwned\u0007\u001b[2J\u001b[H\u009b31m\rfake line\u007f';
/** Any character a terminal acts on rather than shows (C0 but tab and newline, DEL, C1). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function edit(cwd: string, update: (doc: DynamoDBDocumentClient) => Promise<unknown>): Promise<void> {
  await withLocalTable(cwd, (client) => update(DynamoDBDocumentClient.from(client)));
}

/** The record's status, events and lease, written as a hostile editor would. */
async function hostileRecord(cwd: string): Promise<void> {
  await edit(cwd, (doc) =>
    doc.send(
      new UpdateCommand({
        TableName: 'lambdaflex',
        Key: { stack: 'orders-api' },
        UpdateExpression: 'SET #s = :s, events = :e, lease = :l',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': {
            observedGeneration: 1,
            phase: 'Lambda',
            reason: HOSTILE,
            conditions: [
              { type: 'Ready', status: 'False', reason: 'Hostile', message: HOSTILE, lastTransitionTime: 1 },
            ],
            resources: {},
          },
          ':e': [{ at: 1_700_000_000_000, type: 'Warning', reason: 'Hostile', message: HOSTILE }],
          ':l': { holder: HOSTILE, expiresAt: 1_700_000_000_000 },
        },
      }),
    ),
  );
}

async function appliedStack(): Promise<string> {
  const cwd = tempFolder();
  const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode: 'lambda' });
  expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  return cwd;
}

describe('adversary: control characters in a record, printed', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await appliedStack();
    await hostileRecord(cwd);
  });

  it.each([
    ['status', ['status', 'orders-api']],
    ['get', ['get', 'orders-api']],
    ['list', ['list']],
    ['events', ['events', 'orders-api']],
  ])('%s prints them as visible escapes, never as they are', async (_name, args) => {
    const result = await runCli(cwd, ['--local', ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(CONTROL);
    if (args[0] !== 'list') expect(result.stdout).toContain('ok\\u001b]0;pwned\\u0007\\u001b[2J');
  });

  it('get -o json and -o yaml print no control character and still read back as the same record', async () => {
    const json = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout).status.conditions[0].message).toBe(HOSTILE);
    const yaml = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'yaml']);
    expect(yaml.stdout).not.toMatch(CONTROL);
    expect(parse(yaml.stdout).status.conditions[0].message).toBe(HOSTILE);
  });
});

describe('adversary: status --watch and events -f on a record edited between two readings', () => {
  it('--watch prints the hostile edit escaped, then the deletion by another writer, and exits 0', async () => {
    const cwd = await appliedStack();
    let readings = 0;
    const sleep = async () => {
      readings++;
      if (readings === 2) await hostileRecord(cwd);
      if (readings === 3) await deleteLocalRecord(cwd);
    };
    const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(0);
    expect(readings).toBe(3);
    expect(watched.stdout).not.toMatch(CONTROL);
    expect(watched.stdout).toContain('\\u001b[2J');
    expect(watched.stdout).toMatch(/orders-api: deleted \(the record is gone\)\n$/);
  });

  it('events -f prints the hostile event escaped', async () => {
    const cwd = await appliedStack();
    let readings = 0;
    const sleep = async () => {
      readings++;
      if (readings === 1) await hostileRecord(cwd);
      if (readings === 2) await deleteLocalRecord(cwd);
    };
    const followed = await runCli(cwd, ['--local', 'events', 'orders-api', '-f'], '', sleep);
    expect(followed.code).toBe(0);
    expect(followed.stdout).not.toMatch(CONTROL);
    expect(followed.stdout).toContain('Hostile: ok\\u001b]0;pwned');
  });

  it.each([
    ['status a string', { '#s': 'status' }, 'SET #s = :v', 'all good'],
    ['status null', { '#s': 'status' }, 'SET #s = :v', null],
    ['events a map', { '#s': 'events' }, 'SET #s = :v', { oops: 1 }],
    ['events holding strings and nulls', { '#s': 'events' }, 'SET #s = :v', ['x', null, { at: 'soon' }]],
    ['status.phase a map', { '#s': 'status' }, 'SET #s.phase = :v', { a: 1 }],
    ['spec removed', { '#s': 'spec' }, 'REMOVE #s', undefined],
  ])(
    '--watch on a record whose %s between two readings keeps watching until the record is gone',
    async (_name, names, expression, value) => {
      const cwd = await appliedStack();
      expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
      let readings = 0;
      const sleep = async () => {
        readings++;
        if (readings === 1)
          await edit(cwd, (doc) =>
            doc.send(
              new UpdateCommand({
                TableName: 'lambdaflex',
                Key: { stack: 'orders-api' },
                UpdateExpression: expression,
                ExpressionAttributeNames: names,
                ...(value === undefined ? {} : { ExpressionAttributeValues: { ':v': value } }),
              }),
            ),
          );
        if (readings === 2) await deleteLocalRecord(cwd);
      };
      const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
      expect(watched.stderr).toBe('');
      expect(watched.code).toBe(0);
      expect(readings).toBe(2);
      expect(watched.stdout).toMatch(/orders-api: deleted \(the record is gone\)\n$/);
    },
  );
});

describe('adversary: a watched stack deleted and made again between two readings', () => {
  async function recreated(cwd: string): Promise<void> {
    await deleteLocalRecord(cwd);
    const file = writeFile(cwd, 'again.json', { stack: 'orders-api', image: IMAGE, mode: 'fargate' });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  }

  it.each([
    ['status --watch', ['status', 'orders-api', '--watch']],
    ['events -f', ['events', 'orders-api', '-f']],
  ])('%s says the record it followed is gone and another was made, and stops', async (_name, args) => {
    const cwd = await appliedStack();
    expect((await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled'])).code).toBe(0);
    let readings = 0;
    const sleep = async () => {
      readings++;
      if (readings === 1) await recreated(cwd);
      // A watch that went on would read again: the record deleted for good ends it.
      if (readings === 2) await deleteLocalRecord(cwd);
    };
    const watched = await runCli(cwd, ['--local', ...args], '', sleep);
    expect(watched.code).toBe(0);
    expect(readings).toBe(1);
    expect(watched.stdout).toMatch(
      /orders-api: deleted \(the record is gone\)\norders-api: made again since, as another record \(incarnation [0-9a-f]{12}\): run the command again to follow it\n$/,
    );
  });
});

describe('adversary: a newline in a value forging a line of its own', () => {
  const FORGED = 'ok\n[12:00:00] phase Fargate (settled)\nevent: 2026-01-01 00:00:00 PhaseChanged: all good';

  async function forgedEvent(cwd: string): Promise<void> {
    await edit(cwd, (doc) =>
      doc.send(
        new UpdateCommand({
          TableName: 'lambdaflex',
          Key: { stack: 'orders-api' },
          UpdateExpression: 'SET events = :e',
          ExpressionAttributeValues: {
            ':e': [{ at: 1_700_000_000_000, type: 'Warning', reason: 'Forged', message: FORGED }],
          },
        }),
      ),
    );
  }

  it('events prints the event on one line, the newline as a visible \\n', async () => {
    const cwd = await appliedStack();
    await forgedEvent(cwd);
    const { stdout } = await runCli(cwd, ['--local', 'events', 'orders-api']);
    expect(stdout.trimEnd().split('\n')).toEqual([
      '2023-11-14 22:13:20  Warning  Forged: ok\\n[12:00:00] phase Fargate (settled)\\nevent: 2026-01-01 00:00:00 PhaseChanged: all good',
    ]);
  });

  it('status --watch prints it on one line', async () => {
    const cwd = await appliedStack();
    let readings = 0;
    const sleep = async () => {
      readings++;
      if (readings === 1) await forgedEvent(cwd);
      if (readings === 2) await deleteLocalRecord(cwd);
    };
    const watched = await runCli(cwd, ['--local', 'status', 'orders-api', '--watch'], '', sleep);
    expect(watched.code).toBe(0);
    expect(watched.stdout).not.toMatch(/^\[12:00:00\] phase Fargate/m);
    expect(watched.stdout).toContain('Forged: ok\\n[12:00:00] phase Fargate (settled)\\nevent:');
  });
});

describe('adversary: a newline in a condition, a reason or a lease holder, in status and get', () => {
  it.each([
    ['status', ['status', 'orders-api']],
    ['get', ['get', 'orders-api']],
  ])(
    '%s prints one Stack and one Phase line, the forged ones kept inside their rows',
    async (_name, args) => {
      const cwd = await appliedStack();
      const forged = 'x\nStack:      evil-stack\nPhase:      Fargate';
      await edit(cwd, (doc) =>
        doc.send(
          new UpdateCommand({
            TableName: 'lambdaflex',
            Key: { stack: 'orders-api' },
            UpdateExpression: 'SET #s = :s, lease = :l',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':s': {
                observedGeneration: 1,
                phase: 'Lambda',
                reason: forged,
                conditions: [
                  {
                    type: 'Ready',
                    status: 'False',
                    reason: 'Forged',
                    message: forged,
                    lastTransitionTime: 1,
                  },
                ],
                resources: {},
                lastDecision: { tier: 'lambda', reason: forged },
              },
              ':l': { holder: forged, expiresAt: 1_700_000_000_000 },
            },
          }),
        ),
      );
      const { stdout, code } = await runCli(cwd, ['--local', ...args]);
      expect(code).toBe(0);
      expect(stdout.match(/^Stack:/gm)).toHaveLength(1);
      expect(stdout.match(/^Phase:/gm)).toHaveLength(1);
      expect(stdout).toContain('x\\nStack:      evil-stack\\nPhase:      Fargate');
    },
  );
});

describe('adversary: a newline in an AWS message, in reconcile’s progress', () => {
  it('prints the step’s state and the pass’s reason on one line each', () => {
    const lines: string[] = [];
    const progress = new ReconcileProgress((line) => lines.push(line));
    const step = { action: 'create', key: 'alb', id: 'create:alb' } as unknown as PlanStep;
    progress.step('orders-api', step, {
      status: 'terminal',
      message: 'AccessDenied\n[04:11:11] orders-api pass 3: phase Fargate (settled)',
    } as never);
    progress.pass(
      {
        stack: 'orders-api',
        outcome: 'reconciled',
        settled: false,
        phase: 'Lambda',
        reason: 'x\ny',
        calls: { total: 1, mutating: 0, byOperation: {} },
      } as never,
      2,
      Date.UTC(2026, 0, 1),
      undefined,
    );
    expect(lines).toEqual([
      '  orders-api: + alb: failed: AccessDenied\\n[04:11:11] orders-api pass 3: phase Fargate (settled)',
      '[00:00:00] orders-api pass 2: phase Lambda; 1 API calls, 0 mutating — x\\ny',
    ]);
  });
});
