/**
 * One simulated AWS account and region: every service's state, a virtual clock, seeded ids, rate limits,
 * faults and call counts, all kept as plain JSON so that `save`/`load` can carry it across CLI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallRecorder } from './call-recorder';
import type { ServiceName } from './clients';
import { copyPlain } from '../../util/copy';
import { SimulatedCrashError, simError } from './errors';
import type { FaultConfig } from './faults';
import { InvalidTokenError } from './pagination';
import { dnsSuffixOfRegion, partitionOfRegion } from './partition';
import { createRandomState, nextRandom, randomHex, type RandomState } from './random';
import { bucketsOf, DOCUMENTED_LIMITS, type BucketSpec, type HeldBucket } from './rate-limits';
import { fullBucket, takeToken, tokenWait, type TokenBucketState } from '../../util/token-bucket';
import { MINUTE_MS } from '../../util/time';
import type { InventoryItem, Operation, SimService } from './service';

export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);

export interface SimAccountOptions {
  seed?: number;
  accountId?: string;
  region?: string;
  /** Epoch ms of the virtual clock's start. */
  startTime?: number;
  faults?: FaultConfig;
  /** How long a new resource stays invisible to Describe calls (EC2 eventual consistency). */
  consistencyDelayMs?: number;
  /**
   * 'documented': AWS's published account-wide limits (DOCUMENTED_LIMITS in rate-limits.ts) on top of the
   * services' own buckets. Default: the services' own buckets only.
   */
  rateLimits?: 'documented';
}

/**
 * Something that is not AWS but lives in the account's time, attached by whoever models it (the
 * simulation's traffic and cost meter, simulation/traffic/model.ts): its state is saved with the account,
 * and its `tick` runs at each minute boundary after every service's, so that it sees their state for the
 * minute. The simulated account itself knows nothing of what is attached.
 */
export interface AccountExtension<S> {
  name: string;
  initialState(account: SimAccount): S;
  tick?(state: S, account: SimAccount, minute: number): void;
  /**
   * The extension's state out of an account saved before it was attached as one (kept elsewhere in the
   * saved state then), moved out of `saved`; undefined when `saved` holds none. Asked before
   * `initialState` when the account has no state under the extension's name, so that an older file
   * loads with what it had instead of starting the extension over.
   */
  fromEarlierSave?(saved: AccountState): S | undefined;
}

export interface CallCount {
  service: ServiceName;
  operation: string;
  mutating: boolean;
  count: number;
}

export interface AccountState {
  format: 'lambdaflex-sim/1';
  accountId: string;
  region: string;
  seed: number;
  startTime: number;
  now: number;
  consistencyDelayMs: number;
  ids: RandomState;
  faultRng: RandomState;
  faults: FaultConfig;
  callsSinceFaults: number;
  /** Changes that took effect since the faults were set (absent in accounts saved before it existed). */
  mutatingCallsSinceFaults?: number;
  crashed: boolean;
  calls: Record<string, CallCount>;
  buckets: Record<string, TokenBucketState>;
  /** See SimAccountOptions.rateLimits. */
  rateLimits?: 'documented';
  services: Partial<Record<ServiceName, unknown>>;
  /** The attached extensions' state, by name (absent in accounts saved before extensions existed). */
  extensions?: Record<string, unknown>;
}

type Fail = (
  code: string,
  message: string,
  options?: { fault?: 'client' | 'server'; httpStatusCode?: number },
) => never;

/** A service's operation with the keys and the error thrower its calls use (see `routeOf`). */
interface OperationRoute {
  service: SimService<unknown>;
  operation: Operation<unknown>;
  operationName: string;
  /** Key of `calls`. */
  countKey: string;
  /** Key of `buckets`, and the bucket's spec (none: this operation is not rate limited). */
  bucketKey: string;
  bucket?: BucketSpec;
  /** The service's account-level bucket, which the call takes a token from as well (ELBv2's). */
  account?: HeldBucket;
  fail: Fail;
}

export class SimAccount {
  private data: AccountState;
  /** Set by a test that records every call (aws-sim/core/call-recorder.ts); not part of the saved state. */
  recorder: CallRecorder | undefined;
  private callObserver?: (call: { service: ServiceName; operation: string; index: number }) => void;
  private readonly routes = new Map<ServiceName, Map<string, OperationRoute>>();
  private readonly extensions = new Map<string, AccountExtension<unknown>>();
  /** The services told of every change (`SimService.afterChange`). */
  private readonly changeWatchers: SimService<unknown>[];

