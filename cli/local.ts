/**
 * The local sandbox's DynamoDB: dynalite (a DynamoDB implementation over LevelDB) started in-process, with
 * its data kept under `.lambdaflex/` in the current folder so that separate CLI runs see the same stacks.
 * Other local state (the simulated account, for instance) goes beside it: use `localPath`.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The folder, relative to the working directory, that holds every piece of local state. */
export const LOCAL_DIR = '.lambdaflex';
/** dynalite accepts any region; one is needed for the client to sign requests. */
export const LOCAL_REGION = 'us-east-1';
/** Written by `serveLocalDynamo` while a sandbox process serves the local table to others. */
const ENDPOINT_FILE = 'dynamodb.json';

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
 * The local DynamoDB of the sandbox in `cwd`, its data in `.lambdaflex/dynamodb`. When a long-running
 * sandbox (`serveLocalDynamo`) already serves that folder, this connects to it, since LevelDB allows one
 * process per folder; otherwise it starts dynalite in this process. Either way, call `stop()` when done.
 *
 * @example
 * const local = await startLocalDynamo(process.cwd());
 * try { await new DynamoStateStore({ client: local.client }).list(); } finally { await local.stop(); }
 */
export async function startLocalDynamo(cwd: string): Promise<RunningDynalite> {
  const served = await readServedEndpoint(cwd);
  if (served) {
    const client = new DynamoDBClient(localClientConfig(served));
    return { endpoint: served, client, stop: async () => client.destroy() };
  }
  const path = localPath(cwd, 'dynamodb');
  await mkdir(path, { recursive: true });
  await assertFolderFree(path);
  return startDynalite({ path });
}

/**
 * Starts the sandbox's DynamoDB for other processes too (for a long-running `lambdaflex sim` or
 * `npm start`): its endpoint is written to `.lambdaflex/dynamodb.json` until `stop()`, and
 * `startLocalDynamo` in the same folder connects to it.
 */
export async function serveLocalDynamo(cwd: string): Promise<RunningDynalite> {
  const path = localPath(cwd, 'dynamodb');
  await mkdir(path, { recursive: true });
  await assertFolderFree(path);
  const running = await startDynalite({ path });
  const file = localPath(cwd, ENDPOINT_FILE);
  await writeFile(file, JSON.stringify({ endpoint: running.endpoint, pid: process.pid }) + '\n');
  return {
    ...running,
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

/** The endpoint of a sandbox process that still runs, if any. */
/**
 * The pid of another live process (a sandbox, `npm start`) that serves this folder's local state, if any:
 * it owns the simulated account too, so a CLI run must not load and save it behind the sandbox's back.
 */
export function otherSandboxPid(cwd: string): number | undefined {
  try {
    const served = JSON.parse(readFileSync(localPath(cwd, ENDPOINT_FILE), 'utf8')) as { pid?: unknown };
    if (typeof served.pid !== 'number' || served.pid === process.pid) return undefined;
    process.kill(served.pid, 0); // signal 0: only asks whether the process exists
    return served.pid;
  } catch {
    return undefined;
  }
}

async function readServedEndpoint(cwd: string): Promise<string | undefined> {
  let served: { endpoint?: unknown; pid?: unknown };
  try {
    served = JSON.parse(await readFile(localPath(cwd, ENDPOINT_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof served.endpoint !== 'string' || typeof served.pid !== 'number') return undefined;
  try {
    process.kill(served.pid, 0); // signal 0: only asks whether the process exists
    return served.endpoint;
  } catch {
    return undefined; // left behind by a sandbox that crashed
  }
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
