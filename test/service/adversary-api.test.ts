/**
 * adversary: a caller of the service's API without the token, or with a wrong one, trying the desired
 * state by other spellings of its path, other methods, tokens in other places; and a token holder sending
 * bodies no validation expects (deep nesting, a compressed bomb, prototype keys, huge numbers, unicode).
 * Whatever it sends: no spec read without the token, nothing written unless valid, never a 500.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { bearer, buildTestApp, STACK, TOKEN, type TestApp } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const SECRET = 'postgres://admin:hunter2@db/shop';

describe('adversary: the service API', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
    await t.store.putSpec({ stack: STACK, image: IMAGE, environment: { DB_URL: SECRET } });
  });
  afterEach(() => t.app.close());

  describe('reads of the spec without the token', () => {
    it.each([
      '/desired-state',
      '/Desired-State',
      '/DESIRED-STATE/',
      '/desired-state/',
      '/desired-state?token=' + TOKEN,
      '/desired-state?access_token=' + TOKEN,
      '/desired-state;jsessionid=x',
      '/desired-state%2F',
      '/./desired-state',
      '/items/../desired-state',
    ])('GET %s shows nothing of the spec', async (path) => {
      const res = await http.get(path);
      expect([401, 404]).toContain(res.status);
      expect(res.text).not.toContain('hunter2');
      expect(res.headers.etag).toBeUndefined();
    });

    it.each([
      ['a token in another scheme', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
      ['the token with a trailing word', `Bearer ${TOKEN} extra`],
      ['the token twice', `Bearer ${TOKEN}, Bearer ${TOKEN}`],
      ['the token’s hash', `Bearer ${createHash('sha256').update(TOKEN).digest('hex')}`],
      ['an empty bearer', 'Bearer '],
      ['the token in upper case', `Bearer ${TOKEN.toUpperCase()}`],
    ])('GET with %s: 401, nothing shown', async (_name, authorization) => {
      const res = await http.get('/desired-state').set('Authorization', authorization);
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('hunter2');
    });

    it.each(['HEAD', 'OPTIONS'])('%s /desired-state shows nothing of the spec', async (method) => {
      const res = await (method === 'HEAD' ? http.head('/desired-state') : http.options('/desired-state'));
      expect(res.status).not.toBe(200);
      expect(res.text ?? '').not.toContain('hunter2');
      expect(res.headers.etag).toBeUndefined();
    });

    it('GET /stack-status with a wrong token shows the short view only, no spec', async () => {
      const res = await http.get('/stack-status').set('Authorization', 'Bearer wrong').expect(200);
      expect(res.text).not.toContain('hunter2');
      expect(res.body.resources).toBeUndefined();
    });
  });

  describe('writes without the token', () => {
    it.each([
      ['PUT', '/Desired-State'],
      ['PUT', '/desired-state/'],
      ['POST', '/desired-state'],
      ['PATCH', '/desired-state'],
      ['DELETE', '/desired-state'],
    ])('%s %s changes nothing', async (method, path) => {
      const body = { stack: STACK, image: IMAGE, mode: 'fargate' };
      const call =
        method === 'PUT'
          ? http.put(path)
          : method === 'POST'
            ? http.post(path)
            : method === 'PATCH'
              ? http.patch(path)
              : http.delete(path);
      const res = await call.set('If-Match', '*').send(body);
      expect([401, 404]).toContain(res.status);
      const record = await t.store.get(STACK);
      expect(record?.generation).toBe(1);
      expect(record?.spec).not.toHaveProperty('mode', 'fargate');
    });
  });

  describe('bodies from the token holder', () => {
    const put = (body: string | Buffer, headers: Record<string, string> = {}) => {
      let call = http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '*')
        .set('Content-Type', 'application/json');
      for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
      // As sent: superagent would serialise a Buffer as JSON for a JSON Content-Type.
      return call.serialize((data: unknown) => data as string).send(body as string);
    };

    it('a body nested 40,000 deep: 400, never a 500, nothing written', async () => {
      const deep = `{"stack":"${STACK}","image":"${IMAGE}","x":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
      const res = await put(deep);
      expect(res.status).toBe(400);
      expect((await t.store.get(STACK))?.generation).toBe(1);
    });

    it('a gzip body that inflates past 100 kB: 413, nothing written', async () => {
      const big = JSON.stringify({ stack: STACK, image: IMAGE, environment: { PAD: 'x'.repeat(2_000_000) } });
      const res = await put(gzipSync(big), { 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(413);
      expect((await t.store.get(STACK))?.generation).toBe(1);
    });

    it.each([
      [
        '__proto__ at the top',
        `{"stack":"${STACK}","image":"${IMAGE}","__proto__":{"mode":"fargate"}}`,
        '__proto__',
      ],
      [
        'constructor at the top',
        `{"stack":"${STACK}","image":"${IMAGE}","constructor":{"x":1}}`,
        'constructor',
      ],
      [
        '__proto__ in environment',
        `{"stack":"${STACK}","image":"${IMAGE}","environment":{"__proto__":"x"}}`,
        'environment',
      ],
      [
        '__proto__ in fargate',
        `{"stack":"${STACK}","image":"${IMAGE}","fargate":{"__proto__":{"cpu":99}}}`,
        'fargate',
      ],
      ['a huge number', `{"stack":"${STACK}","image":"${IMAGE}","fargate":{"maxTasks":1e400}}`, 'maxTasks'],
      [
        'a fractional count',
        `{"stack":"${STACK}","image":"${IMAGE}","fargate":{"minTasks":1.5}}`,
        'minTasks',
      ],
      ['a unicode stack name', `{"stack":"shоp","image":"${IMAGE}"}`, 'stack'],
      ['a number for the image', `{"stack":"${STACK}","image":5}`, 'image'],
      ['an array for the body', `[{"stack":"${STACK}","image":"${IMAGE}"}]`, ''],
      ['null for the body', 'null', ''],
    ])('%s: 400 naming the field, nothing written', async (_name, body, field) => {
      const before = (await t.store.get(STACK))!.spec;
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors ?? res.body.message)).toContain(field);
      const record = await t.store.get(STACK);
      expect(record?.generation).toBe(1);
      expect(record?.spec).toEqual(before);
    });
  });
});
