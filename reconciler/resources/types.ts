/**
 * The contract every AWS resource kind implements (docs/design.md, code rules 1–4): the same verbs for all, a pure
 * description of what should exist, a finder that turns "not found" into `undefined`, and its error codes
 * as data. The engine (reconciler/engine/) decides what to call; a kind never calls another kind.
 *
 * The words: a *kind* is an AWS resource type (`AWS::EC2::Subnet`), written once in its file with the
 * same verbs; a `ManagedResource` is one resource of a stack, named by its `key` (also its
 * `lambdaflex:component` tag), with what the engine needs to find, create, update and delete it: two
 * subnets are two `ManagedResource`s made by one kind's factory (`subnetResource('a')`). `neededBy(spec)`
 * says whether the spec needs the resource at all; `desiredAttributes(...)` what it should look like.
 */
import type { ServiceName, AwsClients } from '../aws/clients';
import type { DesiredState, Tier } from '../../spec/types';
import type { Intent } from './intent';
import type { ExtraByKey, ExtraOf, ResourceKey } from './keys';

/**
 * What the finder saw, normalised so that `attributes` compare equal to `desiredAttributes` when nothing
 * changed. `E` is the shape of its `extra`, which only its kind writes (`ExtraByKey`, resources/keys.ts).
 */
export interface ObservedResource<E = unknown> {
  key: string;
  /** CloudFormation type name, e.g. AWS::EC2::VPC. */
  type: string;
  id: string;
  arn?: string;
  /**
   * For a kind whose `id` is a name a resource made later under it has again (not `idsNeverReused`): what
   * AWS gives this resource alone (an IAM role's RoleId, an ECS service's creation time). One found at the
   * recorded name with another is not the one recorded, and a resource the stack forgot is taken back
   * only with it too (engine/ownership-proof.ts, ownership.ts).
   */
  uniqueId?: string;
  /** AWS's own state word where it has one (provisioning, active, ACTIVE, DRAINING, …). */
  state?: string;
  tags: Record<string, string>;
  /** Normalised attributes that `diff` compares against `desiredAttributes` (only keys present in desired count). */
  attributes: Record<string, unknown>;
  /** Whether dependents may use it (ALB active, service's targets healthy, …) and, if not, why not. */
  ready: boolean;
  notReadyReason?: string;
  /**
   * Not ready yet, and AWS usually makes it ready by then (epoch ms, AWS's clock: its creation time and
   * what docs/aws-facts.md says it takes): a pass that only waits on it comes back then instead of every
   * few seconds. Only a guess: it is looked at again then, and polled as usual once the time has passed.
   */
  readyExpectedAt?: number;
  /**
   * Found by its deterministic name but without this stack's ownership tag (safety rule 3): it is never
   * modified or deleted, and the plan reports the clash instead of creating over it.
   */
  foreign?: boolean;
  /**
   * For a foreign resource, what is in the way, in words, when the kind knows better than "found by name
   * without our tag" (a DNS name whose ownership TXT names another stack): the Conflict condition shows it.
   */
  conflict?: string;
  /**
   * AWS reports that the last change of this resource failed and was undone (an ECS rollout the circuit
   * breaker stopped and rolled back): the plan reports it as a terminal conflict, in these words, instead
   * of making the same change again.
   */
  failed?: string;
  /**
   * Anything else a dependent or the engine needs (ENI ids, DNS name, hosted zone of the ALB, …), in the
   * shape its kind declares in `ExtraByKey` (resources/keys.ts): the kind's verbs read their own typed
   * (`ObservedResource<E>`), others through `ObservedResources` or `extraOf(resources, kind)`.
   */
  extra?: E;
  /**
   * Other resources found under the same key (a create whose answer was lost, or someone's copy of our
   * tags). The finder puts the one the stack recorded first; the engine proves each of the others ours
   * (deleted) or foreign (reported, left alone). Built by the finder with what deleting them needs.
   */
  duplicates?: ObservedResource<E>[];
  /**
   * For a kind whose updates make a new resource beside the one in use (`updateCreates`): which of the
   * earlier ones the record lists (`OwnershipView.earlier`) are retired (by the stack's update, or by
   * hand). They drop out of the record, which so stays bounded; retired is for good (a deregistered task
   * definition never becomes ACTIVE again), so an observation reused later still tells the truth.
   */
  earlierRetired?: readonly string[];
  /**
   * For such a kind: other resources the finder found carrying the nonce of a journaled create not tied
   * to an id (two registrations whose answers were both lost), oldest first. The ledger remembers each
   * among the earlier ones, the stack's to retire, when the nonce is one it journaled.
   */
  earlierFound?: readonly { id: string; nonce: string }[];
}

