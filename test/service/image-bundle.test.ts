/**
 * The files the image runs are the bundles of scripts/bundle-service.mjs, not the sources the other service
 * tests load. This test builds them the way `npm run build` does, into a directory laid out like the image's
 * /var/task (dist/image/ beside node_modules), and runs each in its own node process: the Lambda handler
 * against the recorded events, and the HTTP server over a socket.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startServerProcess } from './server-process';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Answer {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

describe('the image bundles (dist/image)', () => {
  let taskRoot: string;
  let image: string;

  beforeAll(async () => {
    taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-image-'));
    image = path.join(taskRoot, 'dist', 'image');
    // The packages the bundles leave outside resolve from here, as from /var/task/node_modules in the image.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(taskRoot, 'node_modules'), 'dir');
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'bundle-service.mjs'), image], {
      cwd: ROOT,
    });
  }, 120_000);
  afterAll(() => fs.rmSync(taskRoot, { recursive: true, force: true }));

  /** Invokes dist/image/lambda.js's handler once per event, in a fresh node, and returns the answers. */
  async function invoke(events: unknown[], env: NodeJS.ProcessEnv = {}): Promise<Answer[]> {
    const script = `
      const { handler } = require(${JSON.stringify(path.join(image, 'lambda.js'))});
      const events = JSON.parse(process.argv[1]);
      const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 30000 };
      (async () => {
        const answers = [];
        for (const event of events) answers.push(await handler(event, context));
        process.stdout.write('ANSWERS ' + JSON.stringify(answers) + '\\n');
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(events)], {
      cwd: taskRoot,
      env: { PATH: process.env.PATH, LAMBDAFLEX_STACK: 'shop', NODE_ENV: 'production', ...env },
    });
    const line = stdout.split('\n').find((l) => l.startsWith('ANSWERS '));
    if (!line) throw new Error(`no answers in:\n${stdout}`);
    return JSON.parse(line.slice('ANSWERS '.length)) as Answer[];
  }

  const fixture = (name: string): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;

  /** The recorded API Gateway GET, sent to another path. */
  function apiGatewayGet(rawPath: string): Record<string, unknown> {
    const event = fixture('apigw-v2-get-health');
    const context = event.requestContext as { http: Record<string, unknown> };
    return {
      ...event,
      rawPath,
      rawQueryString: '',
      queryStringParameters: undefined,
      requestContext: { ...context, http: { ...context.http, path: rawPath } },
    };
  }

  it('has the Lambda handler answer API Gateway and ALB events, base64 bodies included', async () => {
    const [health, created, listed, favicon] = await invoke([
      fixture('apigw-v2-get-health'),
      fixture('apigw-v2-post-items-base64'),
      fixture('alb-get-items'),
      fixture('apigw-v2-get-favicon'),
    ]);
    expect(health).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(JSON.parse(health?.body ?? '')).toEqual({ status: 'ok' });
    expect(health?.headers?.['x-request-id']).toBe('apigw-req-1');
    // Validated by the item schema, then kept in memory: the next call lists it.
    expect(created?.statusCode).toBe(201);
    expect(JSON.parse(created?.body ?? '')).toMatchObject({ name: 'teapot', price: 12.5 });
    expect(listed?.statusCode).toBe(200);
    expect(JSON.parse(listed?.body ?? '')).toEqual([expect.objectContaining({ name: 'teapot' })]);
    expect(favicon).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    // Typed from its extension: mime-db, left out of the cold start, is loaded for this lookup.
    expect(favicon?.headers?.['content-type']).toBe('image/png');
  }, 60_000);

  it('serves the OpenAPI document and the Swagger UI from the bundle', async () => {
    const [json, ui] = await invoke([apiGatewayGet('/docs-json'), apiGatewayGet('/docs')]);
    expect(json?.statusCode).toBe(200);
    const paths = Object.keys((JSON.parse(json?.body ?? '{}') as { paths: object }).paths).sort();
    expect(paths).toEqual(['/desired-state', '/health', '/items', '/items/{id}', '/stack-status']);
    expect(ui?.statusCode).toBe(200);
    expect(ui?.body).toMatch(/swagger-ui/i);
  }, 60_000);

  it('answers 415 to a urlencoded body through the Lambda adapter, before any route reads it', async () => {
    const event = fixture('apigw-v2-post-items-base64') as { headers: Record<string, string> };
    const [answer] = await invoke([
      {
        ...event,
        headers: { ...event.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=teapot&price=12.5&tags[0]=kitchen',
        isBase64Encoded: false,
      },
    ]);
    expect(answer?.statusCode).toBe(415);
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ error: 'Unsupported Media Type' });
  }, 60_000);

  it('validates a PUT /desired-state body with the spec rules, Ajv loaded from its own file', async () => {
    const token = 'image-bundle-token';
    const event = apiGatewayGet('/desired-state') as {
      headers: Record<string, string>;
      requestContext: { http: Record<string, unknown> };
    };
    const [answer] = await invoke(
      [
        {
          ...event,
          headers: {
            ...event.headers,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'if-match': '"1"',
          },
          requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'PUT' } },
          body: JSON.stringify({ stack: 'shop', image: 'nginx:1.27', mode: 'sometimes' }),
          isBase64Encoded: false,
        },
      ],
      { LAMBDAFLEX_API_TOKEN_SHA256: createHash('sha256').update(token).digest('hex') },
    );
    expect(answer?.statusCode).toBe(400);
    const body = JSON.parse(answer?.body ?? '{}') as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain('mode');
  }, 60_000);

  it('loads the AWS SDK from node_modules when a route reads the table, and answers 503 if it is unreachable', async () => {
    const [status] = await invoke([apiGatewayGet('/stack-status')], {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // Nothing listens on port 9: the store's error must come back as the service's 503, not a 500.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(status?.statusCode).toBe(503);
    // The SDK's own words (the endpoint, the connection error) stay in the log.
    expect(JSON.parse(status?.body ?? '{}')).toMatchObject({
      statusCode: 503,
      message: expect.stringMatching(/^the state store could not be read or written/),
    });
    expect(status?.body).not.toContain('127.0.0.1');
  }, 60_000);

  it('has the HTTP server serve on PORT, log the request, and exit 0 on SIGTERM', async () => {
    const { child, port, output } = startServerProcess([path.join(image, 'main.js')], taskRoot, {
      LAMBDAFLEX_STACK: 'shop',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const res = await request(`http://127.0.0.1:${await port}`)
        .get('/health')
        .set('x-request-id', 'image-1');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('"requestId":"image-1"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
