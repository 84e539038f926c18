import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { loadSwagger } from './decorators';

export const DOCS_PATH = 'docs';

/** /docs (the UI and its assets), /docs-json and /docs-yaml; anything else under the prefix is a 404 below. */
const isDocsUrl = (url: string): boolean => url.startsWith(`/${DOCS_PATH}`);

/**
 * Serves the Swagger UI at /docs and the OpenAPI document at /docs-json, with @nestjs/swagger's own
 * handlers. Neither the package nor the document is loaded before the first request under /docs: a Lambda
 * cold start, which answers one request, must not pay for the docs (see ./decorators).
 *
 * Nest answers 404 for any route registered after `init`, so one middleware is registered now and hands
 * /docs requests to a router that Swagger fills on first use, through an Express adapter of its own.
 */
export function setupSwagger(app: INestApplication): void {
  let docs: Promise<Router> | undefined;
  const build = async (): Promise<Router> => {
    const { DocumentBuilder, SwaggerModule } = await loadSwagger();
    const config = new DocumentBuilder()
      .setTitle('LambdaFlex service')
      .setDescription(
        "The stack's status and desired state, and a sample /items API standing for the user's own routes.",
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'The token whose SHA-256 the service was given',
      })
      .build();
    const router = Router();
    // SwaggerModule.setup reads the host's HTTP adapter (routes) and useStaticAssets (the UI's files); the
    // document itself is scanned from the real app.
    const adapter = new ExpressAdapter(router);
    const host = {
      getHttpAdapter: () => adapter,
      useStaticAssets: (path: string, options: object) => adapter.useStaticAssets(path, options),
    } as unknown as INestApplication;
    const document = SwaggerModule.createDocument(app, config);
    SwaggerModule.setup(DOCS_PATH, host, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
    return router;
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isDocsUrl(req.url)) return next();
    docs ??= build().catch((error: unknown) => {
      docs = undefined; // the next request tries again
      throw error;
    });
    docs.then((router) => router(req, res, next), next);
  });
}