/**
 * Observed resources by key: a key registered in `ExtraByKey` reads its `extra` in its kind's shape
 * (`refs[RESOURCE_KEYS.loadBalancer]?.extra?.dnsName`), any other key as `unknown`.
 */
export type ObservedResources = { [K in keyof ExtraByKey]?: ObservedResource<ExtraByKey[K]> } & Record<
  string,
  ObservedResource | undefined
>;

/** What the engine tells finders and creates about the stack's ownership records (docs/ownership.md). */
export interface OwnershipView {
  /** Whether the stack recorded this resource (its id, or the nonce among its tags): finders prefer it. */
  isRecorded(key: string, id: string, tags: Readonly<Record<string, string>>): boolean;
  /** What the stack recorded about the resource in use for `key`, if anything (e.g. its locator). */
  recorded(key: string): { id: string; nonce?: string; locator?: Record<string, string> } | undefined;
  /**
   * Whether a create of `key` was journaled and its resource not seen yet (still awaited, or remembered
   * after its window): a finder that looks up the recorded id alone would miss what that create made.
   */
  awaits(key: string): boolean;
  /**
   * For a kind whose updates make a new resource beside the one in use (`updateCreates`: a task
   * definition's revisions), the ones the stack made before it and has not retired yet, oldest first:
   * proven the stack's by this record alone, and the only ones it may retire (absent in unit tests' views:
   * none).
   */
  earlier?(key: string): readonly string[];
  /**
   * Whether the resource carries the nonce of a create or update journaled for `key` and not tied to an
   * id yet (its answer was lost): unlike `isRecorded`, also while another id is recorded, for a kind
   * whose update makes a new resource in place of the recorded one.
   */
  journaled?(key: string, tags: Readonly<Record<string, string>>): boolean;
}

/**
 * What every spec the engine plans for has: the stack it belongs to. A stack's kinds read a
 * `DesiredState`; bootstrap's system kinds only `{ stack: 'lambdaflex-system' }`.
 */
export interface StackSpec {
  readonly stack: string;
}

/** Everything a verb may use: clients, the validated spec, and the resources it depends on. */
export interface ResourceContext<S extends StackSpec = DesiredState> {
  clients: AwsClients;
  spec: S;
  /** Observed (or just created) resources by key; a kind reads only the keys in its `dependsOn`. */
  refs: Readonly<ObservedResources>;
  region: string;
  now(): number;
  /** The pass's decisions and what the stack remembers (resources/intent.ts). */
  intent: Intent;
  /** The stack's ownership records (absent in unit tests: every tagged resource then counts as recorded). */
  ownership?: OwnershipView;
  /**
   * Every ARN the Resource Groups Tagging API listed with the stack's tag just before this observation,
   * when the pass listed them: a finder that looks its resource up by the recorded id learns from it that
   * another resource carries the stack's tags (a copy to report, a duplicate to delete).
   */
  inventory?: readonly string[];
  /**
   * For `create`: the nonce of the intent journaled for this create. Kinds whose `creates` is 'nonce' or
   * 'client-token' tag the resource with it (NONCE_TAG) in the create call itself, or derive the call's
   * client token from it.
   */
  nonce?: string;
  /**
   * For `create` of kinds that make further calls after the create call (any `creates`): called with the
   * new resource's id as soon as AWS answered the create call, before any further call of the create. An
   * error later in the create (a throttled ModifySubnetAttribute, AttachRolePolicy) then does not hide
   * that the resource exists, nor passes for the create's own refusal.
   */
  answered?: (id: string) => void;
}

/**
 * What the engine's callers hand observe and apply to build each verb's context: the context but its
 * `refs` (the engine's) and with the intent optional (DEFAULT_INTENT when absent, resources/intent.ts).
 */
export type BaseContext<S extends StackSpec = DesiredState> = Omit<ResourceContext<S>, 'refs' | 'intent'> & {
  intent?: Intent;
};

/** How lookups of the stack's record name are shared between the tiers (Route 53 relative weights). */
export interface TrafficWeights {
  lambda: number;
  fargate: number;
}

