/**
 * The local sandbox's DynamoDB: dynalite (a DynamoDB implementation over LevelDB) started in-process, with
 * its data kept under `.lambdaflex/` in the current folder so that separate CLI runs see the same stacks.
 * Other local state (the simulated account, for instance) goes beside it: use `localPath`.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CliError } from './io';

/** The folder, relative to the working directory, that holds every piece of local state. */
export const LOCAL_DIR = '.lambdaflex';
/** dynalite accepts any region; one is needed for the client to sign requests. */
export const LOCAL_REGION = 'us-east-1';
/**
 * Written by `serveLocalDynamo` while a sandbox process owns the folder's local state: its pid, its
 * DynamoDB endpoint and, once it listens, the URL of its dashboard and API.
 */
const SANDBOX_FILE = 'dynamodb.json';
/**
 * Held (created exclusively, removed after) while a process checks that the LevelDB folder is free and
 * opens it. The two are one step for every lambdaflex process: between another's check and its opening,
 * this process could otherwise take the folder, and dynalite dies of an unhandled stream error when its
 * folder turns out to be taken. Once open, LevelDB's own lock guards the folder.
 */
const OPENING_FILE = 'dynamodb.opening';
/** An opening takes well under a second; a claim older than this was left by a process that died in it. */
const OPENING_STALE_MS = 30_000;
/**
 * How long a command waits for another's short hold on the folder (a `status --watch` reading, a `get`)
 * before it says the folder is in use: a `reconcile` started beside a watch should not fail on a reading.
 */
export const FOLDER_WAIT_MS = 3_000;
const POLL_MS = 50;

/** A sandbox process (`npm start`) that owns a folder's local state. */
export interface RunningSandbox {
  pid: number;
  /** The dashboard and API, once the sandbox listens. */
  url?: string;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client pointed at it, with dummy credentials. */
  client: DynamoDBClient;
  /** Closes the client and the server (and flushes LevelDB). Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** LevelDB folder; in memory when absent. */
  path?: string;
}

/** `<cwd>/.lambdaflex/<parts...>` */
export function localPath(cwd: string, ...parts: string[]): string {
  return join(cwd, LOCAL_DIR, ...parts);
}

/**
 * The local DynamoDB of `cwd`, its data in `.lambdaflex/dynamodb`, started in this process; call `stop()`
 * when done. While a sandbox runs in the folder it owns the local state, and this throws
 * SandboxRunningError instead (one writer per local account).
 *
 * @example
 * const local = await startLocalDynamo(process.cwd());
 * try { await new DynamoStateStore({ client: local.client }).list(); } finally { await local.stop(); }
 */
export async function startLocalDynamo(
  cwd: string,
  options: { waitMs?: number } = {},
): Promise<RunningDynalite> {
  assertNoSandbox(cwd);
  const path = localPath(cwd, 'dynamodb');
  await mkdir(path, { recursive: true });
  return openFolder(cwd, path, options.waitMs ?? FOLDER_WAIT_MS);
}

export interface ServedDynalite extends RunningDynalite {
  /** Records the sandbox's URL, for the message that sends other commands to it. */
  advertise(url: string): Promise<void>;
}

/**
 * Starts the sandbox's DynamoDB and claims the folder's local state for this process (`npm start`): its
 * pid (and, once `advertise`d, its URL) is written to `.lambdaflex/dynamodb.json` until `stop()`, and
 * every `--local` command in the folder is refused meanwhile, naming that URL.
 */
export async function serveLocalDynamo(cwd: string): Promise<ServedDynalite> {
  assertNoSandbox(cwd);
  const path = localPath(cwd, 'dynamodb');
  await mkdir(path, { recursive: true });
  const running = await openFolder(cwd, path, FOLDER_WAIT_MS);
  const file = localPath(cwd, SANDBOX_FILE);
  const claim = (url?: string) =>
    writeFile(file, JSON.stringify({ endpoint: running.endpoint, pid: process.pid, url }) + '\n');
  await claim();
  return {
    ...running,
    advertise: (url) => claim(url),
    stop: async () => {
      await rm(file, { force: true });
      await running.stop();
    },
  };
}

/**
 * The simulated account's id (aws-sim's default, which the local account is made with). dynalite writes
 * the account of its tables' ARNs from AWS_ACCOUNT_ID, read once as it is created, else 000000000000:
 * the local table's ARN named another account than everything else the folder's account holds.
 */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** Runs `make` with AWS_ACCOUNT_ID set to `account`, and puts the variable back as it was. */
function withAccountId<T>(account: string, make: () => T): T {
  const before = process.env.AWS_ACCOUNT_ID;
  process.env.AWS_ACCOUNT_ID = account;
  try {
    return make();
  } finally {
    if (before === undefined) delete process.env.AWS_ACCOUNT_ID;
    else process.env.AWS_ACCOUNT_ID = before;
  }
}

