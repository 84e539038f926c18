/**
 * Adversary (security): the API token used over plain HTTP. A stack without `dns` has no certificate, so
 * its Fargate tier's load balancer listens on HTTP only, and `lambdaflex status` gives its URL as the
 * stack's Fargate URL (`http://lf-<stack>-alb-….elb.amazonaws.com`); a stack with `dns` still answers
 * plain HTTP on the load balancer's own name. The load balancer tells the task how the request came in:
 * `X-Forwarded-Proto: http` (Elastic Load Balancing's "HTTP headers and Application Load Balancers").
 *
 * The token reads the spec's `environment` (secrets) and writes the spec (a new image runs with the stack's
 * roles): sent in clear, anyone on the path has it. The service takes it all the same: a client set up
 * with the `http://` URL works, and keeps sending the token in clear, without ever being told. A request
 * that the load balancer says came over plain HTTP should be refused before the token is looked at (as
 * RFC 6750 §5.3 wants bearer tokens only over TLS), with nothing read or written; over HTTPS, and with no
 * such header at all (API Gateway's Lambda tier, the local sandbox), it is served as before.
 */
import request from 'supertest';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import type { StackRecord } from '../../reconciler/state';
import { bearer, buildTestApp, STACK, TOKEN_SHA256, type TestApp } from './support';

/** A GET of `path` with the token, the load balancer saying it came in over `proto`. */
const getWithToken = (http: ReturnType<typeof request>, path: string, proto: string) =>
  http.get(path).set('Authorization', bearer).set('X-Forwarded-Proto', proto);

/** A PUT /desired-state of `body` with the token, over `proto`, if `before` is still the stored spec. */
const putWithToken = (
  http: ReturnType<typeof request>,
  proto: string,
  before: Pick<StackRecord, 'generation' | 'incarnation'>,
  body: object,
) =>
  http
    .put('/desired-state')
    .set('Authorization', bearer)
    .set('X-Forwarded-Proto', proto)
    .set('If-Match', `"${before.generation}.${before.incarnation}"`)
    .send(body);

const spec = {
  stack: STACK,
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1',
  environment: { DATABASE_PASSWORD: 'hunter2-not-for-the-wire' },
  api: { tokenSha256: TOKEN_SHA256 },
};

describe('adversary (security): the API token over plain HTTP behind the load balancer', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
    await t.store.putSpec(spec);
  });
  afterEach(() => t.app.close());

  it('serves GET /desired-state over HTTPS (the load balancer’s X-Forwarded-Proto: https)', async () => {
    const res = await getWithToken(http, '/desired-state', 'https');
    expect(res.status).toBe(200);
    expect(res.body.environment).toEqual(spec.environment);
  });

  it('was DEFECT: a GET /desired-state the load balancer received over plain HTTP (X-Forwarded-Proto: http) was answered with the spec, environment included', async () => {
    const res = await getWithToken(http, '/desired-state', 'http');
    // The refusal itself, not any error: a crash (500) would also leave the secret out.
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^the API takes its bearer token over HTTPS only/);
    expect(JSON.stringify(res.body)).not.toContain('hunter2-not-for-the-wire');
  });

  it('was DEFECT: a PUT /desired-state the load balancer received over plain HTTP was stored', async () => {
    const before = await t.store.get(STACK);
    const res = await putWithToken(http, 'http', before!, {
      ...spec,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:evil',
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^the API takes its bearer token over HTTPS only/);
    expect((await t.store.get(STACK))?.generation).toBe(before!.generation);
  });

  it('serves GET /desired-state without X-Forwarded-Proto (the local sandbox, a caller with no load balancer in front)', async () => {
    const res = await http.get('/desired-state').set('Authorization', bearer);
    expect(res.status).toBe(200);
    expect(res.body.environment).toEqual(spec.environment);
  });

  it('stores a PUT /desired-state over HTTPS', async () => {
    const before = await t.store.get(STACK);
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:2';
    const res = await putWithToken(http, 'https', before!, { ...spec, image });
    expect(res.status).toBe(200);
    expect((await t.store.get(STACK))?.spec.image).toBe(image);
  });
});

