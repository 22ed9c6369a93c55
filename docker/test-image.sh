#!/usr/bin/env bash
# Builds Dockerfile.cuda on a machine with no image registry and no GPU (Debian 12, as root), and proves the image end
# to end: `docker run` alone, stop/start, volume ownership, `models pull --dry-run`, bad configuration, and the compose
# stack (docker/compose.yaml + docker/compose.test.yaml). Prints one line per check and exits non-zero if any failed.
#
#   sudo docker/test-image.sh                # everything (about 30 min on 2 cores with cached bases and layers)
#   sudo docker/test-image.sh --build-only   # bases and image only
#   sudo docker/test-image.sh --keep-engine  # leave the private dockerd running afterwards (for debugging)
#
# What it does:
#  1. installs docker.io, mmdebstrap, docker-compose (Debian's: engine 20.10, compose 1.29) and starts a private dockerd
#     (own data root, exec root and socket under $SVI_DOCKER_STATE), stopped at the end;
#  2. makes stand-in bases, kept between runs: Debian 12 (mmdebstrap) for CUDA_IMAGE, the installed .NET SDK for
#     SDK_IMAGE and its runtimes for RUNTIME_IMAGE, a PostgreSQL from Debian's packages for compose's postgres:16;
#  3. builds the image with SVI_TORCH_BACKEND=cpu (TorchSharp-cuda-linux is not on the NuGet mirror here) with the
#     legacy builder (BuildKit would try to pull its Dockerfile frontend from a registry);
#  4. runs the checks. Not part of .ci/run: it is slow. Run it for every change to Dockerfile.cuda, docker/entrypoint.sh
#     or docker/compose.yaml, and record its output in docs/deploy.md ("Tested here").
# Not proven here: the CUDA libtorch and GPU execution (bench/gpu/ covers those on a GPU host).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${SVI_DOCKER_STATE:-$repo/.docker-state}"
port="${SVI_TEST_HTTP_PORT:-18610}"          # the compose API's published port on the host
image="${SVI_TEST_IMAGE:-svi-server:cpu-test}"
keep_engine=false build_only=false
for arg in "$@"; do
  case "$arg" in
    --keep-engine) keep_engine=true ;;
    --build-only) build_only=true ;;
    *) echo "usage: $0 [--build-only] [--keep-engine]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "docker/test-image.sh: run as root (it installs packages and starts a private dockerd)" >&2; exit 2; }

