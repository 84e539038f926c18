/**
 * What the service answers whoever asks: security headers on every route, JSON-only bodies (415
 * otherwise), a repeated key refused, and a failure's detail kept in the log, not in the answer.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const doc = { stack: STACK, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1' };

describe('the service, for any caller', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  describe('security headers', () => {
    it.each([
      ['GET', '/health', 200],
      ['GET', '/items', 200],
      ['GET', '/items/nope', 404],
      ['GET', '/stack-status', 404],
      ['GET', '/desired-state', 401],
      ['PUT', '/desired-state', 415],
      ['GET', '/no-such-route', 404],
    ])('are on %s %s (%d)', async (method, path, status) => {
      const res = await (method === 'PUT' ? http.put(path) : http.get(path)).expect(status);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it("let Swagger UI's page use its inline styles, and nothing else inline", async () => {
      const res = await http.get('/docs').redirects(1).expect(200);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    });
  });

  describe('bodies are JSON only', () => {
    it.each([
      [
        'application/x-www-form-urlencoded',
        'stack=shop&image=nginx',
        /got application\/x-www-form-urlencoded/,
      ],
      ['text/plain', JSON.stringify(doc), /got text\/plain/],
      ['application/xml', '<spec><stack>shop</stack></spec>', /got application\/xml/],
      ['application/json; charset=latin1', JSON.stringify(doc), /got charset latin1/],
    ])('answers 415 to %s, and stores nothing', async (type, body, reason) => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .set('Content-Type', type)
        .send(body)
        .expect(415);
      expect(res.body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: expect.stringMatching(reason),
      });
      expect(await t.store.get(STACK)).toBeUndefined();
    });

    it('answers 415 to a body sent without a Content-Type, and stores nothing', async () => {
      const server = t.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const body = JSON.stringify(doc);
      const answer = await new Promise<{ status?: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            host: '127.0.0.1',
            method: 'PUT',
            path: '/desired-state',
            headers: {
              Authorization: bearer,
              'If-None-Match': '*',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.text).message).toMatch(/no Content-Type was sent/);
      expect(await t.store.get(STACK)).toBeUndefined();
    });

    it('answers 415 on the sample routes too, and takes application/json with charset=utf-8', async () => {
      await http.post('/items').set('Content-Type', 'text/plain').send('{"name":"a","price":1}').expect(415);
      await http
        .post('/items')
        .set('Content-Type', 'application/json; charset=utf-8')
        .send('{"name":"a","price":1}')
        .expect(201);
    });

    it('lets a body-less DELETE and GET through without a Content-Type', async () => {
      const created = await http.post('/items').send({ name: 'a', price: 1 }).expect(201);
      await http.delete(`/items/${created.body.id}`).expect(204);
    });

    it('refuses a key given twice, naming it, and stores nothing', async () => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .set('Content-Type', 'application/json')
        .send(`{"stack":"${STACK}","image":"${doc.image}","mode":"lambda","mode":"fargate"}`)
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the body repeats a key',
        errors: [{ path: 'mode', message: expect.stringMatching(/appears more than once/) }],
      });
      expect(await t.store.get(STACK)).toBeUndefined();
    });

    it('answers malformed JSON with 400 in the validation errors shape', async () => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .set('Content-Type', 'application/json')
        .send('{"stack":')
        .expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        message: expect.stringMatching(/^the body is not valid JSON: /),
        errors: [{ path: '' }],
      });
    });

    it('answers 413 to a body over 100 kB', async () => {
      await http
        .post('/items')
        .send({ name: 'a', price: 1, tags: ['x'.repeat(110_000)] })
        .expect(413);
    });
  });

  it('answers a bug with 500, a fixed message and the request id; the detail is logged', async () => {
    const broken = new InMemoryStateStore();
    broken.get = () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'spec')"));
    const b = await buildTestApp({}, broken);
    const res = await request(b.app.getHttpServer()).get('/stack-status').expect(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringMatching(/^the request failed inside the service/),
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toContain('Cannot read properties');
    expect(b.logger.entries).toContainEqual(
      expect.objectContaining({
        msg: 'request failed',
        status: 500,
        error: expect.stringContaining('TypeError'),
      }),
    );
    await b.app.close();
  });
});
