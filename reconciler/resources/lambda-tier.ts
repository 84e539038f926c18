/**
 * The Lambda tier's resource kinds in creation order (each after everything in its `dependsOn`); the
 * engine deletes in reverse. The tier is present while the stack exists (safety rule 4). The `fargate`
 * record, `dnsRecordKind('fargate')`, belongs to the Fargate tier's list. `api-domain-leftovers` is never
 * wanted: it stands for custom domains an earlier spec made (a renamed one, or `dns` removed).
 */
import { apiDomainKind } from './api-domain';
import { apiDomainLeftoversKind } from './api-domain-leftovers';
import { apiIntegrationKind } from './api-integration';
import { apiMappingKind } from './api-mapping';
import { apiRouteKind } from './api-route';
import { apiStageKind } from './api-stage';
import { dnsRecordKind } from './dns-record';
import { httpApiKind } from './http-api';
import { lambdaFunctionKind } from './lambda-function';
import { lambdaPermissionKind } from './lambda-permission';
import { lambdaRoleKind, lambdaRoleReplacedKind } from './lambda-role';
import type { ResourceKind } from './types';

export const LAMBDA_TIER_KINDS: readonly ResourceKind[] = [
  lambdaRoleKind,
  lambdaFunctionKind,
  httpApiKind,
  apiIntegrationKind,
  apiRouteKind,
  apiStageKind,
  lambdaPermissionKind,
  apiDomainKind,
  apiMappingKind,
  apiDomainLeftoversKind,
  dnsRecordKind('lambda'),
  // Never wanted: the role of before names carried the region, deleted once the function has moved.
  lambdaRoleReplacedKind,
];