/** Which AWS error codes mean what for this kind (read by reconciler/aws/classify.ts, nowhere else). */
export interface ErrorCodes {
  /** The resource is gone: a finder returns undefined, a delete counts as done. */
  notFound: string[];
  /** Wait and try again (besides the codes every kind retries: throttling, 5xx). */
  retryable: string[];
  /** Will not succeed until the spec changes (besides validation and access errors). */
  terminal: string[];
  /**
   * Codes that are retryable only when AWS's message says so, checked before everything else: AWS reuses
   * one code for a passing condition and a real mistake (ECS's `InvalidParameterException` for an IAM role
   * not yet propagated, or for a target group whose listener is still being created).
   */
  retryableWhen?: readonly MessageRule[];
  /**
   * Retryable codes that say the service is busy with an earlier request (Route 53's
   * PriorRequestNotComplete while it processes a change on the zone), not that this one came too often:
   * retried at the first backoff delay every time, never a growing one, so that a write that moves
   * traffic goes as soon as the earlier change lets it (safety rule 1's rollback).
   */
  busy?: readonly string[];
}

/** An error code plus the message pattern that makes it retryable for this kind. */
export interface MessageRule {
  code: string;
  message: RegExp;
}

export interface AttributeChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** The words of one AWS state field: on its way (`pending`), there (`target`). */
export interface StateWaiter {
  readonly pending: readonly string[];
  readonly target: readonly string[];
}

/**
 * AWS's state words for a kind, as terraform-provider-aws's waiters declare them next to each resource:
 * which states mean "on its way" and which "there". The engine reads `gone.pending`; finders read
 * `ready` through `readyByState` (resources/waiters.ts).
 */
export interface Waiters {
  /** Being made or changed (`pending`) until it is usable (`target`). */
  readonly ready?: StateWaiter;
  /**
   * A change in place is being applied (`pending`) until it is (`target`), on a state field of its own
   * (Lambda's LastUpdateStatus beside its State); any other word there means the change failed.
   */
  readonly updated?: StateWaiter;
  /**
   * AWS is already removing it: the plan waits for it to be gone rather than deleting it again, or
   * creating over it (an ECS service DRAINING).
   */
  readonly gone?: { readonly pending: readonly string[] };
}

/**
 * One resource managed for specs of type `S`, whose finder reports `extra` of shape `E` (its verbs get
 * their own resource typed). A stack's resources (`S` = DesiredState, the default) also name the tier
 * they belong to; bootstrap's system resources (reconciler/bootstrap/) have no tiers. A list of several
 * holds them as `ManagedResource<S>` (`E` = unknown): the engine hands each one back only what its own
 * finder reported.
 */
export type ManagedResource<S extends StackSpec = DesiredState, E = unknown> = ResourceVerbs<S, E> &
  (S extends DesiredState ? { readonly tier: Tier } : unknown);

/**
 * One of a stack's resources (reconciler/resources/): its key and every key it depends on are registered
 * in RESOURCE_KEYS (resources/keys.ts), so a misspelled dependency is a type error, and the shape of its
 * `extra` is the one ExtraByKey registers for its key (`StackResource<typeof RESOURCE_KEYS.service>`), so
 * that its finder and every reader of that key agree. The engine takes any `ManagedResource` (its tests
 * plan fake resources with keys of their own); the graph checks those at build.
 */
export type StackResource<K extends ResourceKey = ResourceKey> = Omit<
  ManagedResource<DesiredState, ExtraOf<K>>,
  'key' | 'dependsOn'
> & {
  readonly key: K;
  readonly dependsOn: readonly ResourceKey[];
};

