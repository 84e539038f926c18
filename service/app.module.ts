import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from './config/service-config';
import { DesiredStateModule } from './desired-state/desired-state.module';
import { HealthModule } from './health/health.module';
import { ItemsModule } from './items/items.module';
import { SecurityModule } from './security/security.module';
import { StackStatusModule } from './stack-status/stack-status.module';
import { StateModule } from './state/state.module';
import type { StateStoreSource } from './state/store-provider';

/** The whole service; built by `createApp`, which decides where the config and the store come from. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, storeSource: StateStoreSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StateModule.forRoot(config, storeSource),
        SecurityModule,
        HealthModule,
        StackStatusModule,
        DesiredStateModule,
        ItemsModule,
      ],
    };
  }
}
