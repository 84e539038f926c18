/**
 * The shared image's costs, measured on loopback against what the image runs (`npm run build`: the bundles
 * in dist/image/, and tsc's dist/service/ for the pieces the warm loop and the bare server borrow):
 *
 * 1. Cold start: a new node process that loads dist/image/lambda.js and answers one API Gateway event,
 *    from spawn to the answer on its stdout. Node's own start (an empty script) is shown beside it.
 *    Target: under 300 ms.
 * 2. Warm overhead: one invocation of the Lambda handler against the same Nest app asked over HTTP
 *    (keep-alive, sequential), as a ratio.
 * 3. Throughput: dist/image/main.js (what Fargate runs) against a bare Express app, the platform Nest runs
 *    on here (@nestjs/platform-express), under autocannon. Target: the framework costs under 30 %.
 *    The comparison isolates Nest: both answer GET /health with the same body and headers, both log every
 *    request (the service's own middleware, one JSON line to stdout, discarded by the bench), both send
 *    the service's security headers and parse bodies as it does, and Express's x-powered-by is off in both. A bare node:http server
 *    is shown too, for information: it does none of that, so its gap is Express and logging as well.
 *
 * Bounded: a few process starts, two short warm loops and 3 × 3 load runs of 3 seconds.
 * Medians of alternating runs, because these machines are shared: read the ratios, not the absolutes.
 */
import autocannon from 'autocannon';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'service');
const IMAGE = path.join(ROOT, 'dist', 'image');
const FIXTURE = path.join(ROOT, 'test', 'service', 'fixtures', 'apigw-v2-get-health.json');
const COLD_RUNS = 5;
const WARM_REQUESTS = 2_000;
const LOAD_SECONDS = 3;
/** Load runs alternate between the two servers, so that drift in a shared machine's load hits both alike. */
const LOAD_ROUNDS = 3;
const CONNECTIONS = 10;
const COLD_START_TARGET_MS = 300;
const FRAMEWORK_COST_TARGET = 0.3;

const BUILT = [path.join(IMAGE, 'lambda.js'), path.join(IMAGE, 'main.js'), path.join(DIST, 'app.js')];

/** The benchmark measures what ships, so it needs the build; a peer's type error must not stop it. */
function ensureBuild(): void {
  if (BUILT.every((file) => fs.existsSync(file))) return;
  console.log('dist/ incomplete: running npm run build (tsc, then the image bundles) first');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    // tsc reports a peer's type error but still emits; the bundles are then built on their own.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-service.mjs')], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    if (!BUILT.every((file) => fs.existsSync(file)))
      throw new Error(`npm run build did not produce ${BUILT.join(', ')}`);
    console.log('npm run build reported errors (see `npm run build`), but emitted the service');
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Milliseconds from spawn to the first stdout line containing `marker`. */
function timeToLine(args: string[], marker: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) {
        resolve(Number(process.hrtime.bigint() - started) / 1e6);
        child.kill();
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before answering:\n${out}`)));
  });
}

const lambdaContext = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

async function coldStart(): Promise<{ handlerMs: number; nodeMs: number }> {
  const invoke = [
    '-e',
    `const { handler } = require(${JSON.stringify(path.join(IMAGE, 'lambda.js'))});
     const event = JSON.parse(require('fs').readFileSync(${JSON.stringify(FIXTURE)}, 'utf8'));
     handler(event, ${JSON.stringify(lambdaContext)}).then((r) => process.stdout.write('ANSWER ' + r.statusCode + '\\n'));`,
  ];
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', LAMBDAFLEX_STACK: 'bench' };
  const handlerMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    nodeMs.push(await timeToLine(['-e', "process.stdout.write('ANSWER\\n')"], 'ANSWER', env));
    handlerMs.push(await timeToLine(invoke, 'ANSWER 200', env));
  }
  return { handlerMs: median(handlerMs), nodeMs: median(nodeMs) };
}

async function warmOverhead(): Promise<{ handlerUs: number; httpUs: number }> {
  // Loaded from dist like the cold start, so both measure the same compiled code.
  const { createApp } = (await import(path.join(DIST, 'app.js'))) as typeof import('../service/app');
  const { createHandler } = (await import(
    path.join(DIST, 'lambda-handler.js')
  )) as typeof import('../service/lambda-handler');
  const { silentLogger } = (await import(
    path.join(DIST, 'logging', 'request-logger.js')
  )) as typeof import('../service/logging/request-logger');
  const app = await createApp({
    env: { LAMBDAFLEX_STACK: 'bench' },
    requestLogger: silentLogger,
    nestLogLevels: false,
  });
  const handler = createHandler(async () => app);
  const event = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  const timeLoop = async (once: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 200; i++) await once(); // warm-up: JIT and caches
    const started = process.hrtime.bigint();
    for (let i = 0; i < WARM_REQUESTS; i++) await once();
    return Number(process.hrtime.bigint() - started) / 1e3 / WARM_REQUESTS;
  };
  const handlerUs = await timeLoop(() => handler(structuredClone(event), lambdaContext));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer() as http.Server).address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<void> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: port.port, path: '/health', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject);
    });
  const httpUs = await timeLoop(get);
  agent.destroy();
  await app.close();
  return { handlerUs, httpUs };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function untilHealthy(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/health' }, (res) => resolve(res.statusCode === 200))
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answered on port ${port}`);
}

