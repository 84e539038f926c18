# syntax=docker/dockerfile:1
# The shared image: the same image runs as the Lambda function (container image) and as the Fargate task.
# It is built on the AWS Lambda Node.js base image, which carries the Lambda runtime interface client;
# entrypoint.sh picks Lambda or plain HTTP at start.
#
#   docker build -t lambdaflex-service .
#   docker run -p 8080:8080 -e LAMBDAFLEX_STACK=shop lambdaflex-service      # HTTP server on :8080
#   # Lambda mode locally, through the runtime interface emulator the base image ships:
#   docker run -p 9000:8080 --entrypoint /lambda-entrypoint.sh lambdaflex-service dist/image/lambda.handler
ARG BASE_IMAGE=public.ecr.aws/lambda/nodejs:24

# --- build: every dependency (TypeScript, esbuild), then `npm run build`: tsc into dist/, and the two
# entry points bundled into dist/image/ (scripts/bundle-service.mjs), which is all the runtime takes ---
FROM ${BASE_IMAGE} AS build
WORKDIR /build
# The manifests first, so that the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# The sources the build compiles; .dockerignore keeps out tests, benchmarks, node_modules and dist.
COPY . .
RUN npm run build

# --- deps: production dependencies only; the bundles leave to node_modules what a cold start does not run
# (the AWS SDK, @nestjs/swagger and the Swagger UI's files, iconv-lite; see scripts/bundle-service.mjs) ---
FROM ${BASE_IMAGE} AS deps
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM ${BASE_IMAGE}
# LAMBDA_TASK_ROOT (/var/task) is where the runtime client looks for the handler module.
WORKDIR /var/task
COPY --from=deps /build/node_modules ./node_modules
COPY --from=build /build/dist/image ./dist/image
COPY package.json ./
COPY --chmod=755 entrypoint.sh ./entrypoint.sh
ENV NODE_ENV=production \
    PORT=8080
EXPOSE 8080
# A numeric user: the AL2023 minimal base image has no useradd, and a UID needs no /etc/passwd entry.
# Files copied above are root-owned and world-readable, so this user can read but not change the app.
# On Fargate the task runs as this user; Lambda always runs functions as its own unprivileged user.
USER 1000:1000
# Setting ENTRYPOINT also clears the base image's CMD (the handler argument /lambda-entrypoint.sh takes).
ENTRYPOINT ["/var/task/entrypoint.sh"]
