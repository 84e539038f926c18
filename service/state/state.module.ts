import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG, STATE_STORE } from '../config/tokens';
import { StackRecordsService } from './stack-records.service';
import type { StateStoreSource } from './store-provider';

/** Global so that each feature module can inject the config and this stack's records without re-wiring. */
@Global()
@Module({})
export class StateModule {
  static forRoot(config: ServiceConfig, storeSource: StateStoreSource): DynamicModule {
    return {
      module: StateModule,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: STATE_STORE, useValue: storeSource },
        StackRecordsService,
      ],
      exports: [SERVICE_CONFIG, STATE_STORE, StackRecordsService],
    };
  }
}