/** What every kind is, whatever its spec: its place in the graph, its error codes and its verbs. */
export interface ResourceVerbs<S extends StackSpec, E = unknown> {
  /** Unique within a stack: 'vpc', 'subnet-a', 'sg-alb', 'alb', 'listener-http', 'service', … */
  readonly key: string;
  /** CloudFormation type name. */
  readonly type: string;
  readonly service: ServiceName;
  /** Keys this resource needs before it can be created (and that must outlive it when deleting). */
  readonly dependsOn: readonly string[];
  /**
   * The dependencies AWS refuses to delete while this resource exists, each with the attribute of its
   * observation that names it by id (a dotted path into `attributes`; a string or a list of them): a
   * subnet holds its VPC (`{ vpc: 'vpcId' }`: DeleteVpc answers DependencyViolation while a subnet is
   * in it). A finder's miss of such a dependency while this resource, found and proven the stack's by
   * the same pass, names it is a stale or partial read, not a deletion (engine/held-by-dependents.ts).
   * Only references AWS enforces belong here, or that AWS keeps live (a route names its gateway only
   * while the gateway is attached: 'blackhole' after), so that a consistent read never holds what is
   * gone: a task definition names a role AWS lets anyone delete, a target group names its VPC after the
   * VPC is deleted.
   */
  readonly holds?: Readonly<Record<string, string>>;
  /**
   * How strongly a create, update or wait of this resource needs each of `dependsOn` in this pass
   * (absent: 'ready' for all). Pure: it may read the pass's decisions, so that a dependency can hold a
   * step that sends traffic somewhere and only order one that takes traffic away. Deletes always go
   * after everything that depends on the resource is gone, whatever the strength.
   */
  dependencyStrength?(dependency: string, intent: Intent): DependencyStrength;
  readonly errors: ErrorCodes;
  /** Attributes whose change cannot be applied in place (the plan reports it instead of looping). */
  readonly immutable?: readonly string[];
  /**
   * How a steady-state pass learns that the resource is still as the last full observation saw it
   * (engine/observe-inventory.ts). Default 'live'.
   * - 'live': its state moves on its own (task counts, target health, record weights): found every pass.
   * - 'tagged': the Resource Groups Tagging API lists its ARN, so one GetResources call for the whole stack
   *   confirms it is still there; its attributes come from the last full observation.
   * - 'untagged': that API can't see it (IAM roles, rules, routes, permissions): trusted from the last full
   *   observation until the next one (every `fullObserveEveryMs`).
   */
  readonly steadyCheck?: SteadyCheck;
  /**
   * Its create answers with the resource as its finder would see it (every attribute the finder reads,
   * and the tags the create sent, nothing else being able to tag it in between): a pass between tiers
   * leaves the create's answer in the view for the next pass, as if read then, instead of having it
   * found again (engine/transition-view.ts). Only for a kind whose create needs no look-up of its own
   * to be proven the stack's (no `creates`: it lives inside a parent that is) and no second call.
   */
  readonly createAnswersInFull?: true;
  /**
   * AWS answers its create with a state that usually turns ready within seconds (EC2's `pending` VPC and
   * subnet): before the pass gives up the steps that need it ready, it looks at it once more, after every
   * other step it can run has ended (engine/apply.ts). Seen ready and the same resource, they run in this
   * pass instead of a whole pass later; anything else (still pending, not visible yet, a failed look-up)
   * leaves them waiting as before.
   */
  readonly readySoonAfterCreate?: true;
  /**
   * The API action its create calls when AWS throttles that action in a category of its own, too small to
   * cut into a part per execution environment (ELBv2's `CreateLoadBalancer`, one every 5 s for the
   * account): the create step takes its turn in the table's book first (aws/rate-budget.ts `turnFor`),
   * and a turn further off than a pass waits is kept for the stack, which comes back for it.
   */
  readonly createAction?: string;
  /**
   * How a create of this kind is made safe to repeat, and how a resource found later is proven the
   * stack's (docs/ownership.md). Absent: the resource lives inside a parent that is proven (a route in
   * our API, a listener on our ALB) and shares its ownership.
   * - 'nonce': AWS does not deduplicate the create. An intent with a fresh nonce is journaled first, the
   *   create carries the nonce as a tag, and a pass finding the intent without its resource waits out
   *   the consistency window before creating again.
   * - 'client-token': as 'nonce', and the call's client token is derived from the nonce, so that creating
   *   again under a pending intent returns the same resource instead of a second one.
   * - 'name': the create is idempotent by the deterministic name (or fails while the name is taken); the
   *   create carries the intent's nonce as a tag, and what is found by that name is the stack's only with
   *   it (a create whose outcome was unknown may have made nothing, and someone taken the name since).
   */
  readonly creates?: CreateSafety;
  /**
   * AWS keeps one resource of this name at a time (an ECS service in its cluster while ACTIVE or DRAINING),
   * though the create is made safe otherwise (a client token): one found there with copies of the stack's
   * tags takes the name, and the plan reports it instead of creating into AWS's refusal. Kinds whose
   * `creates` is 'name' are so anyway.
   */
  readonly uniqueName?: boolean;
  /**
   * AWS never gives a resource of this kind an id another one had (an EC2 id, an ELBv2 ARN with its random
   * part, a task definition revision, an API id). Only then is a resource the stack forgot after its
   * not-found window taken back by its id and nonce alone when it shows again (engine/ownership.ts): where
   * the id is a name (a role, a function, a cluster's or service's ARN), a resource someone made under the
   * name since, with copies of the stack's tags, nonce included, would pass for it, so such a kind's
   * resource is taken back only with its `uniqueId` too, and not at all by a kind that observes none.
   */
  readonly idsNeverReused?: boolean;
  /**
   * Whether this update makes a new resource in place of the one in use (a task definition's change is a
   * new revision): such an update is journaled like a create (an intent with a nonce first, the nonce in
   * `ctx.nonce` for the call to carry), so that what a pass dying before the answer registered is proven
   * the stack's by the next, not taken for a copy.
   */
  readonly updateCreates?: (changes: readonly AttributeChange[]) => boolean;
  /**
   * How long a resource just created may stay invisible to `find` (the consistency window of
   * engine/ownership.ts, 5 minutes by default for EC2's eventual consistency). A pass does not create
   * again within it.
   */
  readonly visibleWithinMs?: number;
  /** Its states while being made and while being removed (absent: it has no state word that matters). */
  readonly waiters?: Waiters;