  constructor(
    private readonly services: SimService<any>[], // eslint-disable-line @typescript-eslint/no-explicit-any
    options: SimAccountOptions = {},
  ) {
    const seed = options.seed ?? 1;
    const startTime = options.startTime ?? DEFAULT_START_TIME;
    this.data = {
      format: 'lambdaflex-sim/1',
      accountId: options.accountId ?? '123456789012',
      region: options.region ?? 'us-east-1',
      seed,
      startTime,
      now: startTime,
      consistencyDelayMs: options.consistencyDelayMs ?? 2000,
      ids: createRandomState(seed),
      faultRng: createRandomState(options.faults?.seed ?? seed + 1),
      faults: options.faults ?? {},
      callsSinceFaults: 0,
      crashed: false,
      calls: {},
      buckets: {},
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      services: {},
    };
    for (const service of services) this.data.services[service.name] = service.initialState(this);
    this.changeWatchers = services.filter((service) => service.afterChange !== undefined);
  }

  get accountId(): string {
    return this.data.accountId;
  }

  get region(): string {
    return this.data.region;
  }

  get startTime(): number {
    return this.data.startTime;
  }

  /** Virtual time, epoch milliseconds. */
  now(): number {
    return this.data.now;
  }

  /** Minutes since the clock started. */
  minute(): number {
    return this.minuteAt(this.data.now);
  }

  /** The minute (since the clock started) that the virtual time `at` (epoch milliseconds) falls in. */
  minuteAt(at: number): number {
    return Math.floor((at - this.data.startTime) / MINUTE_MS);
  }

  /**
   * Moves the virtual clock forward, stopping at every minute boundary so that per-minute processes
   * (metrics, auto scaling, cost) run in order. Nothing sleeps in real time.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`advance: ms must be a non-negative number, got ${ms}`);
    const end = this.data.now + ms;
    while (this.data.now < end) {
      const nextMinute =
        this.data.startTime + (Math.floor((this.data.now - this.data.startTime) / MINUTE_MS) + 1) * MINUTE_MS;
      const t = Math.min(end, nextMinute);
      this.data.now = t;
      this.refresh();
      if (t === nextMinute) {
        const minute = (t - this.data.startTime) / MINUTE_MS;
        for (const service of this.services) service.tick?.(this.stateOf(service.name), this, minute);
        for (const extension of this.extensions.values())
          extension.tick?.(this.data.extensions?.[extension.name], this, minute);
      }
    }
  }

  /** Brings every service's time-driven state up to now. */
  refresh(): void {
    for (const service of this.services) service.refresh?.(this.stateOf(service.name), this);
  }

  /**
   * Attaches `extension` (once per name; attaching again changes nothing) and returns its state: the saved
   * one when the account was restored with it, else a fresh one.
   */
  attach<S>(extension: AccountExtension<S>): S {
    if (!this.extensions.has(extension.name))
      this.extensions.set(extension.name, extension as AccountExtension<unknown>);
    const states = (this.data.extensions ??= {});
    if (!(extension.name in states))
      states[extension.name] = extension.fromEarlierSave?.(this.data) ?? extension.initialState(this);
    return states[extension.name] as S;
  }

  /** A service's state, for the service itself and for services that depend on it (ECS reads ELBv2's target groups). */
  stateOf<S>(name: ServiceName): S {
    const state = this.data.services[name];
    if (state === undefined) throw new Error(`the simulated account has no ${name} service`);
    return state as S;
  }

  /** A new id such as `vpc-0a1b2c3d4e5f67890`: deterministic for the seed. */
  newId(prefix: string, hexLength = 17): string {
    return `${prefix}${randomHex(this.data.ids, hexLength)}`;
  }

  /** Deterministic random number in [0, 1) from the id stream (for simulated behaviour, not faults). */
  random(): number {
    return nextRandom(this.data.ids);
  }

  /** Whether a resource created at `createdAt` is visible to Describe calls yet (eventual consistency). */
  isVisible(createdAt: number): boolean {
    return this.data.now - createdAt >= this.data.consistencyDelayMs;
  }

  /** `aws`, `aws-cn` or `aws-us-gov`: what the account's ARNs start with. */
  get partition(): string {
    return partitionOfRegion(this.data.region);
  }

  /** What the region's endpoints and AWS-made host names end in (`amazonaws.com.cn` in China). */
  get dnsSuffix(): string {
    return dnsSuffixOfRegion(this.data.region);
  }

