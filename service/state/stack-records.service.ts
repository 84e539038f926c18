import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { StackRecord, StateStore } from '../../reconciler/state/types';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG, STATE_STORE } from '../config/tokens';
import type { StateStoreSource } from './store-provider';

/** This service's one stack in the state store: the routes under /stack-status and /desired-state use it. */
@Injectable()
export class StackRecordsService {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(STATE_STORE) private readonly storeSource: StateStoreSource,
  ) {}

  /** The stack this service belongs to; 503 when the image runs without one (e.g. outside LambdaFlex). */
  stackName(): string {
    if (!this.config.stack) {
      throw new ServiceUnavailableException(
        'this service has no stack: set LAMBDAFLEX_STACK to the stack name',
      );
    }
    return this.config.stack;
  }

  store(): Promise<StateStore> {
    return this.storeSource();
  }

  async find(): Promise<StackRecord | undefined> {
    const stack = this.stackName();
    return (await this.store()).get(stack);
  }

  async require(): Promise<StackRecord> {
    const stack = this.stackName();
    const store = await this.store();
    const record = await store.get(stack);
    if (!record) {
      throw new NotFoundException(
        `stack ${stack} has no record in table ${store.tableName}: create it with \`lambdaflex apply -f FILE\` (\`lambdaflex --local apply\` in the sandbox's folder, the sandbox stopped), or with PUT /desired-state and If-None-Match: * where this service has a token hash (LAMBDAFLEX_API_TOKEN_SHA256): without a record the sandbox has none`,
      );
    }
    return record;
  }
}
