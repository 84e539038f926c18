/**
 * The local sandbox (`npm start`): LambdaFlex with no AWS. dynalite and the simulated account live under
 * `.lambdaflex/`; each tick advances the simulated clock by the real time passed times `speed` and runs
 * one reconciler pass over every stack, as the every-minute schedule does in AWS; the service serves
 * /docs, /stack-status and the dashboard. `stop()` saves everything, so the next start carries on.
 */
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAws, type OpenedAws } from '../cli/aws';
import { localPath, serveLocalDynamo, type ServedDynalite } from '../cli/local';
import { oneLine, terminalText } from '../cli/terminal-text';
import { prepareAutoDecide } from '../reconciler/decide/auto-decider';
import { reconcileAll } from '../reconciler/reconcile-all';
import type { ReconcilerOptions } from '../reconciler/reconcile';
import { ALL_RESOURCES } from '../reconciler/resources';
import {
  DEFAULT_TABLE_NAME,
  DynamoStateStore,
  sameRevision,
  StackNotFoundError,
  type SpecRevision,
  type StackRecord,
} from '../reconciler/state';
import { createApp } from '../service/app';
import { DashboardModule } from './dashboard/dashboard.module';
import { SpecChangedError, type DashboardSource, type DashboardState } from './dashboard/dashboard-source';
import { silentLogger } from '../service/logging/request-logger';
import { validateSpec } from '../spec';
import type { Mode } from '../spec/types';
import type { SimAccount } from '../aws-sim/core/account';
import { setStackCapacity, setTraffic, trafficLog } from '../simulation/traffic';
import { demandAt } from '../simulation/traffic/demand';
import { trafficState } from '../simulation/traffic/model';
import { demoStack } from './demo-stack';
import { dnsRefusal } from '../reconciler/state/system-record';
import { localRequestsOnly } from './local-origin';
import { PhaseHistory } from './history';
import { assertPortFree } from './port';
import type { SandboxSettings } from './options';
import { ProgressReporter } from './progress';
import { dashboardView } from './view';

/** The demo's traffic on a first run: well under the scale-up threshold, so it starts on Lambda. */
export const INITIAL_RPS = 2;
/** Saving the account rewrites one JSON file; every few real seconds bounds what a crash loses. */
const SAVE_EVERY_MS = 5_000;
/**
 * A slow pass (a laptop waking up) would otherwise turn into one giant jump of the clock; beyond this many
 * ticks of real time the simulation just runs slower than asked.
 */
const MAX_TICKS_PER_STEP = 5;
/** The sandbox is this process's only reconciler; a fixed holder takes its own lease back after a crash. */
const HOLDER = 'sandbox';

export interface SandboxOptions extends SandboxSettings {
  /** The stack the dashboard shows; default the example's (orders-api). */
  stack?: string;
  /** Console lines; default stdout. */
  print?: (line: string) => void;
  /** Interface the HTTP server binds; default loopback, since the controls have no authentication. */
  host?: string;
}