/** Every method of the store the app calls, by name, in order. */
function recordingStore(inner: InMemoryStateStore, calls: string[]): InMemoryStateStore {
  return new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('the refusal of the token over plain HTTP: before anything is read, and saying where to go', () => {
  const calls: string[] = [];
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    const inner = new InMemoryStateStore();
    await inner.putSpec(spec);
    calls.length = 0;
    t = await buildTestApp({ AWS_REGION: 'eu-west-1' }, recordingStore(inner, calls));
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  const expectRefusal = (res: request.Response): void => {
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
    const message: string = res.body.message;
    expect(message).toMatch(/^the API takes its bearer token over HTTPS only/);
    // Where to go: the API Gateway URL's form in the service's region, the command that prints it, the dns name.
    expect(message).toContain('https://<api-id>.execute-api.eu-west-1.amazonaws.com');
    expect(message).toContain(`lambdaflex status ${STACK}`);
    expect(message).toContain('https://<dns.recordName>');
    expect(message).toContain('rotate it (api.tokenSha256)');
    // No challenge: a 401 with WWW-Authenticate would have the client send the token again, in clear.
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(calls).toEqual([]);
  };

  it('GET /desired-state: 403 with the message, the store not called', async () => {
    const res = await getWithToken(http, '/desired-state', 'http');
    expectRefusal(res);
    expect(res.headers.etag).toBeUndefined();
  });

  it('PUT /desired-state: 403 with the message, the store neither read nor written', async () => {
    const before = await t.store.get(STACK);
    calls.length = 0;
    const res = await putWithToken(http, 'http', before!, {
      ...spec,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:evil',
    });
    expectRefusal(res);
    expect((await t.store.get(STACK))?.spec).toEqual(before!.spec);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer lf_wrong_0000'],
  ])(
    'with %s: the same 403 (the token is not looked at, so no 401 to tell a guess from the right one)',
    async (_, authorization) => {
      const req = http.get('/desired-state').set('X-Forwarded-Proto', 'http');
      expectRefusal(await (authorization ? req.set('Authorization', authorization) : req));
    },
  );

  it('a locked API (no token hash) answers the plain-HTTP 403 too, so the client learns about HTTPS first', async () => {
    const locked = await buildTestApp({ LAMBDAFLEX_API_TOKEN_SHA256: '' });
    try {
      const res = await getWithToken(request(locked.app.getHttpServer()), '/desired-state', 'http');
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/^the API takes its bearer token over HTTPS only/);
      expect(res.body.message).toContain('https://<api-id>.execute-api.<region>.amazonaws.com');
    } finally {
      await locked.app.close();
    }
  });

  // The ALB replaces the client's X-Forwarded-Proto, so a client cannot pass for HTTPS behind it; a proxy
  // that appends instead, or a value that is neither, is refused rather than trusted.
  it.each(['https, http', 'http, https', 'HTTP', 'ftp', ''])(
    'X-Forwarded-Proto: %j is not HTTPS: refused',
    async (value) => {
      const res = await getWithToken(http, '/desired-state', value);
      expectRefusal(res);
    },
  );

  it('X-Forwarded-Proto: HTTPS in capitals is HTTPS', async () => {
    const res = await getWithToken(http, '/desired-state', 'HTTPS');
    expect(res.status).toBe(200);
  });

  it('GET /health over plain HTTP is served as before (the target group checks it over HTTP)', async () => {
    const res = await http.get('/health').set('X-Forwarded-Proto', 'http');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /stack-status over plain HTTP without a token: the public view, as before', async () => {
    const res = await http.get('/stack-status').set('X-Forwarded-Proto', 'http');
    expect(res.status).toBe(200);
    expect(res.body.stack).toBe(STACK);
    expect(res.body.resources).toBeUndefined();
    expect(res.body.events).toBeUndefined();
  });

  it('GET /stack-status over plain HTTP with a token: the same 403, nothing read, so that its sender learns to stop', async () => {
    const res = await getWithToken(http, '/stack-status', 'http');
    expectRefusal(res);
  });

  it('GET /stack-status over HTTPS with the token: the full view, as before', async () => {
    const res = await getWithToken(http, '/stack-status', 'https');
    expect(res.status).toBe(200);
    expect(res.body.resources).toEqual({});
    expect(res.body.events).toEqual(expect.any(Array));
  });

  it('/docs-json lists the 403 of both routes with the plain-HTTP refusal', async () => {
    const res = await http.get('/docs-json').expect(200);
    for (const operation of [
      res.body.paths['/desired-state'].get,
      res.body.paths['/desired-state'].put,
      res.body.paths['/stack-status'].get,
    ]) {
      expect(operation.responses['403'].description).toContain('over plain HTTP (X-Forwarded-Proto: http)');
    }
  });
});