sock="$state/docker.sock"
# Debian's client (20.10) matches the engine; another docker on PATH may default to buildx.
docker_cli=(/usr/bin/docker -H "unix://$sock")   # for timeout, which runs programs, not shell functions
docker() { "${docker_cli[@]}" "$@"; }
note() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- 1. packages and the private engine
install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  [ ${#missing[@]} -eq 0 ] && return
  note "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

engine_started=false
start_engine() {
  mkdir -p "$state/data" "$state/exec"
  if docker version >/dev/null 2>&1; then note "reusing the private dockerd on $sock"; return; fi
  note "starting a private dockerd ($state)"
  local driver
  for driver in overlay2 vfs; do
    dockerd --data-root "$state/data" --exec-root "$state/exec" -H "unix://$sock" --pidfile "$state/dockerd.pid" \
      --storage-driver "$driver" --iptables=false --bridge=none >"$state/dockerd.log" 2>&1 &
    engine_started=true
    for _ in $(seq 60); do docker version >/dev/null 2>&1 && { note "dockerd up ($driver)"; return; }; sleep 1; done
    note "dockerd with $driver did not start: $(tail -n 3 "$state/dockerd.log")"
    stop_engine
  done
  echo "docker/test-image.sh: no private dockerd could be started; see $state/dockerd.log" >&2
  exit 1
}

stop_engine() {
  [ -f "$state/dockerd.pid" ] || return 0
  local pid; pid="$(cat "$state/dockerd.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  rm -f "$state/dockerd.pid"
}

# ---------------------------------------------------------------- 2. stand-in bases
debian_base=local/debian:bookworm
sdk_base=svi-test/dotnet-sdk:10.0
runtime_base=svi-test/dotnet-aspnet:10.0
postgres_base=svi-test/postgres:debian
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

make_bases() {
  if ! have_image "$debian_base"; then
    note "making $debian_base with mmdebstrap"
    mmdebstrap --quiet --variant=minbase bookworm "$state/bookworm.tar" http://deb.debian.org/debian
    docker import "$state/bookworm.tar" "$debian_base" >/dev/null
    rm -f "$state/bookworm.tar"
  fi
  local context="$state/bases"
  if ! have_image "$sdk_base" || ! have_image "$runtime_base"; then
    rm -rf "$context"; mkdir -p "$context/sdk" "$context/runtime/dotnet"
    # The machine's own .NET (hard links where the file system allows) and the CA certificates it trusts (the
    # egress proxy's among them), so the SDK stand-in reaches NuGet as the host does.
    cp -al /usr/share/dotnet "$context/sdk/dotnet" 2>/dev/null || cp -a /usr/share/dotnet "$context/sdk/dotnet"
    mkdir -p "$context/sdk/ca"; cp /usr/local/share/ca-certificates/*.crt "$context/sdk/ca/" 2>/dev/null || true
    cat >"$context/sdk/Dockerfile" <<EOF
FROM $debian_base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 zlib1g libgssapi-krb5-2 \
 && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}
EOF
    # The ASP.NET runtime image: what Microsoft's holds under /usr/share/dotnet (host, hostfxr, the shared runtimes).
    local part
    for part in dotnet host shared LICENSE.txt ThirdPartyNotices.txt; do
      [ -e "/usr/share/dotnet/$part" ] && cp -al "/usr/share/dotnet/$part" "$context/runtime/dotnet/" 2>/dev/null ||
        { [ -e "/usr/share/dotnet/$part" ] && cp -a "/usr/share/dotnet/$part" "$context/runtime/dotnet/"; }
    done
    printf 'FROM %s\nCOPY dotnet/ /usr/share/dotnet/\n' "$debian_base" >"$context/runtime/Dockerfile"
    note "making $sdk_base and $runtime_base from the installed .NET ($(dotnet --version 2>/dev/null || echo '?'))"
    DOCKER_BUILDKIT=0 docker build -q --network host -t "$sdk_base" "$context/sdk" >/dev/null
    DOCKER_BUILDKIT=0 docker build -q -t "$runtime_base" "$context/runtime" >/dev/null
    rm -rf "$context"
  fi
  if ! have_image "$postgres_base"; then
    note "making $postgres_base (compose's postgres:16, from Debian's postgresql)"
    DOCKER_BUILDKIT=0 docker build -q --network host -t "$postgres_base" -f "$repo/docker/stand-ins/postgres.Dockerfile" \
      "$repo/docker/stand-ins" >/dev/null
  fi
}

build_seconds=0
build_image() {
  note "building $image from Dockerfile.cuda (SVI_TORCH_BACKEND=cpu); log: $state/build.log"
  local start=$SECONDS
  if ! DOCKER_BUILDKIT=0 docker build --network host -f "$repo/Dockerfile.cuda" \
      --build-arg SDK_IMAGE="$sdk_base" --build-arg RUNTIME_IMAGE="$runtime_base" --build-arg CUDA_IMAGE="$debian_base" \
      --build-arg SVI_TORCH_BACKEND=cpu -t "$image" "$repo" >"$state/build.log" 2>&1; then
    tail -n 40 "$state/build.log" >&2
    echo "docker/test-image.sh: the image did not build; see $state/build.log" >&2
    exit 1
  fi
  build_seconds=$((SECONDS - start))
}

cleanup() {
  local status=$?
  if docker version >/dev/null 2>&1; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    docker rm -f svi-test-one svi-test-badbind svi-test-unwritable >/dev/null 2>&1 || true
    docker volume rm svi-test-data svi-test-models svi-test-ro >/dev/null 2>&1 || true
    docker network rm svi-test >/dev/null 2>&1 || true
  fi
  [ -n "${scratch:-}" ] && rm -rf "$scratch"
  if $engine_started && ! $keep_engine; then note "stopping the private dockerd"; stop_engine; fi
  exit "$status"
}
trap cleanup EXIT

install_packages
start_engine
make_bases
build_image
size="$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.2f GB", $1 / 1e9}')"
note "built $image in ${build_seconds}s, $size"
$build_only && exit 0

# ---------------------------------------------------------------- 4. checks
scratch="$(mktemp -d /tmp/svi-image-test.XXXXXX)"
chmod 755 "$scratch"   # the image's user (uid 10001) reads the downloaded MP4s from it
results=() failures=0 detail=""
check() {   # check NAME FUNCTION: the function sets $detail and returns 0 when the check holds
  local name="$1"; shift
  detail=""
  if "$@"; then results+=("PASS|$name|$detail"); note "PASS  $name: $detail"
  else results+=("FAIL|$name|$detail"); failures=$((failures + 1)); note "FAIL  $name: $detail"; fi
}
ip_of() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }
json_field() { python3 -c 'import json, sys; v = json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
stack_trace() { grep -E '^\s+at [A-Za-z_.]+|Unhandled exception' <<<"$1" | head -n 1; }
lines() { grep -c . <<<"$1" || true; }

# wait_ready URL CONTAINER SECONDS: /readyz answers 200 (false at once if the container stopped)
wait_ready() {
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null --max-time 5 "$1/readyz" 2>/dev/null && return 0
    running "$2" || return 1
    sleep 2
  done
  return 1
}

# render URL [API_KEY]: submits a one-clip video, waits for it, downloads the MP4; sets $gen_id and $mp4
gen_id="" mp4=""
render() {
  local url="$1" auth=() body status="" deadline=$((SECONDS + 1800))
  [ -n "${2:-}" ] && auth=(-H "Authorization: Bearer $2")
  body="$(curl -sS --max-time 30 "${auth[@]}" -H 'Content-Type: application/json' "$url/v1/videos/generations" \
    -d '{"prompt": "a lighthouse on a cliff at dusk", "duration": 5, "seed": 7, "t2v_quality": "fast"}')" || { detail="the create request failed"; return 1; }
  gen_id="$(json_field id <<<"$body" 2>/dev/null || true)"
  [ -n "$gen_id" ] || { detail="no id in the create response: ${body:0:200}"; return 1; }
  while [ $SECONDS -lt $deadline ]; do
    body="$(curl -sS --max-time 10 "${auth[@]}" "$url/v1/videos/generations/$gen_id")" || true
    status="$(json_field status <<<"$body" 2>/dev/null || true)"
    case "$status" in completed) break ;; failed|cancelled) detail="$gen_id $status: ${body:0:300}"; return 1 ;; esac
    sleep 3
  done
  [ "$status" = completed ] || { detail="$gen_id not completed after 30 min (status '$status')"; return 1; }
  mp4="$scratch/$gen_id.mp4"
  curl -fsS --max-time 60 "${auth[@]}" -o "$mp4" "$url/v1/videos/generations/$gen_id/content" ||
    { detail="$gen_id completed but its content did not download"; return 1; }
}

# probe FILE ARGS...: the image's own ffprobe on a host file
probe() {
  local file="$1"; shift
  docker run --rm --network none -v "$(dirname "$file"):/check:ro" --entrypoint ffprobe "$image" -v error "$@" \
    -of csv=p=0 "/check/$(basename "$file")"
}
frames() { probe "$1" -count_frames -select_streams v:0 -show_entries stream=nb_read_frames; }

one_clip() {   # one_clip URL [KEY]: render, then the MP4 must hold 81 frames
  render "$@" || return 1
  local n; n="$(frames "$mp4")"
  [ "$n" = 81 ] || { detail="$gen_id: the MP4 has '$n' frames, not 81"; return 1; }
  detail="$gen_id: MP4 of 81 frames, $(stat -c %s "$mp4") bytes, comment '$(probe "$mp4" -show_entries format_tags=comment | cut -c1-50)…'"
}

# --- docker run alone: API + worker + private PostgreSQL in one container, on a fresh named volume
docker network create svi-test >/dev/null
docker volume create svi-test-data >/dev/null
docker volume create svi-test-models >/dev/null
one=""
run_alone() {
  docker run -d --name svi-test-one --network svi-test -v svi-test-data:/data -v svi-test-models:/models \
    "$image" serve --weights random >/dev/null || { detail="docker run failed"; return 1; }
  one="http://$(ip_of svi-test-one):8000"
  wait_ready "$one" svi-test-one 900 || { detail="/readyz never answered: $(docker logs svi-test-one 2>&1 | tail -n 5)"; return 1; }
  local pg_uids data_uid log
  pg_uids="$(docker top svi-test-one -eo pid,uid,args | awk '/postgres -D/ {print $2}' | sort -u | paste -sd ' ')"
  data_uid="$(docker exec svi-test-one stat -c %u /data/postgres/data)"
  detail="postgres processes as uid ${pg_uids:-none}, /data/postgres/data owned by uid $data_uid"
  log="$(docker logs svi-test-one 2>&1)"   # not piped into grep -q: with pipefail, its early exit fails the pipe
  [ "$pg_uids" = 10001 ] && [ "$data_uid" = 10001 ] && grep -q "starting a private PostgreSQL in /data/postgres" <<<"$log"
}
health() {
  local h r
  h="$(curl -fsS --max-time 5 "$one/healthz")" && r="$(curl -fsS --max-time 5 "$one/readyz")" ||
    { detail="healthz or readyz did not answer 200"; return 1; }
  detail="healthz ${h:0:40}; readyz ${r:0:110}"
}
first_id=""
first_video() { one_clip "$one" && first_id="$gen_id"; }
startup_log() {
  local log warn plan
  log="$(docker logs svi-test-one 2>&1)"
  warn="$(grep -m1 -o 'CUDA is not available ([^)]*)' <<<"$log" || true)"
  plan="$(grep -m1 -o 'Memory plan for [^ ]* on [^:]*: [A-Za-z]*' <<<"$log" || true)"
  detail="${warn:-no CUDA warning}; ${plan:-no memory plan line}"
  [ -n "$warn" ] && grep -q 'no CUDA device' <<<"$warn" && grep -q ' on cpu' <<<"$plan"
}
stop_clean() {
  local start=$SECONDS code log pglog
  docker stop svi-test-one >/dev/null   # Docker's default stop timeout (10 s), then SIGKILL
  code="$(docker inspect -f '{{.State.ExitCode}}' svi-test-one)"
  log="$(docker logs svi-test-one 2>&1 | tail -n 5)"
  pglog="$(docker run --rm -v svi-test-data:/data --entrypoint tail "$image" -n 3 /data/postgres/postgres.log)"
  detail="stopped in $((SECONDS - start)) s, exit $code$(grep -o '; the server did not stop within [0-9]* s' <<<"$log" || true); $(grep -o 'the private PostgreSQL was shut down' <<<"$log" ||
    echo 'no shutdown line'); postgres.log: $(grep -o 'database system is shut down' <<<"$pglog" || echo "${pglog:0:120}")"
  [ "$code" != 137 ] && grep -q 'the private PostgreSQL was shut down' <<<"$log" && grep -q 'database system is shut down' <<<"$pglog"
}
restart_keeps() {
  docker start svi-test-one >/dev/null
  one="http://$(ip_of svi-test-one):8000"
  wait_ready "$one" svi-test-one 900 || { detail="/readyz never answered after docker start"; return 1; }
  local body status kept
  body="$(curl -sS "$one/v1/videos/generations/$first_id")"; status="$(json_field status <<<"$body")"
  [ "$status" = completed ] || { detail="$first_id is '$status' after the restart: ${body:0:200}"; return 1; }
  curl -fsS -o "$scratch/again.mp4" "$one/v1/videos/generations/$first_id/content" || { detail="$first_id content gone"; return 1; }
  [ "$(frames "$scratch/again.mp4")" = 81 ] || { detail="$first_id content is not 81 frames any more"; return 1; }
  kept="$first_id still completed with its 81-frame MP4"
  one_clip "$one" || return 1
  detail="$kept; new job $detail"
}
foreign_bind() {
  mkdir -p "$scratch/foreign"; chown 4242:4242 "$scratch/foreign"; chmod 755 "$scratch/foreign"
  docker run -d --name svi-test-badbind -v "$scratch/foreign:/data" "$image" serve --weights random >/dev/null
  local deadline=$((SECONDS + 120)) state log
  while running svi-test-badbind && [ $SECONDS -lt $deadline ]; do sleep 2; done
  state="$(docker inspect -f 'exit {{.State.ExitCode}}, restarts {{.RestartCount}}, running {{.State.Running}}' svi-test-badbind)"
  log="$(docker logs svi-test-badbind 2>&1)"
  docker rm -f svi-test-badbind >/dev/null
  detail="$state: $(tail -n 1 <<<"$log" | cut -c1-110)…"
  [ "$state" = "exit 2, restarts 0, running false" ] && [ "$(lines "$log")" = 1 ] && grep -q 'not writable by uid 10001' <<<"$log"
}
dry_run() {
  local out files
  out="$(docker run --rm --network none -v svi-test-models:/models "$image" models pull --dry-run 2>&1)" ||
    { detail="exit non-zero: ${out:0:200}"; return 1; }
  files="$(grep -cE '^  to fetch +[A-Za-z0-9]+ +([0-9.]+ [KMG]i?B|size \?) +[a-z_]+/' <<<"$out" || true)"
  detail="$files files with sizes listed; $(tail -n 1 <<<"$out")"
  [ "$files" -gt 0 ] && grep -q 'diffusion_models/' <<<"$out"
}
bad_connection() {
  local out code=0
  out="$(timeout 300 "${docker_cli[@]}" run --rm --network none \
    -e 'ConnectionStrings__Svi=Host=127.0.0.1;Port=1;Database=svi;Username=svi;Password=x' "$image" serve --weights random 2>&1)" || code=$?
  detail="exit $code, $(lines "$out") line: $(tail -n 1 <<<"$out" | cut -c1-120)"
  [ "$code" != 0 ] && [ "$code" != 124 ] && [ "$(lines "$out")" = 1 ] && grep -q 'cannot use the database' <<<"$out"
}
unwritable_data() {
  docker volume create svi-test-ro >/dev/null
  local out code=0 out2 code2=0
  out="$(timeout 120 "${docker_cli[@]}" run --rm --network none -v svi-test-ro:/data:ro "$image" serve --weights random 2>&1)" || code=$?
  out2="$(timeout 120 "${docker_cli[@]}" run --rm --network none -v svi-test-ro:/data:ro \
    -e 'ConnectionStrings__Svi=Host=db;Database=svi;Username=svi;Password=x' "$image" worker --weights random 2>&1)" || code2=$?
  detail="serve: exit $code, $(lines "$out") line; worker: exit $code2, $(lines "$out2") line: $(tail -n 1 <<<"$out2" | cut -c1-90)…"
  [ "$code" = 2 ] && [ "$code2" = 2 ] && [ "$(lines "$out")" = 1 ] && [ "$(lines "$out2")" = 1 ] &&
    grep -q 'not writable by uid 10001' <<<"$out" && grep -q 'not writable by uid 10001' <<<"$out2"
}

check "docker run: private PostgreSQL starts as the image's user" run_alone
if running svi-test-one; then
  check "docker run: /healthz and /readyz answer" health
  check "docker run: one-clip video through the API, MP4 of 81 frames" first_video
  check "docker run: log names variant, device (CPU, no CUDA) and plan" startup_log
  check "docker stop: PostgreSQL shut down cleanly within the timeout" stop_clean
  [ -n "$first_id" ] && check "docker start: video and record kept, a new job runs" restart_keeps
fi
docker rm -f svi-test-one >/dev/null 2>&1 || true
check "bind mount owned by another uid: exits, names the uid" foreign_bind
check "models pull --dry-run lists files and sizes, no network" dry_run
check "unreachable ConnectionStrings__Svi: non-zero exit, one line" bad_connection
check "unwritable /data: non-zero exit, one line (serve, worker)" unwritable_data

# --- the compose stack
compose_dir="$scratch/compose"
mkdir -p "$compose_dir"
printf '%s\n' POSTGRES_PASSWORD=test-only-password SVI_API_KEY=test-only-api-key "SVI_IMAGE=$image" "SVI_PORT=$port" \
  "SVI_TEST_POSTGRES_IMAGE=$postgres_base" >"$compose_dir/test.env"
compose_with() {   # compose_with FILES... -- ARGS...
  local files=()
  while [ "$1" != -- ]; do files+=(-f "$1"); shift; done; shift
  DOCKER_HOST="unix://$sock" docker-compose --env-file "$compose_dir/test.env" --project-directory "$repo/docker" \
    -p svi-test "${files[@]}" "$@"
}
compose() { compose_with "$compose_dir/compose.run.yaml" "$repo/docker/compose.test.yaml" -- "$@"; }
# Debian's docker-compose 1.29 cannot parse Compose v2's top-level `name`: the parse copy drops it. The run copy also
# drops the NVIDIA device reservations (no GPU or NVIDIA runtime here); docker/compose.test.yaml does the rest.
dropped="$(python3 -c '
import sys, yaml
doc, out, dropped = yaml.safe_load(open(sys.argv[1])), sys.argv[2], []
if doc.pop("name", None) is not None: dropped.append("top-level name")
yaml.safe_dump(doc, open(out + "/compose.parse.yaml", "w"), sort_keys=False)
for name, service in doc["services"].items():
    if service.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices") is not None:
        del service["deploy"]
        dropped.append(name + " GPU reservation")
yaml.safe_dump(doc, open(out + "/compose.run.yaml", "w"), sort_keys=False)
print(", ".join(dropped))' "$repo/docker/compose.yaml" "$compose_dir")"
compose_config() {
  local original parse
  original="$(compose_with "$repo/docker/compose.yaml" -- config -q 2>&1 | grep -m1 -E 'does not match|unexpected|Unsupported' || true)"
  parse="$(compose_with "$compose_dir/compose.parse.yaml" -- config -q 2>&1)" || { detail="docker-compose config: ${parse:0:300}"; return 1; }
  parse="$(compose config -q 2>&1)" || { detail="the run copy with the override: ${parse:0:300}"; return 1; }
  detail="compose $(docker-compose version --short) accepts it without: ${dropped}${original:+ (as is: ${original:0:80})}"
}
api=""
compose_up() {
  compose up -d --no-build >"$compose_dir/up.log" 2>&1 || { detail="up failed: $(tail -n 3 "$compose_dir/up.log")"; return 1; }
  api="http://127.0.0.1:$port"
  local api_c worker_c pg_c network
  api_c="$(compose ps -q api)"; worker_c="$(compose ps -q worker-0)"; pg_c="$(compose ps -q postgres)"
  wait_ready "$api" "$api_c" 900 || { detail="the API's /readyz never answered on :$port: $(compose logs --tail 5 api 2>&1)"; return 1; }
  running "$worker_c" || { detail="worker-0 is not running: $(compose logs --tail 5 worker-0 2>&1)"; return 1; }
  network="$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$api_c")"
  detail="postgres $(docker inspect -f '{{.State.Health.Status}}' "$pg_c"), api ready on :$port, worker-0 running; network ${network% }"
}
compose_job() {
  one_clip "$api" test-only-api-key || return 1
  local rendered="$detail" worker_log
  worker_log="$(compose logs --no-color worker-0 2>&1)"
  grep -q "$gen_id" <<<"$worker_log" || { detail="worker-0's log never names $gen_id"; return 1; }
  grep -q 'CUDA is not available' <<<"$worker_log" || { detail="worker-0 did not log its CPU fallback"; return 1; }
  detail="worker-0 rendered it, the API served it: $rendered"
}
check "compose: docker-compose config (1.29) accepts compose.yaml" compose_config
check "compose: postgres, api (--no-worker), worker-0 come up" compose_up
[ -n "$api" ] && check "compose: job rendered by the worker, MP4 served by the API" compose_job
compose down -v --remove-orphans >/dev/null 2>&1 || true

# ---------------------------------------------------------------- report
printf '\ndocker/test-image.sh  %s  commit %s%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "$(git -C "$repo" diff --quiet HEAD -- Dockerfile.cuda docker scripts 2>/dev/null || echo ' (with uncommitted changes)')"
printf 'engine %s, docker-compose %s; image %s built in %d s (SVI_TORCH_BACKEND=cpu), %s\n\n' \
  "$(docker version -f '{{.Server.Version}}')" "$(docker-compose version --short)" "$image" "$build_seconds" "$size"
for r in "${results[@]}"; do IFS='|' read -r status name text <<<"$r"; printf '%-4s  %-62s  %s\n' "$status" "$name" "$text"; done
printf '\n%d of %d checks passed\n' "$(( ${#results[@]} - failures ))" "${#results[@]}"
[ "$failures" = 0 ]