export interface Sandbox extends DashboardSource {
  /** `http://localhost:<port>` */
  url: string;
  port: number;
  account: SimAccount;
  /** The local table the reconciler works from (for tests and tools in this process). */
  store: DynamoStateStore;
  /** Stops the clock and the passes after the tick under way; `resume` goes on from there. */
  pause(): Promise<void>;
  resume(): void;
  /** Saves the account and the history, closes the server and dynalite. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const write = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  // Lines carry the record's words (problems, reasons, errors), which anyone with the table's rights may
  // have edited: control characters go out as visible escapes, as the CLI's do (cli/terminal-text.ts).
  const print = (line: string) => write(terminalText(line));
  const cleanups: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const cleanup of cleanups.slice().reverse()) await cleanup();
  };
  // Before anything is made: a busy port found at listen() would leave the demo applied and a Nest error.
  await assertPortFree(options.port, options.host ?? '127.0.0.1');
  try {
    const dynamo = await serveLocalDynamo(options.cwd);
    cleanups.push(() => dynamo.stop());
    const aws = openAws({ local: true }, options.cwd);
    return await assemble(options, print, dynamo, aws, cleanups);
  } catch (error) {
    // What did start (dynalite above all, which holds the LevelDB lock) must not outlive a failed start.
    await undo().catch(() => undefined);
    throw error;
  }
}

async function assemble(
  options: SandboxOptions,
  print: (line: string) => void,
  dynamo: ServedDynalite,
  aws: OpenedAws,
  cleanups: (() => Promise<void> | void)[],
): Promise<Sandbox> {
  const account = aws.account!;
  const historyFile = localPath(options.cwd, 'sandbox.json');
  const store = new DynamoStateStore({
    client: dynamo.client,
    tableName: DEFAULT_TABLE_NAME,
    // Leases and timestamps on the simulated clock, like everything else the reconciler sees.
    now: () => account.now(),
  });
  await store.ensureTable();

  const minuteOf = (at: number) => account.minuteAt(at);
  const loaded = PhaseHistory.load(historyFile);
  const history = loaded ?? PhaseHistory.empty();
  const stack = options.stack ?? demoStack(account).stack;
  if (!loaded && !(await store.get(stack))) {
    const demo = demoStack(account);
    // A `lambdaflex --local bootstrap` in this folder keeps the zones the reconciler may write in: a demo
    // outside them would be refused by every pass, and sit in Pending.
    const refusal = dnsRefusal(
      demo.dns,
      await store.getSystemRecord(),
      (rest) => `lambdaflex --local ${rest}`,
    );
    if (refusal) {
      throw new Error(
        `applying the demo stack ${demo.stack}: ${refusal}; nothing was written\n` +
          'run that, or `rm -rf .lambdaflex` to start over, then `npm start` again',
      );
    }
    const record = await store.putSpec(demo);
    setTraffic(account, INITIAL_RPS, { stack });
    print(`first run: applied the demo stack ${record.stack} (mode auto, ${INITIAL_RPS} rps)`);
  }
  // The simulator logs a minute for the stacks it has resources of or a traffic source for. `sim reset`
  // leaves a new account with neither: until the reconciler made the resources again (never, while the
  // spec is refused), the chart had no minute to show. The stack's own source, at the rate it is sent now.
  if (!(stack in trafficState(account).byStack)) {
    setTraffic(account, demandAt(trafficState(account), stack, account.minute()).rps, { stack });
  }
  if (loaded) {
    // `--local` commands may have run passes while the sandbox was stopped: the phases of those minutes
    // come from the record's phase changes, not from the last phase this sandbox saw.
    const lastWatched = loaded.lastMinute();
    if (lastWatched !== undefined) {
      const events = (await store.get(stack))?.events;
      history.recordUnwatched(lastWatched, account.minute(), events, minuteOf);
    }
    const stacks = (await store.list()).map((r) => r.stack);
    const clock = new Date(account.now()).toISOString().slice(0, 16).replace('T', ' ');
    print(
      `carrying on from simulated ${clock} with ${stacks.length} stack(s): ${stacks.join(', ') || 'none'}`,
    );
  }
  await syncCapacity(store, account, stack);

  // Advice names the folder's command (with the sandbox stopped, as --local needs): a pass's and the page's.
  const command = (rest: string) => `lambdaflex --local ${rest}`;
  const reconciler: ReconcilerOptions = {
    store,
    clients: aws.clients,
    region: aws.region,
    kinds: ALL_RESOURCES,
    holder: HOLDER,
    now: () => account.now(),
    monotonic: () => account.now(),
    command,
  };
  const prepareDecide = prepareAutoDecide({ clients: aws.clients, now: () => account.now() });

  const save = () => {
    aws.save();
    history.save(historyFile);
  };

  // The last record seen: once the stack is deleted, the dashboard still has its events and its spec.
  let lastRecord: StackRecord | undefined;
  const source: DashboardSource = {
    state: async () => {
      const record = await store.get(stack);
      if (record) lastRecord = record;
      const lifeFrom = history.lifeStart(record, account.minute(), minuteOf);
      return dashboardView({
        stack,
        record,
        ...(lastRecord ? { lastRecord } : {}),
        log: trafficLog(account, stack),
        history,
        now: account.now(),
        minute: account.minute(),
        startTime: account.startTime,
        speed: options.speed,
        rps: demandAt(trafficState(account), stack, account.minute()).rps,
        // Costs count from the record's first pass: a stack deleted and made again not the old one's.
        ...(lifeFrom !== undefined ? { lifeFrom } : {}),
        command,
      });
    },
    setTraffic: async (rps) => setTraffic(account, rps, { stack }),
    setMode: async (mode: Mode, revision: SpecRevision) => {
      await writeMode(store, stack, mode, revision);
      await syncCapacity(store, account, stack);
    },
  };

  // On AWS the reconciler gives the stack's service its spec's token hash (LAMBDAFLEX_API_TOKEN_SHA256);
  // here the sandbox does, as the spec is at start. Without it /desired-state would stay locked whatever
  // the spec says, and the 403's advice (set api.tokenSha256) could not be followed.
  const tokenSha256 = ((await store.get(stack))?.spec as { api?: { tokenSha256?: unknown } } | undefined)?.api
    ?.tokenSha256;
  const app: INestApplication = await createApp({
    store,
    env: {
      LAMBDAFLEX_STACK: stack,
      LAMBDAFLEX_TABLE: DEFAULT_TABLE_NAME,
      ...(typeof tokenSha256 === 'string' ? { LAMBDAFLEX_API_TOKEN_SHA256: tokenSha256 } : {}),
    },
    // The dashboard polls every second: a JSON line per request would bury the progress lines.
    requestLogger: silentLogger,
    modules: [DashboardModule.forSource(source)],
    // The controls have no token: only this machine's own pages may use them (DNS rebinding, CSRF).
    middleware: [localRequestsOnly(options.host)],
  });
  cleanups.push(() => app.close());
  await app.listen(options.port, options.host ?? '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  // `--local` commands in this folder are refused from now on, sent here by this URL.
  await dynamo.advertise(url);

  const progress = new ProgressReporter(print);
  const loop = new TickLoop(
    options,
    async (simMs) => {
      account.advance(simMs);
      const result = await reconcileAll(reconciler, { prepareDecide });
      for (const error of result.errors) print(`  ${error.stack}: pass failed: ${oneLine(error.message)}`);
      const view = await source.state();
      history.record(account.minute(), view.phase);
      progress.report(view, account.minute());
    },
    save,
    print,
  );
  loop.start();
  cleanups.push(async () => {
    await loop.stop();
    save();
  });

  let stopped: Promise<void> | undefined;
  return {
    ...source,
    url,
    port,
    account,
    store,
    pause: () => loop.pause(),
    resume: () => loop.resume(),
    stop: () =>
      (stopped ??= (async () => {
        // Reverse order of start: the loop stops and saves first, then the server, then dynalite.
        for (const cleanup of cleanups.slice().reverse()) await cleanup();
      })()),
  };
}

/**
 * Sets the mode of the spec at `revision`: the store's write is conditional on that generation of that
 * incarnation, so a status write by the reconciler meanwhile does not fail it, and a spec change or the
 * stack deleted and created again does. The read is only for the rest of the spec, and to name the
 * revision found when it already moved on.
 */
async function writeMode(
  store: DynamoStateStore,
  stack: string,
  mode: Mode,
  revision: SpecRevision,
): Promise<void> {
  const record = await store.get(stack);
  if (!record) throw new StackNotFoundError(stack, { action: 'writing spec' });
  if (!sameRevision(record, revision)) throw new SpecChangedError(stack, revision, record);
  await store.putSpec(
    { ...record.spec, mode },
    { expectedGeneration: revision.generation, expectedIncarnation: revision.incarnation },
  );
}

/** The traffic model serves `targetRequestsPerTask` per healthy task: taken from the spec on every change. */
async function syncCapacity(store: DynamoStateStore, account: SimAccount, stack: string): Promise<void> {
  const record = await store.get(stack);
  const validation = record ? validateSpec(record.spec) : undefined;
  if (validation?.ok) setStackCapacity(account, stack, validation.spec.fargate.targetRequestsPerTask);
}

/**
 * Runs `step` every `tickMs` of real time, never two at once, each with the simulated time that passed
 * since the last one; saves every SAVE_EVERY_MS. A failing step is printed and the loop goes on.
 */
class TickLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private paused = false;
  private lastTick = Date.now();
  private lastSave = Date.now();

  constructor(
    private readonly settings: Pick<SandboxSettings, 'speed' | 'tickMs'>,
    private readonly step: (simMs: number) => Promise<void>,
    private readonly save: () => void,
    private readonly print: (line: string) => void,
  ) {}

  start(): void {
    this.schedule(this.settings.tickMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async pause(): Promise<void> {
    this.paused = true;
    clearTimeout(this.timer);
    await this.running;
  }

  resume(): void {
    if (!this.paused || this.stopping) return;
    this.paused = false;
    // The time paused does not count: the simulated clock goes on from where it stopped.
    this.lastTick = Date.now();
    this.schedule(this.settings.tickMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopping || this.paused) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    const realMs = Math.min(started - this.lastTick, this.settings.tickMs * MAX_TICKS_PER_STEP);
    this.lastTick = started;
    try {
      await this.step(Math.round(realMs * this.settings.speed));
      if (Date.now() - this.lastSave >= SAVE_EVERY_MS) {
        this.save();
        this.lastSave = Date.now();
      }
    } catch (error) {
      this.print(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.schedule(Math.max(0, this.settings.tickMs - (Date.now() - started)));
  }
}

export type { DashboardState };