/** Starts dynalite on a free port of the loopback interface. Tables become ACTIVE at once. */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningDynalite> {
  const server = withAccountId(LOCAL_ACCOUNT_ID, () =>
    dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }),
  );
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= close(client, server));
  try {
    // Fail here, with the folder's name, rather than on the caller's first request.
    await client.send(new ListTablesCommand({ Limit: 1 }));
  } catch (err) {
    await stop().catch(() => undefined);
    const where = options.path ?? 'memory';
    const cause = err instanceof Error ? err.message : String(err);
    throw new Error(`starting local DynamoDB (${where}): ${cause}`, { cause: err });
  }
  return { endpoint, client, stop };
}

/** Client settings for a local endpoint: any region and any credentials will do. */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function close(client: DynamoDBClient, server: Server): Promise<void> {
  // The client's keep-alive sockets would hold server.close() open until they time out.
  client.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/**
 * Another live process (`npm start`) that owns this folder's local state, if any. A file left by a sandbox
 * that crashed (its pid no longer runs) does not count.
 */
export function runningSandbox(cwd: string): RunningSandbox | undefined {
  let claimed: { pid?: unknown; url?: unknown };
  try {
    claimed = JSON.parse(readFileSync(localPath(cwd, SANDBOX_FILE), 'utf8')) as typeof claimed;
  } catch {
    return undefined;
  }
  if (typeof claimed.pid !== 'number' || claimed.pid === process.pid) return undefined;
  try {
    process.kill(claimed.pid, 0); // signal 0: only asks whether the process exists
  } catch {
    return undefined;
  }
  return { pid: claimed.pid, ...(typeof claimed.url === 'string' ? { url: claimed.url } : {}) };
}

/** A `--local` command while a sandbox owns the folder: refused, sending the user to the sandbox. */
export class SandboxRunningError extends CliError {
  constructor(readonly sandbox: RunningSandbox) {
    const where = sandbox.url
      ? `its dashboard is ${sandbox.url}/ and its API ${sandbox.url}/docs`
      : 'it is still starting; its address is printed in its terminal';
    super([
      `the local sandbox (npm start, pid ${sandbox.pid}) owns the local account in this folder: ${where}`,
      'use the sandbox there, or stop it (Ctrl-C in its terminal) and run this command again',
    ]);
  }
}

/** One writer per local account: throws SandboxRunningError while another process's sandbox runs here. */
export function assertNoSandbox(cwd: string): void {
  const sandbox = runningSandbox(cwd);
  if (sandbox) throw new SandboxRunningError(sandbox);
}

/**
 * dynalite on the folder, once no other process holds it (waiting up to `waitMs` for it to be let go);
 * after that, fails with "in use by another lambdaflex process".
 */
async function openFolder(cwd: string, path: string, waitMs: number): Promise<RunningDynalite> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await whileOpening(cwd, async () => {
        await assertFolderFree(path);
        // startDynalite's first request returns only once LevelDB has the folder.
        return startDynalite({ path });
      });
    } catch (error) {
      if (!/in use by another lambdaflex process/.test(String(error)) || Date.now() >= deadline) throw error;
      await delay(POLL_MS);
    }
  }
}

/** Runs `step` holding the folder's opening claim (OPENING_FILE), taken from no other live process. */
async function whileOpening<T>(cwd: string, step: () => Promise<T>): Promise<T> {
  const file = localPath(cwd, OPENING_FILE);
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await staleClaim(file)) await rm(file, { force: true });
      else await delay(POLL_MS);
    }
  }
  try {
    return await step();
  } finally {
    await rm(file, { force: true });
  }
}

/** A claim whose process no longer runs, or that is older than any opening takes. */
async function staleClaim(file: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    if (Date.now() - info.mtimeMs > OPENING_STALE_MS) return true;
    const pid = Number(text);
    // Just created, its pid not written yet: a live claim.
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    // Gone meanwhile (ENOENT): nothing to remove, try again; no such process (ESRCH): stale.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Fails clearly when another process has the LevelDB folder open. dynalite itself would crash the
 * process with an unhandled stream error on its first request.
 */
async function assertFolderFree(path: string): Promise<void> {
  // `level` is dynalite's own dependency: load the copy dynalite uses.
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const { Level } = fromDynalite('level') as {
    Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const db = new Level(path);
  try {
    await db.open();
  } catch (err) {
    const locked = (err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
    const cause = locked ? 'the folder is in use by another lambdaflex process' : String(err);
    throw new Error(`starting local DynamoDB (${path}): ${cause}`, { cause: err });
  }
  await db.close();
}
