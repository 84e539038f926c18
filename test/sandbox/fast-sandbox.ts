/**
 * The sandbox in-process, in a folder of the test's own, its clock fast (1,200 times) and its console
 * quiet: for the tests of how it decides, read from the stack's status as a user would drive it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AutoDecisionRecord } from '../../reconciler/decide/history';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { until } from './until';

/**
 * Registers, in the calling `describe`, a folder made before its tests and, after them, the sandbox
 * stopped and the folder removed. `start` starts the sandbox there and answers it once on Lambda.
 */
export function fastSandboxInFolder(prefix: string): { start(): Promise<Sandbox> } {
  let dir: string;
  let sandbox: Sandbox | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), prefix))));
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start() {
      sandbox = await startSandbox({ cwd: dir, port: 0, speed: 1200, tickMs: 50, print: () => undefined });
      const sb = sandbox;
      await until(
        () => sb.state(),
        (s) => s.phase === 'Lambda',
      );
      return sb;
    },
  };
}

/** The auto mode's decisions the stack's status keeps (the last 20), oldest first. */
export async function autoDecisions(sb: Sandbox): Promise<AutoDecisionRecord[]> {
  const record = await sb.store.get('orders-api');
  const history = record?.status?.autoScaling as { decisions?: AutoDecisionRecord[] } | undefined;
  return history?.decisions ?? [];
}
