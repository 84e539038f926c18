/**
 * The sandbox's own routes in /docs, as the service's are: each PUT says what it answers, the body refused
 * (400, naming the field) and the body that is not JSON (415) included, and PUT /sandbox/mode its 200 and
 * the 404 of a stack without a record. The app is the service's with the dashboard module over a source
 * that is never called: the document is all that is read.
 */
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../service/app';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import { DashboardModule } from '../../sandbox/dashboard/dashboard.module';
import type { DashboardSource } from '../../sandbox/dashboard/dashboard-source';

const unused = (): never => {
  throw new Error('the document is built without calling the source');
};
const source: DashboardSource = { state: unused, setTraffic: unused, setMode: unused };

describe('/docs of the sandbox routes', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({
      store: new InMemoryStateStore(),
      env: { LAMBDAFLEX_STACK: 'orders-api' },
      requestLogger: { log: () => undefined },
      nestLogLevels: false,
      modules: [DashboardModule.forSource(source)],
    });
  });
  afterAll(() => app.close());

  async function responses(path: string, method: string): Promise<string[]> {
    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    return Object.keys(doc.paths[path][method].responses).sort();
  }

  it('PUT /sandbox/traffic: 200, 400 (the rps refused) and 415', async () => {
    expect(await responses('/sandbox/traffic', 'put')).toEqual(['200', '400', '415']);
  });

  it('PUT /sandbox/mode: 200, 400, 404 (no record), 409 (changed since read) and 415', async () => {
    expect(await responses('/sandbox/mode', 'put')).toEqual(['200', '400', '404', '409', '415']);
  });

  it('GET /sandbox/state: 200', async () => {
    expect(await responses('/sandbox/state', 'get')).toEqual(['200']);
  });
});