  arn(service: string, resource: string, options: { region?: boolean; account?: boolean } = {}): string {
    const region = options.region === false ? '' : this.data.region;
    const account = options.account === false ? '' : this.data.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  get faults(): FaultConfig {
    return this.data.faults;
  }

  /** Replaces the faults; crash counting starts again from zero. */
  setFaults(faults: FaultConfig): void {
    this.data.faults = faults;
    this.data.callsSinceFaults = 0;
    this.data.mutatingCallsSinceFaults = 0;
    if (faults.seed !== undefined) this.data.faultRng = createRandomState(faults.seed);
  }

  /**
   * Runs `work` with no fault injected, then puts the faults back as they were (crash counting and the
   * fault stream go on where they stopped): for a test's own look at the account between passes.
   */
  async withoutFaults<T>(work: () => Promise<T>): Promise<T> {
    const saved = this.data.faults;
    this.data.faults = {};
    try {
      return await work();
    } finally {
      this.data.faults = saved;
    }
  }

  /**
   * Called after every call that took effect (before a crash fault ends the caller), with the number of
   * calls since the faults were set: a test can save the account as each call left it (`toJSON`) and
   * start crash cases from there instead of replaying every call before.
   */
  observeCalls(
    observer: ((call: { service: ServiceName; operation: string; index: number }) => void) | undefined,
  ): void {
    this.callObserver = observer;
  }

  /** After a simulated crash: the caller's process "starts again"; the crash fault is cleared. */
  restart(): void {
    this.data.crashed = false;
    const {
      crashAfterCalls: _cleared,
      crashAfterMutatingCalls: _alsoCleared,
      crashAfterOperation: _clearedToo,
      ...rest
    } = this.data.faults;
    this.data.faults = rest;
    this.data.callsSinceFaults = 0;
    this.data.mutatingCallsSinceFaults = 0;
  }

  /** Real milliseconds the injected latency fault adds to every call (0: none). */
  get latencyMs(): number {
    return this.data.faults.latencyMs ?? 0;
  }

  get crashed(): boolean {
    return this.data.crashed;
  }

  /** Handles one SDK call; used by the middleware in aws-sim/core/middleware.ts. */
  async call(
    serviceName: ServiceName,
    operationName: string,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const latency = this.latencyMs;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    return this.callNow(serviceName, operationName, input);
  }

  /**
   * Handles one SDK call at once, without the injected latency: the middleware's path when there is none
   * (one promise fewer per call than `call`).
   */
  callNow(
    serviceName: ServiceName,
    operationName: string,
    input: Record<string, unknown>,
  ): Record<string, unknown> {
    if (this.data.crashed)
      throw new SimulatedCrashError(this.data.callsSinceFaults, this.data.mutatingCallsSinceFaults);
    const route = this.routeOf(serviceName, operationName);
    const { service, operation, fail } = route;
    this.count(route);

    this.injectFaults(service, fail);
    this.limitRate(route);
    if (operation.required) {
      for (const member of operation.required) {
        if (input[member] === undefined || input[member] === null || input[member] === '') {
          fail(service.validationErrorCode, `The request must contain the parameter ${member}`);
        }
      }
    }

    let output: Record<string, unknown> | void;
    try {
      output = operation.handle(input, {
        account: this,
        state: this.stateOf(serviceName),
        now: this.data.now,
        fail,
      });
    } catch (error) {
      if (error instanceof InvalidTokenError) fail(service.validationErrorCode, error.message);
      throw error;
    }

    if (operation.mutating) {
      this.data.mutatingCallsSinceFaults = (this.data.mutatingCallsSinceFaults ?? 0) + 1;
      for (const watcher of this.changeWatchers) watcher.afterChange!(this.stateOf(watcher.name), this);
    }
    this.callObserver?.({
      service: serviceName,
      operation: operationName,
      index: this.data.callsSinceFaults,
    });
    const crashAfter = this.data.faults.crashAfterCalls;
    const crashAfterChanges = this.data.faults.crashAfterMutatingCalls;
    const crashOperation = this.data.faults.crashAfterOperation;
    if (
      (crashAfter !== undefined && this.data.callsSinceFaults >= crashAfter) ||
      (crashAfterChanges !== undefined && (this.data.mutatingCallsSinceFaults ?? 0) >= crashAfterChanges) ||
      crashOperation === operationName
    ) {
      // The call took effect in the account; the caller never hears of it, as when a Lambda dies mid-call.
      this.data.crashed = true;
      throw new SimulatedCrashError(this.data.callsSinceFaults, this.data.mutatingCallsSinceFaults);
    }
    if (this.data.faults.error5xxAfterOperation === operationName) {
      // Took effect, and the answer is a server error: once (the SDK's retry is a new request).
      const { error5xxAfterOperation: _once, ...rest } = this.data.faults;
      this.data.faults = rest;
      fail(
        service.name === 'ec2' ? 'InternalError' : 'ServiceUnavailable',
        'Service unavailable after the request took effect (injected fault)',
        { fault: 'server', httpStatusCode: 503 },
      );
    }
    // A caller changing what it was given must not change the account: services that build fresh answers
    // say so; any other answer is copied (it may hold parts of the records).
    if (service.freshAnswers) return output ?? {};
    return copyPlain(output ?? {});
  }

  /** What every call of an operation needs, worked out on its first call rather than on each. */
  private routeOf(serviceName: ServiceName, operationName: string): OperationRoute {
    let routes = this.routes.get(serviceName);
    if (!routes) {
      routes = new Map();
      this.routes.set(serviceName, routes);
    }
    let route = routes.get(operationName);
    if (!route) {
      const service = this.services.find((s) => s.name === serviceName);
      const operation = service?.operations[operationName];
      if (!service || !operation) {
        throw new Error(`the simulated AWS does not implement ${serviceName}:${operationName}`);
      }
      const documented = this.data.rateLimits === 'documented' ? DOCUMENTED_LIMITS[serviceName] : undefined;
      const { own, account } = bucketsOf(service, operationName, documented);
      route = {
        service,
        operation,
        operationName,
        countKey: `${serviceName}:${operationName}`,
        bucketKey: own.key,
        bucket: own.spec,
        ...(account ? { account } : {}),
        fail: (code, message, options) => {
          throw simError(serviceName, code, message, options);
        },
      };
      routes.set(operationName, route);
    }
    return route;
  }

  private count(route: OperationRoute): void {
    const entry = (this.data.calls[route.countKey] ??= {
      service: route.service.name,
      operation: route.operationName,
      mutating: route.operation.mutating,
      count: 0,
    });
    entry.count += 1;
    this.data.callsSinceFaults += 1;
  }

  private injectFaults(service: SimService<unknown>, fail: Fail): void {
    const { throttle = 0, error5xx = 0 } = this.data.faults;
    if (throttle > 0 && nextRandom(this.data.faultRng) < throttle) {
      fail(service.throttlingErrorCode, 'Rate exceeded (injected fault)', { httpStatusCode: 400 });
    }
    if (error5xx > 0 && nextRandom(this.data.faultRng) < error5xx) {
      fail(
        service.name === 'ec2' ? 'InternalError' : 'ServiceUnavailable',
        'Service unavailable (injected fault)',
        {
          fault: 'server',
          httpStatusCode: 503,
        },
      );
    }
  }

  private limitRate(route: OperationRoute): void {
    const buckets = [
      ...(route.bucket ? [{ key: route.bucketKey, spec: route.bucket }] : []),
      ...(route.account ? [route.account] : []),
    ];
    if (buckets.length === 0) return;
    const now = this.data.now;
    const held = buckets.map(({ key, spec }) => ({
      spec,
      state: (this.data.buckets[key] ??= fullBucket(spec, now)),
    }));
    // Throttled when any of its buckets is empty; it then takes a token from none of them.
    if (held.some(({ state, spec }) => tokenWait(state, spec, now) > 0)) {
      route.fail(route.service.throttlingErrorCode, 'Rate exceeded', { httpStatusCode: 400 });
    }
    for (const { state, spec } of held) takeToken(state, spec, now);
  }

  /** Every call so far, by service and operation. */
  callCounts(): CallCount[] {
    return Object.values(this.data.calls).map((c) => ({ ...c }));
  }

  resetCallCounts(): void {
    this.data.calls = {};
  }

  /** Every resource in the account, with its CloudFormation type, id and tags. */
  inventory(): InventoryItem[] {
    return this.services.flatMap((service) => service.inventory?.(this.stateOf(service.name), this) ?? []);
  }

  /**
   * A deep copy of the state. The state is plain JSON (what `save` writes), so copyPlain does what
   * structuredClone did at a quarter of the cost; the crash sweep takes one after every call.
   */
  toJSON(): AccountState {
    return copyPlain(this.data);
  }

  save(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}`;
    // Write then rename, so that a crash mid-save never leaves a half-written account.
    fs.writeFileSync(temporary, JSON.stringify(this.data));
    fs.renameSync(temporary, file);
  }

  /**
   * Makes this account another region of `other`'s account: the global services (IAM) share one state,
   * so a role made in one region is seen, and can be deleted, from the other. Saved accounts do not keep
   * the link (each file holds its own copy).
   */
  shareGlobalServices(other: SimAccount): void {
    if (other.accountId !== this.accountId) {
      throw new Error(`regions of one account need one account id (${other.accountId} ≠ ${this.accountId})`);
    }
    for (const service of this.services) {
      if (service.global) this.data.services[service.name] = other.stateOf(service.name);
    }
  }

  /** Replaces this account's state with a saved one (from `toJSON` or `save`). */
  restore(state: AccountState): void {
    if (state?.format !== 'lambdaflex-sim/1')
      throw new Error('not a LambdaFlex simulated account (format lambdaflex-sim/1)');
    this.data = copyPlain(state);
    // The saved account may enforce other limits: routes are worked out again.
    this.routes.clear();
    for (const service of this.services) this.data.services[service.name] ??= service.initialState(this);
    for (const extension of this.extensions.values()) this.attach(extension);
  }

  load(file: string): void {
    this.restore(JSON.parse(fs.readFileSync(file, 'utf8')) as AccountState);
  }
}
