import request from 'supertest';
import { buildTestApp, type TestApp } from './support';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.app.close());

  it('answers 200 {status: ok}', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers even when the service has no stack configured', async () => {
    const bare = await buildTestApp({ LAMBDAFLEX_STACK: '' });
    await request(bare.app.getHttpServer()).get('/health').expect(200);
    await bare.app.close();
  });

  it('does not say which framework serves it', async () => {
    const res = await request(t.app.getHttpServer()).get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
