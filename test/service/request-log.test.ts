import request from 'supertest';
import { JsonLineLogger } from '../../service/logging/request-logger';
import { bearer, buildTestApp, TOKEN, type TestApp } from './support';

describe('request logs', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.app.close());

  it('writes one entry per request with method, path, status, duration and request id', async () => {
    await request(t.app.getHttpServer()).get('/items/nope').expect(404);
    expect(t.logger.entries).toHaveLength(1);
    expect(t.logger.entries[0]).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/items/nope',
      status: 404,
      level: 'warn',
    });
    const entry = t.logger.entries[0];
    expect(entry?.msg === 'request' && typeof entry.durationMs).toBe('number');
    expect(t.logger.entries[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes the caller's x-request-id and logs it", async () => {
    const res = await request(t.app.getHttpServer()).get('/health').set('x-request-id', 'req-123.abc');
    expect(res.headers['x-request-id']).toBe('req-123.abc');
    expect(t.logger.entries[0]?.requestId).toBe('req-123.abc');
  });

  it('replaces a request id that could forge log lines with a generated one', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/health')
      .set('x-request-id', 'a"b\\n{"level":"x"}');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs the Authorization header, the token, or the query string', async () => {
    await request(t.app.getHttpServer())
      .put(`/desired-state?token=${TOKEN}`)
      .set('Authorization', bearer)
      .set('If-Match', '"1"')
      .send({ stack: 'shop', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1' });
    const lines: string[] = [];
    const json = new JsonLineLogger((line) => lines.push(line));
    t.logger.entries.forEach((e) => json.log(e));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).not.toMatch(/authorization|bearer/i);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ method: 'PUT', path: '/desired-state' });
  });
});
