/** The service with the dashboard's controls over `source`, behind localRequestsOnly, listening on 127.0.0.1. */
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import { createApp } from '../../service/app';
import type { DashboardSource } from '../../sandbox/dashboard/dashboard-source';
import { DashboardModule } from '../../sandbox/dashboard/dashboard.module';
import { silentLogger } from '../../service/logging/request-logger';
import { localRequestsOnly } from '../../sandbox/local-origin';

/** The app, listening, and the port it listens on (any free one). */
export async function listenLocalOnly(
  source: DashboardSource,
): Promise<{ app: INestApplication; port: number }> {
  const app = await createApp({
    store: new InMemoryStateStore(),
    env: { LAMBDAFLEX_STACK: 'demo' },
    requestLogger: silentLogger,
    nestLogLevels: false,
    modules: [DashboardModule.forSource(source)],
    middleware: [localRequestsOnly('127.0.0.1')],
  });
  await app.listen(0, '127.0.0.1');
  return { app, port: ((app.getHttpServer() as Server).address() as AddressInfo).port };
}