interface Server {
  url: string;
  stop: () => void;
}

/** Starts a server as its own process and waits until it answers; its stdout is ignored (it still logs). */
async function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    await untilHealthy(port);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/health`, stop: () => child.kill() };
}

/** Requests per second, median of LOAD_ROUNDS runs per server, the servers taking turns. */
async function throughput(servers: Server[]): Promise<number[]> {
  const rates: number[][] = servers.map(() => []);
  for (const server of servers) await autocannon({ url: server.url, connections: CONNECTIONS, duration: 1 }); // warm-up
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    for (const [i, server] of servers.entries()) {
      const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: LOAD_SECONDS });
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(`${server.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      }
      rates[i]?.push(result.requests.average);
    }
  }
  return rates.map(median);
}

/**
 * The platform alone, set up as the service sets Express up (see app.ts): x-powered-by off, the service's
 * request-log middleware writing the same JSON line to stdout, its security headers and its JSON-only body
 * parser; then GET /health answered with the same body through res.json, as Nest's Express adapter does.
 */
const BARE_EXPRESS = `const express = require('express');
const { requestLogMiddleware } = require(${JSON.stringify(path.join(DIST, 'logging', 'request-log.middleware.js'))});
const { JsonLineLogger } = require(${JSON.stringify(path.join(DIST, 'logging', 'request-logger.js'))});
const { securityHeaders } = require(${JSON.stringify(path.join(DIST, 'security', 'security-headers.js'))});
const { jsonBodyOnly } = require(${JSON.stringify(path.join(DIST, 'security', 'json-body.js'))});
const app = express();
app.disable('x-powered-by');
app.use(requestLogMiddleware(new JsonLineLogger()));
app.use(securityHeaders());
app.use(jsonBodyOnly());
app.get('/health', (req, res) => res.status(200).json({ status: 'ok' }));
app.listen(Number(process.env.PORT), '127.0.0.1');`;

/** For information only: no router, no logging, no body parsing. */
const BARE_NODE_HTTP = `require('http').createServer((req, res) => {
  const body = JSON.stringify({ status: 'ok' });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');`;

export default async function serviceBench(): Promise<void> {
  ensureBuild();
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', LAMBDAFLEX_STACK: 'bench' };

  const cold = await coldStart();
  const warm = await warmOverhead();
  const servers = [
    await startServer([path.join(IMAGE, 'main.js')], env),
    await startServer(['-e', BARE_EXPRESS], env),
    await startServer(['-e', BARE_NODE_HTTP], env),
  ];
  let nest: number;
  let bare: number;
  let nodeHttp: number;
  try {
    [nest = NaN, bare = NaN, nodeHttp = NaN] = await throughput(servers);
  } finally {
    servers.forEach((s) => s.stop());
  }
  const cost = 1 - nest / bare;

  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.table([
    {
      measure: 'cold start: spawn → first Lambda answer (median)',
      value: `${cold.handlerMs.toFixed(0)} ms`,
      baseline: `node alone ${cold.nodeMs.toFixed(0)} ms`,
      ratio: (cold.handlerMs / cold.nodeMs).toFixed(2),
      target: `< ${COLD_START_TARGET_MS} ms: ${verdict(cold.handlerMs < COLD_START_TARGET_MS)}`,
    },
    {
      measure: 'warm request: Lambda handler vs same app over HTTP',
      value: `${warm.handlerUs.toFixed(0)} µs`,
      baseline: `HTTP ${warm.httpUs.toFixed(0)} µs`,
      ratio: (warm.handlerUs / warm.httpUs).toFixed(2),
      target: 'informational',
    },
    {
      measure: `throughput: Nest main.js vs bare Express (${CONNECTIONS} conns, median of ${LOAD_ROUNDS})`,
      value: `${nest.toFixed(0)} req/s`,
      baseline: `bare ${bare.toFixed(0)} req/s`,
      ratio: (nest / bare).toFixed(2),
      target: `cost < ${FRAMEWORK_COST_TARGET * 100} % (is ${(cost * 100).toFixed(0)} %): ${verdict(cost < FRAMEWORK_COST_TARGET)}`,
    },
    {
      measure: 'throughput: Nest main.js vs bare node:http (no router, no logs)',
      value: `${nest.toFixed(0)} req/s`,
      baseline: `node:http ${nodeHttp.toFixed(0)} req/s`,
      ratio: (nest / nodeHttp).toFixed(2),
      target: 'informational',
    },
  ]);
}
