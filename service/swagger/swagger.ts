import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

/**
 * Serves the Swagger UI at /docs and the OpenAPI document at /docs-json. The document is built on the first
 * request for it rather than at start, which keeps it out of the Lambda cold start.
 */
export function setupSwagger(app: INestApplication): void {
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
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
