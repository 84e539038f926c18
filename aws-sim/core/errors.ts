/**
 * Errors the simulated AWS throws: the SDK's own exception classes where the client models one (ECS's
 * ClusterContainsServicesException, ELBv2's DuplicateLoadBalancerNameException, …) and otherwise the
 * service's base ServiceException with AWS's error code as `name` (EC2's DependencyViolation, …),
 * so that the reconciler's error handling sees what it would see from AWS.
 */
import * as apigatewayv2 from '@aws-sdk/client-apigatewayv2';
import * as autoscaling from '@aws-sdk/client-application-auto-scaling';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecs from '@aws-sdk/client-ecs';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iam from '@aws-sdk/client-iam';
import * as lambda from '@aws-sdk/client-lambda';
import * as tagging from '@aws-sdk/client-resource-groups-tagging-api';
import * as route53 from '@aws-sdk/client-route-53';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as sqs from '@aws-sdk/client-sqs';
import type { ServiceName } from './clients';

type ExceptionClass = new (options: Record<string, unknown>) => Error;

const SERVICE_MODULES: Record<ServiceName, Record<string, unknown>> = {
  ec2,
  elbv2,
  ecs,
  autoscaling,
  route53,
  lambda,
  apigatewayv2,
  cloudwatch,
  tagging,
  iam,
  scheduler,
  sqs,
};

function baseException(service: ServiceName): ExceptionClass {
  const module = SERVICE_MODULES[service];
  const key = Object.keys(module).find((name) => name.endsWith('ServiceException'));
  if (!key) throw new Error(`no ServiceException class in the ${service} client`);
  return module[key] as ExceptionClass;
}

function isExceptionClass(value: unknown): value is ExceptionClass {
  return typeof value === 'function' && value.prototype instanceof Error;
}

export interface SimErrorOptions {
  /** 'client' (4xx, default) or 'server' (5xx). */
  fault?: 'client' | 'server';
  httpStatusCode?: number;
}

/** Builds the error AWS would answer with `code` (e.g. 'DependencyViolation', 'ResourceInUse'). */
export function simError(
  service: ServiceName,
  code: string,
  message: string,
  options: SimErrorOptions = {},
): Error {
  const fault = options.fault ?? 'client';
  const $metadata = { httpStatusCode: options.httpStatusCode ?? (fault === 'server' ? 500 : 400) };
  const { Class, modeled } = exceptionClassOf(service, code);
  if (modeled) {
    const error = new Class({ message, $metadata });
    Object.assign(error, { $fault: fault, $metadata, message });
    return error;
  }
  return new Class({ name: code, $fault: fault, message, $metadata });
}

/** By `service:code`: the class `simError` builds, and whether the client models the code itself. */
const exceptionClasses = new Map<string, { Class: ExceptionClass; modeled: boolean }>();

/**
 * Looked up once per service and code: finding the base class means walking a client's exports (EC2's
 * are in the thousands), which was the dearest part of a simulated call that fails.
 */
function exceptionClassOf(service: ServiceName, code: string): { Class: ExceptionClass; modeled: boolean } {
  const key = `${service}:${code}`;
  let found = exceptionClasses.get(key);
  if (!found) {
    const module = SERVICE_MODULES[service];
    const modeled = [code, `${code}Exception`].map((name) => module[name]).find(isExceptionClass);
    found = modeled ? { Class: modeled, modeled: true } : { Class: baseException(service), modeled: false };
    exceptionClasses.set(key, found);
  }
  return found;
}

/**
 * Thrown by every call once a `crashAfterCalls` or `crashAfterMutatingCalls` fault fires: the caller's
 * process "died" at that instant.
 * It is not an AWS error; code under test must let it through, as a dead Lambda would.
 */
export class SimulatedCrashError extends Error {
  override readonly name = 'SimulatedCrashError';
  constructor(
    readonly afterCalls: number,
    /** How many of those calls were changes that took effect. */
    readonly changes?: number,
  ) {
    super(
      `simulated crash after ${afterCalls} AWS calls${changes === undefined ? '' : ` (${changes} of them changes that took effect)`}`,
    );
  }
}
