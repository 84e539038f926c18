/**
 * A command that reads never creates anything: in a folder without local state it says the table does
 * not exist and what to run, and leaves no `.lambdaflex/` behind; with local state it creates no other
 * table. Only `apply` creates the local table.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE, runCli, tempFolder, withLocalTable, writeFile } from './run-cli';

const READS: [string, string[]][] = [
  ['list', ['list']],
  ['list -o json', ['list', '-o', 'json']],
  ['get', ['get', 'orders-api']],
  ['status', ['status', 'orders-api']],
  ['events', ['events', 'orders-api']],
  ['plan', ['plan', 'orders-api']],
  ['reconcile', ['reconcile', 'orders-api', '--once']],
  ['delete', ['delete', 'orders-api']],
];

async function tablesIn(cwd: string): Promise<string[]> {
  return withLocalTable(
    cwd,
    async (client) => (await client.send(new ListTablesCommand({}))).TableNames ?? [],
  );
}

describe('--local in a folder without local state', () => {
  it.each(READS)(
    '%s says the table does not exist and what to run, and creates nothing',
    async (_n, args) => {
      const cwd = tempFolder();
      const result = await runCli(cwd, ['--local', ...args]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `reading local table lambdaflex (${join(cwd, '.lambdaflex')}): this folder has no local state (.lambdaflex/dynamodb)\n` +
          'record a stack with `lambdaflex --local apply -f FILE` (it creates the table), or start the sandbox with `npm start` (it applies a demo stack)\n',
      );
      expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
    },
  );
});

describe('--local with local state', () => {
  it('list names a missing --table and creates no table', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const result = await runCli(cwd, ['--local', '--table', 'lambdaflex-staging', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^reading local table lambdaflex-staging \(.*\.lambdaflex\): the table does not exist\n.*`lambdaflex --local apply -f FILE`.*; without --table the table is lambdaflex\n$/,
    );
    expect(await tablesIn(cwd)).toEqual(['lambdaflex']);
    // …and the table apply created is read as before.
    const list = await runCli(cwd, ['--local', 'list']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toMatch(/^orders-api\s+auto\s+1\s/m);
  });
});

describe('--local sim resources and sim calls', () => {
  it.each([['resources'], ['calls']])(
    'sim %s only reads: no simulated account is created or saved',
    async (sub) => {
      const cwd = tempFolder();
      const result = await runCli(cwd, ['--local', 'sim', sub]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
    },
  );

  it('sim advance still saves the account it moved', async () => {
    const cwd = tempFolder();
    expect((await runCli(cwd, ['--local', 'sim', 'advance', '10m'])).code).toBe(0);
    expect(existsSync(join(cwd, '.lambdaflex', 'sim.json'))).toBe(true);
  });
});

describe('apply --dry-run', () => {
  it('shows a new stack against a folder without local state, and creates nothing', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    const result = await runCli(cwd, ['--local', 'apply', '-f', file, '--dry-run']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^stack orders-api is new:\n {2}\+ stack: "orders-api"\n/);
    expect(result.stdout).toMatch(/\ndry run: nothing written\n$/);
    expect(existsSync(join(cwd, '.lambdaflex'))).toBe(false);
  });

  it('creates no table beside the one that exists', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 'spec.json', { stack: 'orders-api', image: IMAGE });
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    const result = await runCli(cwd, ['--local', '--table', 'staging', 'apply', '-f', file, '--dry-run']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^stack orders-api is new:/);
    expect(await tablesIn(cwd)).toEqual(['lambdaflex']);
  });
});
