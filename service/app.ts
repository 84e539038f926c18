import 'reflect-metadata';
import type { DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
// The adapter's own module, not the package's index: the index also loads Multer (file uploads, unused
// here) with its own MIME database, which a Lambda cold start would pay for on every new environment.
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter';
import type { StateStore } from '../reconciler/state/types';
import { AppModule } from './app.module';
import { readServiceConfig } from './config/service-config';
import { requestLogMiddleware } from './logging/request-log.middleware';
import { JsonLineLogger, type RequestLogger } from './logging/request-logger';
import { dynamoStateStoreSource, fixedStateStoreSource } from './state/store-provider';
import { ErrorAnswerFilter } from './errors/error-answer.filter';
import { jsonBodyOnly } from './security/json-body';
import { securityHeaders } from './security/security-headers';
import { setupSwagger } from './swagger/swagger';

export interface CreateAppOptions {
  /** A store to use instead of the DynamoDB one built from the environment (tests, local runs). */
  store?: StateStore;
  /** Where LAMBDAFLEX_* settings are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** One JSON line per request; default stdout. Pass `silentLogger` to keep tests quiet. */
  requestLogger?: RequestLogger;
  /** Nest's own start-up and error logs; `false` silences them. Default: warnings and errors. */
  nestLogLevels?: LogLevel[] | false;
  /** Feature modules added beside the service's own (the local sandbox's dashboard). */
  modules?: (Type | DynamicModule)[];
  /** Express middleware run before every route, after the service's own (the sandbox's Host check). */
  middleware?: RequestHandler[];
}

/**
 * Builds and initialises the Nest app that both entry points serve: `main.ts` over HTTP, `lambda.ts`
 * through the Lambda adapter. Routes are registered and ready to answer when the promise resolves.
 *
 * @example
 * const app = await createApp({ store: new InMemoryStore(), requestLogger: silentLogger });
 * await request(app.getHttpServer()).get('/health').expect(200);
 */
export async function createApp(options: CreateAppOptions = {}): Promise<INestApplication> {
  const config = readServiceConfig(options.env ?? process.env);
  const storeSource = options.store ? fixedStateStoreSource(options.store) : dynamoStateStoreSource(config);
  const root = AppModule.forRoot(config, storeSource);
  const rootModule = { ...root, imports: [...(root.imports ?? []), ...(options.modules ?? [])] };
  const app = await NestFactory.create<NestExpressApplication>(rootModule, new ExpressAdapter(), {
    logger: options.nestLogLevels ?? ['error', 'warn'],
    // Errors are answered by Nest's exception filter; aborting the process on a bad module would hide them.
    abortOnError: false,
    // Nest's parsers would take forms and keep the last of two equal keys: jsonBodyOnly replaces them.
    bodyParser: false,
  });
  const logger = options.requestLogger ?? new JsonLineLogger();
  // Express's own `X-Powered-By` tells an attacker which stack to aim at and helps nobody else.
  app.disable('x-powered-by');
  // The only entity tag this API has is the desired state's ("<generation>.<incarnation>"), which its
  // controller sets. Express would hash every other body, error answers included, into a weak ETag of its
  // own that a client could take for the spec's and send back in If-Match.
  app.disable('etag');
  app.use(requestLogMiddleware(logger));
  app.use(securityHeaders());
  app.use(jsonBodyOnly());
  for (const handler of options.middleware ?? []) app.use(handler);
  app.useGlobalFilters(new ErrorAnswerFilter(logger));
  setupSwagger(app);
  await app.init();
  return app;
}
