/**
 * The local sandbox's DynamoDB: dynalite (a DynamoDB implementation over LevelDB) started in-process, with
 * its data kept under `.lambdaflex/` in the current folder so that separate CLI runs see the same stacks.
 * Other local state (the simulated account, for instance) goes beside it: use `localPath`.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
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
export async function startLocalDynamo(cwd: string): Promise<RunningDynalite> {
  assertNoSandbox(cwd);
  const path = localPath(cwd, 'dynamodb');
  await mkdir(path, { recursive: true });
  await assertFolderFree(path);
  return startDynalite({ path });
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
  await assertFolderFree(path);
  const running = await startDynalite({ path });
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

/** Starts dynalite on a free port of the loopback interface. Tables become ACTIVE at once. */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningDynalite> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
