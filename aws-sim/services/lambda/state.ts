/** State of the simulated AWS Lambda: functions keyed by name, with their policy and reserved concurrency. */
import type { TagMap } from '../../core/tags';
import type { EventSourceMappingRecord } from './event-source-mappings';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface LambdaFunctionRecord {
  name: string;
  arn: string;
  role: string;
  packageType: 'Image' | 'Zip';
  imageUri?: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, string>;
  architectures: string[];
  description: string;
  tags: TagMap;
  createdAt: number;
  /** The function is Pending until then, Active after (Lambda function states). */
  activeAt: number;
  lastModified: number;
  /** LastUpdateStatus is InProgress until then (set by UpdateFunctionCode / UpdateFunctionConfiguration). */
  updateDoneAt?: number;
  revision: number;
  reservedConcurrency?: number;
  policy: PolicyStatement[];
}

export interface LambdaConfig {
  /** Pending → Active after a create; image functions take a few seconds (no AWS figure). */
  activationMs: number;
  /** LastUpdateStatus InProgress → Successful after an update. */
  updateMs: number;
  /** Account concurrency limit: 1,000 per region by default (docs/aws-facts.md). */
  accountConcurrencyLimit: number;
}

export interface LambdaState {
  config: LambdaConfig;
  functions: Record<string, LambdaFunctionRecord>;
  /** By UUID (event-source-mappings.ts); absent in accounts saved before mappings were simulated. */
  eventSourceMappings?: Record<string, EventSourceMappingRecord>;
}

export const DEFAULT_LAMBDA_CONFIG: LambdaConfig = {
  activationMs: 5_000,
  updateMs: 3_000,
  accountConcurrencyLimit: 1000,
};

/** Lambda keeps at least 100 executions unreserved (PutFunctionConcurrency API reference). */
export const MIN_UNRESERVED_CONCURRENCY = 100;

export const MEMORY_RANGE = { min: 128, max: 10240 } as const;
export const TIMEOUT_RANGE = { min: 1, max: 900 } as const;
