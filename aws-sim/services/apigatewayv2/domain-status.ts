/**
 * A custom domain name's `DomainNameStatus` (docs/aws-facts.md, "API Gateway custom domain status"). The
 * API reference (DomainNameConfiguration): "If the status is UPDATING, the domain cannot be modified
 * further until the existing operation is complete. If it is AVAILABLE, the domain can be updated." Users
 * meet it as UpdateDomainName answering ConflictException (409) "There is already an update in progress"
 * (the reports are cited there), and Terraform waits for `AVAILABLE` after each create (up to 10 minutes)
 * and update (up to 60). AWS documents no ConflictException for DeleteDomainName (404 and 429 only) nor
 * anything of the API mappings' calls while the domain updates: those are not refused here.
 *
 * How long a domain stays `UPDATING` is a setting (DomainStatusConfig): AWS gives no figure.
 * `PENDING_CERTIFICATE_REIMPORT` and `PENDING_OWNERSHIP_VERIFICATION` concern imported certificates and
 * ownership verification, which the simulator (it has no ACM) never reaches.
 */
import type { SimAccount } from '../../core/account';
import { conflict, type Ctx } from './find';
import {
  DEFAULT_DOMAIN_STATUS_CONFIG,
  type Apigatewayv2State,
  type DomainNameRecord,
  type DomainStatusConfig,
} from './state';

export type DomainNameStatus = 'AVAILABLE' | 'UPDATING';

export function domainStatusConfigOf(state: Apigatewayv2State): DomainStatusConfig {
  return { ...DEFAULT_DOMAIN_STATUS_CONFIG, ...state.domainStatus };
}

export function domainStatus(domain: DomainNameRecord, now: number): DomainNameStatus {
  return domain.updatingUntil !== undefined && now < domain.updatingUntil ? 'UPDATING' : 'AVAILABLE';
}

/** Marks `domain` UPDATING for `ms` from now (none for 0). */
export function startUpdating(domain: DomainNameRecord, now: number, ms: number): void {
  if (ms > 0) domain.updatingUntil = now + ms;
  else delete domain.updatingUntil;
}

/** UpdateDomainName's check: refused while the domain's last create or update is still being applied. */
export function assertNotUpdating(ctx: Ctx, domain: DomainNameRecord): void {
  if (domainStatus(domain, ctx.now) === 'UPDATING') conflict(ctx, 'There is already an update in progress');
}

/**
 * Sets how long the account's custom domain names stay UPDATING after a create and after an update, in
 * milliseconds (≥ 0), the defaults for those not given. A value that is not a duration is refused and
 * nothing is changed.
 *
 * @example
 *   setDomainStatusConfig(account, { afterCreateMs: 5 * 60_000 }); // a new domain UPDATING 5 minutes
 */
export function setDomainStatusConfig(account: SimAccount, settings: Partial<DomainStatusConfig>): void {
  for (const [field, ms] of Object.entries(settings)) {
    if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
      throw new Error(
        `API Gateway domain status setting ${field}: must be a number of milliseconds ≥ 0, got ${String(ms)}`,
      );
    }
  }
  const state = account.stateOf<Apigatewayv2State>('apigatewayv2');
  state.domainStatus = { ...domainStatusConfigOf(state), ...settings };
}
