# Images of the kit: `producer` (the load-generating CLI, one esbuild bundle on plain Node),
# `deploy` (the repository with its dependencies, deploying the CDK app into LocalStack) and
# `emulator` (the embedded pipeline as a service, what docker-compose.emulator.yml runs).
#   docker build --target producer -t push-pipeline/producer .
#   docker run --rm push-pipeline/producer --n-events 50 --n-workers 5 --max-delay 2
# Where node:24-* cannot be pulled, scripts/build-base-image.sh builds a look-alike and prints its
# name: docker build --build-arg NODE_IMAGE="$(scripts/build-base-image.sh | tail -n1)" ...
#
# Written for the classic builder as well as BuildKit: testcontainers builds through the engine API
# without BuildKit, and many engines lack the buildx plugin. So no RUN --mount; and as the classic
# builder builds every stage above the target, a stage's prerequisites come before it: `deploy`
# and `emulator` (cheap over `deps`) before the producer's, so a broken producer cannot block them.
#
# The base must be Node 24 with npm and a user `node` (uid 1000), as the official images are.
ARG NODE_IMAGE=node:24-bookworm-slim

# Dependencies, from the lockfile alone so this layer survives source edits. npm ci runs here, in
# the image's own Node and npm, rather than copying the host's node_modules: install scripts
# (allowScripts in package.json) and platform binaries (esbuild, swc) then match the image.
FROM ${NODE_IMAGE} AS deps
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache

# The repository with all its dependencies (cdklocal, aws-cdk, tsx are dev dependencies). Sources
# and node_modules stay root-owned and read-only for `node`; only /app itself is writable, for
# what the deploy writes there (cdk.out, outputs). /shared is where docker-compose.yml mounts the
# volume the deploy writes the producer's settings to: a new named volume takes the ownership of
# the image's folder, so `node` can write it.
FROM deps AS deploy
RUN id -u node >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home node
COPY . .
RUN chown node:node /app && mkdir -p /shared && chown node:node /shared
USER node
ENTRYPOINT ["npm", "run", "--silent", "deploy:compose"]

# The embedded pipeline (gateway, Lambda host, S3 endpoint) as a service, through `npm run dev`'s
# own entry, so whatever that entry serves is served here too. Gateway on 4566 (LocalStack's port,
# with its /_aws/execute-api/<apiId>/prod/events form as well), S3 endpoint on 4567, state in
# /data. The command adds options, e.g. `--write-env /shared/pipeline.env=http://emulator:4566`.
FROM deps AS emulator
RUN id -u node >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home node
COPY . .
RUN mkdir -p /data /shared node_modules/.cache && chown node:node /app /data /shared node_modules/.cache
USER node
EXPOSE 4566 4567 4681
ENTRYPOINT ["npm", "run", "--silent", "dev", "--", "--host", "0.0.0.0", "--port", "4566", \
            "--s3-port", "4567", "--console-port", "4681", "--data-dir", "/data", "--no-watch"]

# The producer CLI as one CommonJS file: its ESM-only dependencies (chalk, commander, ...) are
# bundled in, so the runtime image needs neither node_modules nor npm scripts.
FROM deps AS producer-bundle
COPY . .
RUN node_modules/.bin/esbuild producer/cli/main.ts --bundle --platform=node --target=node24 \
      --format=cjs --log-level=warning --outfile=dist/producer.cjs

FROM ${NODE_IMAGE} AS producer
ENV NODE_ENV=production
# A base without the official images' `node` user gets one.
RUN id -u node >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home node
COPY --from=producer-bundle /app/dist/producer.cjs /opt/producer/producer.cjs
USER node
WORKDIR /home/node
ENTRYPOINT ["node", "/opt/producer/producer.cjs"]
CMD ["--help"]
