/** Shared set-up for the service's tests: an app over the in-memory store, quiet, with a known token. */
import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createApp } from '../../service/app';
import type { LogEntry, RequestLogger } from '../../service/logging/request-logger';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import type { StateStore } from '../../reconciler/state/types';

export const STACK = 'shop';
export const TOKEN = 'lf_test_9f2c1e0a7b';
export const TOKEN_SHA256 = createHash('sha256').update(TOKEN).digest('hex');

export class CapturingLogger implements RequestLogger {
  readonly entries: LogEntry[] = [];
  log(entry: LogEntry): void {
    this.entries.push(entry);
  }
}

export interface TestApp<S extends StateStore = InMemoryStateStore> {
  app: INestApplication;
  store: S;
  logger: CapturingLogger;
}

/** The app over a new in-memory store, or over the store a test passes (the DynamoDB one in dynalite). */
export async function buildTestApp(env?: NodeJS.ProcessEnv): Promise<TestApp>;
export async function buildTestApp<S extends StateStore>(
  env: NodeJS.ProcessEnv,
  store: S,
): Promise<TestApp<S>>;
export async function buildTestApp(
  env: NodeJS.ProcessEnv = {},
  store: StateStore = new InMemoryStateStore(),
): Promise<TestApp<StateStore>> {
  const logger = new CapturingLogger();
  const app = await createApp({
    store,
    env: { LAMBDAFLEX_STACK: STACK, LAMBDAFLEX_API_TOKEN_SHA256: TOKEN_SHA256, ...env },
    requestLogger: logger,
    nestLogLevels: false,
  });
  return { app, store, logger };
}

export const bearer = `Bearer ${TOKEN}`;