  /** Whether this spec needs the resource at all (e.g. the HTTPS listener only with a certificate). Pure. */
  neededBy(spec: S): boolean;
  /**
   * The normalised attributes it should have. Pure; may read dependencies' ids from `refs` and the pass's
   * decisions from `intent` (the weights of the DNS records, the tasks to keep).
   */
  desiredAttributes(spec: S, refs: ResourceContext<S>['refs'], intent: Intent): Record<string, unknown>;
  /** Finds it by its ownership tags (or deterministic name, then checks the tags). Not found → undefined. */
  find(ctx: ResourceContext<S>): Promise<ObservedResource<E> | undefined>;
  /**
   * Looks up again, by its id alone, a resource an earlier pass found and proved the stack's (`seen`), for
   * a step that only names it (a listener forwarding to a target group): AWS's answer for that id, with
   * what one describe by id does not show (the tags, a second call's attributes) taken from `seen`;
   * undefined when AWS has no resource of that id. Never used for a resource a step acts on
   * (engine/transition-view.ts): those are found in full. Absent: found again with `find`.
   */
  findById?(ctx: ResourceContext<S>, seen: ObservedResource<E>): Promise<ObservedResource<E> | undefined>;
  /** Creates it, tagged at creation; for APIs without idempotency the engine has just run `find`. */
  create(ctx: ResourceContext<S>): Promise<ObservedResource<E>>;
  /** Brings an existing resource to `desiredAttributes`; absent when every attribute is create-only. */
  update?(
    ctx: ResourceContext<S>,
    current: ObservedResource<E>,
    changes: AttributeChange[],
  ): Promise<ObservedResource<E>>;
  /**
   * Deletes it; idempotent (already gone is success). May take several passes (retryable errors). Answers
   * nothing, and the engine looks it up again; or, for a kind whose delete leaves what a lookup can't show
   * (a Route 53 change PENDING, whose id only the answer gives), what it left (`DeleteAnswer`).
   */
  delete(ctx: ResourceContext<S>, current: ObservedResource<E>): Promise<void | DeleteAnswer<E>>;
}

/**
 * What a delete left, as its kind's finder would report it with what only the delete's answer knows: the
 * resource still being removed (a Route 53 change whose id the next pass asks about), or undefined when
 * nothing is left. The engine keeps it instead of finding the resource again.
 */
export interface DeleteAnswer<E = unknown> {
  left: ObservedResource<E> | undefined;
}

export type SteadyCheck = 'live' | 'tagged' | 'untagged';

/**
 * What a dependency's step in the same plan means to the dependent's step (engine/plan.ts):
 * - 'ready': the dependent runs only once that step is done (the dependency exists and is ready); a
 *   dependency that is still provisioning, failed or is waited for holds it.
 * - 'order': the dependent runs after that step has ended, however it ended, never at the same time and
 *   never before: it reads what the step made (an id, a DNS name) when there is something to read, and
 *   is not held while the dependency becomes ready.
 */
export type DependencyStrength = 'ready' | 'order';

export type CreateSafety = 'nonce' | 'client-token' | 'name';
