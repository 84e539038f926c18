#!/bin/bash
# The shared image's entry point: one image, two tiers, chosen at start.
# - On Lambda (the runtime sets AWS_LAMBDA_RUNTIME_API), hand the handler to the base image's runtime
#   interface client through /lambda-entrypoint.sh, the base image's own documented entry point.
# - Anywhere else (Fargate, docker run), serve HTTP with dist/image/main.js.
# dist/image/ holds the bundles `npm run build` makes (scripts/bundle-service.mjs): one file per entry point,
# because resolving Nest's ~1,000 files from node_modules was most of a Lambda cold start.
# Both branches `exec`, so the process Lambda or ECS signals (SIGTERM on stop) is node itself.
set -euo pipefail

# Overridable so that tests can run this script outside the image.
app_dir="${LAMBDAFLEX_APP_DIR:-${LAMBDA_TASK_ROOT:-/var/task}}"
lambda_entrypoint="${LAMBDAFLEX_LAMBDA_ENTRYPOINT:-/lambda-entrypoint.sh}"
handler="${LAMBDAFLEX_HANDLER:-dist/image/lambda.handler}"

fail() {
  echo "entrypoint.sh: $*" >&2
  exit 1
}

require_file() {
  [[ -f "$1" ]] || fail "build output missing: $1 does not exist (run \`npm run build\` before building the image)"
}

cd "$app_dir" || fail "application directory $app_dir does not exist"

if [[ -n "${AWS_LAMBDA_RUNTIME_API:-}" ]]; then
  # `dist/image/lambda.handler` names the export `handler` of dist/image/lambda.js.
  require_file "$app_dir/${handler%.*}.js"
  [[ -x "$lambda_entrypoint" ]] || fail "Lambda runtime entry point $lambda_entrypoint is missing or not executable"
  # The runtime client resolves the handler against LAMBDA_TASK_ROOT; keep it on the directory checked above.
  export LAMBDA_TASK_ROOT="$app_dir"
  exec "$lambda_entrypoint" "$handler"
fi

require_file "$app_dir/dist/image/main.js"
exec node "$app_dir/dist/image/main.js"
